// Two-factor authentication: /me/2fa, where a member sets up an authenticator app (QR code and the
// key in base32 to type, then a first code, then ten recovery codes shown once) or turns it off;
// and /signin/code, the second step of signing in (a code from the app or a recovery code).
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class SecondFactorPage {
  static path = '/me/2fa';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = page.getByRole('heading', { level: 1, name: 'Two-factor authentication', exact: true });
    // Off.
    this.setUpButton = page.getByRole('button', { name: 'Set up', exact: true });
    // Setting up: the QR code, the key to type by hand ("ABCD EFGH …") and the first code.
    this.scanHeading = page.getByRole('heading', { level: 2, name: 'Scan this code', exact: true });
    this.qrCode = page.getByRole('img', { name: 'QR code for your authenticator app' });
    this.secret = page.locator('code.secret');
    this.confirmCode = page.getByLabel('Code from the app', { exact: true });
    this.turnOnButton = page.getByRole('button', { name: 'Turn on', exact: true });
    // Just turned on: the recovery codes, once.
    this.recoveryCodesRegion = page.getByRole('region', { name: 'Your recovery codes' });
    this.recoveryCodes = this.recoveryCodesRegion.getByRole('listitem');
    // On: "Two-factor authentication is on. N recovery code(s) left." and the form to turn it off.
    this.onStatus = this.main.getByText(/^Two-factor authentication is on\. \d+ recovery code\(s\) left\.$/);
    this.disableCode = page.getByLabel('A current code (or a recovery code), to turn it off', { exact: true });
    this.turnOffButton = page.getByRole('button', { name: 'Turn off', exact: true });
    this.fieldError = this.main.locator('.field-error');
  }

  async goto() {
    await this.page.goto(SecondFactorPage.path);
    await expect(this.heading).toBeVisible();
  }

  async expectOff() {
    await expect(this.setUpButton).toBeVisible();
    await expect(this.onStatus).toHaveCount(0);
    await expect(this.turnOffButton).toHaveCount(0);
  }

  /** Starts setting up; returns the key as shown for typing. */
  async startSetUp() {
    await this.setUpButton.click();
    await expect(this.scanHeading).toBeVisible();
    await expect(this.qrCode.locator('svg')).toBeVisible();
    await expect(this.secret).toBeVisible();
    return (await this.secret.innerText()).trim();
  }

  /** Enters the first code from the app; returns the recovery codes then shown. */
  async confirm(code) {
    await this.confirmCode.fill(code);
    await this.turnOnButton.click();
    await expect(this.recoveryCodesRegion).toBeVisible();
    return (await this.recoveryCodes.allInnerTexts()).map((text) => text.trim());
  }

  /** On, with `left` unused recovery codes. */
  async expectOn(left) {
    await expect(this.onStatus).toHaveText(`Two-factor authentication is on. ${left} recovery code(s) left.`);
    await expect(this.setUpButton).toHaveCount(0);
  }

  async turnOff(code) {
    await this.disableCode.fill(code);
    await this.turnOffButton.click();
  }

  /** The field refused what was entered, saying `message`. */
  async expectCodeRefused(input, message) {
    await expect(this.fieldError).toHaveText(message);
    await expect(input).toHaveAttribute('aria-invalid', 'true');
  }
}

class SignInCodePage {
  static path = '/signin/code';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Your code', exact: true });
    this.code = page.getByLabel('Code', { exact: true });
    this.submit = page.getByRole('main').getByRole('button', { name: 'Sign in', exact: true });
    this.error = page.locator('#code-error');
  }

  async expectLoaded() {
    await expectPath(this.page, SignInCodePage.path);
    await expect(this.heading).toBeVisible();
    await expect(this.code).toBeVisible();
  }

  async enter(code) {
    await this.code.fill(code);
    await this.submit.click();
  }

  /** The code was refused: still on this step, with `message` tied to the field. */
  async expectRefused(message) {
    await this.expectLoaded();
    await expect(this.error).toBeVisible();
    await expect(this.error).toHaveText(message);
    await expect(this.code).toHaveAttribute('aria-invalid', 'true');
    await expect(this.code).toHaveAttribute('aria-describedby', 'code-error');
  }
}

module.exports = { SecondFactorPage, SignInCodePage };
