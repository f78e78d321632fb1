// Two-factor authentication with an authenticator app (TOTP): a new member turns it on at /me/2fa
// (types the key instead of scanning, enters a code, is shown ten recovery codes), signs out, and
// signing in with the password then asks for a code: a wrong one is refused, the app's code signs
// in, and the same code cannot be used twice. A recovery code signs in once and is refused the
// second time. Last she turns it off with a fresh code and signs in with the password alone.
// axe-core checks /me/2fa in each state and the code step.
//
// The test computes the app's codes itself (../support/totp.js). The server accepts each 30-second
// step once, so after using a code the test waits for the next step before the next code.
//
// Runs after 60-moderation, which publishes a code of conduct: a new member then lands on it after
// signing up and accepts it (on its own, the file lands home directly).
const { test, expect } = require('@playwright/test');
const { newMember } = require('../support/accounts');
const { expectNoSeriousA11yViolations } = require('../support/axe');
const { ensureAdministrator } = require('../support/session');
const { decodeBase32, codeForStep, currentCode, wrongCode, stepAt, waitForStepAfter } = require('../support/totp');
const { SigninPage } = require('../pages/signin-page');
const { SignupPage } = require('../pages/signup-page');
const { HomePage } = require('../pages/home-page');
const { ConductPage } = require('../pages/conduct-page');
const { SiteNav } = require('../pages/site-nav');
const { SecondFactorPage, SignInCodePage } = require('../pages/second-factor-pages');

// What the server says when a code (from the app or a recovery code) is not accepted.
const NOT_RIGHT = 'That code is not right.';

