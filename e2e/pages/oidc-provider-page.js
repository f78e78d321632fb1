// The test OpenID provider's own pages (npm oidc-provider's devInteractions, tools/peers/oidc):
// a login form taking any login and password, then a consent form.
const { expect } = require('@playwright/test');

class OidcProviderPage {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.login = page.locator('input[name="login"]');
    this.password = page.locator('input[name="password"]');
    this.signIn = page.getByRole('button', { name: 'Sign-in' });
    this.consent = page.getByRole('button', { name: 'Continue' });
  }

  /** Signs in at the provider (the login decides the person: "dorothy.vaughan") and consents. */
  async signInAndConsent(login) {
    await expect(this.login).toBeVisible();
    await this.login.fill(login);
    await this.password.fill('any password works here');
    await this.signIn.click();
    await expect(this.consent).toBeVisible();
    await this.consent.click();
  }
}

module.exports = { OidcProviderPage };
