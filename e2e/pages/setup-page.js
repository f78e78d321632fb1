// /setup: first-run form that creates the administrator. Shown (and redirected to from every page)
// only while no account exists.
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class SetupPage {
  static path = '/setup';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.givenName = page.getByLabel('Given name', { exact: true });
    this.familyName = page.getByLabel('Family name', { exact: true });
    this.email = page.getByLabel('Email', { exact: true });
    this.password = page.getByLabel('Password', { exact: true });
    this.submit = page.getByRole('button', { name: 'Create administrator account' });
  }

  async goto() {
    await this.page.goto(SetupPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, SetupPage.path);
    await expect(this.submit).toBeVisible();
  }

  /** True when the browser shows the setup form, i.e. the server has no account yet. */
  async isShown() {
    return new URL(this.page.url()).pathname === SetupPage.path && (await this.submit.count()) > 0;
  }

  /** @param {{givenName: string, familyName: string, email: string, password: string}} who */
  async createAdministrator(who) {
    await this.givenName.fill(who.givenName);
    await this.familyName.fill(who.familyName);
    await this.email.fill(who.email);
    await this.password.fill(who.password);
    await this.submit.click();
  }
}

module.exports = { SetupPage };