test('a member turns on two-factor authentication and signs in with the app and a recovery code', async ({ page, browser, baseURL }, testInfo) => {
  // Up to two waits of a 30-second step for a fresh code, on top of several slow password checks.
  test.setTimeout(180_000);
  await ensureAdministrator(browser, baseURL);

  const who = { ...newMember(), givenName: 'Mary', familyName: 'Jackson', displayName: 'Mary Jackson' };
  const signin = new SigninPage(page);
  const codeStep = new SignInCodePage(page);
  const home = new HomePage(page);
  const nav = new SiteNav(page);
  const twoFactor = new SecondFactorPage(page);

  /** @type {Buffer} */
  let secret = Buffer.alloc(0);
  /** @type {string[]} */
  let recoveryCodes = [];
  // The last time step whose code the server took; it refuses that step (and older) after.
  let lastStep = 0;

  async function signOutAndSignInWithPassword() {
    await nav.signOutButton.click();
    await signin.expectLoaded();
    await signin.signIn(who);
    await codeStep.expectLoaded();
    // Not signed in yet: no session, so no navigation for members.
    await expect(nav.signOutButton).toHaveCount(0);
  }

  async function expectSignedInHome() {
    await home.expectLoaded();
    await nav.expectSignedInAs(who.displayName);
  }

  await test.step('the test stands in for the app: its codes match RFC 6238', async () => {
    // Appendix B of RFC 6238, SHA-1, the key "12345678901234567890": the last six digits.
    const rfcKey = decodeBase32('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
    expect(rfcKey.toString('latin1')).toBe('12345678901234567890');
    expect(codeForStep(rfcKey, Math.floor(59 / 30))).toBe('287082');
    expect(codeForStep(rfcKey, Math.floor(1111111109 / 30))).toBe('081804');
    expect(codeForStep(rfcKey, Math.floor(1234567890 / 30))).toBe('005924');
  });

  await test.step('a new member signs up', async () => {
    const signup = new SignupPage(page);
    await signup.goto();
    await signup.signUp(who);
    await expect(page).toHaveURL((url) => ['/', '/conduct'].includes(url.pathname));
    if (new URL(page.url()).pathname === ConductPage.path) {
      const conduct = new ConductPage(page);
      await conduct.expectLoaded();
      await conduct.accept();
    }
    await expectSignedInHome();
  });

  await test.step('she sets up an authenticator app with the key and a first code', async () => {
    await twoFactor.goto();
    await twoFactor.expectOff();
    await expectNoSeriousA11yViolations(page, testInfo, '/me/2fa (off)');

    const typed = await twoFactor.startSetUp();
    // Base32 in groups of four, as people type it.
    expect(typed).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})*$/);
    secret = decodeBase32(typed);
    expect(secret.length, 'a key of at least 128 bits (RFC 4226)').toBeGreaterThanOrEqual(16);
    await expectNoSeriousA11yViolations(page, testInfo, '/me/2fa (scan the code)');

    const first = currentCode(secret);
    recoveryCodes = await twoFactor.confirm(first.code);
    lastStep = first.step;
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{4}-[a-z0-9]{4}$/);
    expect(new Set(recoveryCodes).size, 'the recovery codes differ').toBe(recoveryCodes.length);
    await expectNoSeriousA11yViolations(page, testInfo, '/me/2fa (recovery codes)');

    // Shown once: back on the page, only how many are left.
    await twoFactor.goto();
    await twoFactor.expectOn(10);
    await expect(twoFactor.recoveryCodesRegion).toHaveCount(0);
    await expect(twoFactor.main).not.toContainText(recoveryCodes[0]);
    await expectNoSeriousA11yViolations(page, testInfo, '/me/2fa (on)');
  });

  await test.step('signing in with the password now asks for a code; a wrong one is refused', async () => {
    await signOutAndSignInWithPassword();
    await expectNoSeriousA11yViolations(page, testInfo, '/signin/code');

    await codeStep.enter(wrongCode(secret));
    await codeStep.expectRefused(NOT_RIGHT);
    await expect(nav.signOutButton).toHaveCount(0);
    await expectNoSeriousA11yViolations(page, testInfo, '/signin/code (code refused)');
  });

  // Set by the next step, replayed by the one after.
  let appCode = '';

  await test.step('the code from the app signs her in', async () => {
    // The first code's step is used up: wait for the app to show a new code.
    await waitForStepAfter(lastStep);
    const fresh = currentCode(secret);
    appCode = fresh.code;
    await codeStep.enter(appCode);
    lastStep = fresh.step;
    await expectSignedInHome();
  });

  await test.step('the same code does not count twice', async () => {
    await twoFactor.goto();
    await twoFactor.expectOn(10);
    // Still within the server's window of one step either way, so only the replay rule refuses it.
    expect(stepAt(), 'the code has not expired yet').toBeLessThanOrEqual(lastStep + 1);
    await twoFactor.turnOff(appCode);
    await twoFactor.expectCodeRefused(twoFactor.disableCode, NOT_RIGHT);
    await twoFactor.expectOn(10);
  });

  await test.step('a recovery code signs her in once', async () => {
    await signOutAndSignInWithPassword();
    await codeStep.enter(recoveryCodes[0]);
    await expectSignedInHome();
    await twoFactor.goto();
    await twoFactor.expectOn(9);
  });

  await test.step('the same recovery code is refused the second time', async () => {
    await signOutAndSignInWithPassword();
    await codeStep.enter(recoveryCodes[0]);
    await codeStep.expectRefused(NOT_RIGHT);
    await expect(nav.signOutButton).toHaveCount(0);
    // Another one still works.
    await codeStep.enter(recoveryCodes[1]);
    await expectSignedInHome();
    await twoFactor.goto();
    await twoFactor.expectOn(8);
  });

  await test.step('she turns it off with a fresh code and signs in with the password alone', async () => {
    await waitForStepAfter(lastStep);
    await twoFactor.goto();
    await twoFactor.turnOff(currentCode(secret).code);
    await twoFactor.expectOff();
    await twoFactor.goto();
    await twoFactor.expectOff();

    await nav.signOutButton.click();
    await signin.expectLoaded();
    await signin.signIn(who);
    await expectSignedInHome();
  });
});
