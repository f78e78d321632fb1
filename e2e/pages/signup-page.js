// /signup: self-service account creation, reachable from /signin while sign-up is open.
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class SignupPage {
  static path = '/signup';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.givenName = page.getByLabel('Given name', { exact: true });
    this.familyName = page.getByLabel('Family name', { exact: true });
    this.email = page.getByLabel('Email', { exact: true });
    this.password = page.getByLabel('Password', { exact: true });
    this.submit = page.getByRole('button', { name: 'Create account', exact: true });
  }

  async goto() {
    await this.page.goto(SignupPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, SignupPage.path);
    await expect(this.submit).toBeVisible();
  }

  /** @param {{givenName: string, familyName: string, email: string, password: string}} who */
  async signUp(who) {
    await this.givenName.fill(who.givenName);
    await this.familyName.fill(who.familyName);
    await this.email.fill(who.email);
    await this.password.fill(who.password);
    await this.submit.click();
  }
}

module.exports = { SignupPage };
