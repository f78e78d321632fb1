// /signin: where signed-out visitors land.
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class SigninPage {
  static path = '/signin';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.email = page.getByLabel('Email', { exact: true });
    this.password = page.getByLabel('Password', { exact: true });
    this.submit = page.getByRole('button', { name: 'Sign in' });
    // The error after a failed attempt; ignore empty live regions a page may keep around.
    this.error = page.getByRole('alert').filter({ hasText: /\S/ }).first();
    this.createAccountLink = page.getByRole('link', { name: 'Create an account' });
  }

  async goto() {
    await this.page.goto(SigninPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, SigninPage.path);
    await expect(this.submit).toBeVisible();
  }

  /** @param {{email: string, password: string}} who */
  async signIn(who) {
    await this.email.fill(who.email);
    await this.password.fill(who.password);
    await this.submit.click();
  }

  async expectError() {
    await expect(this.error).toBeVisible();
    await expect(this.error).toHaveText(/\S/);
  }
}

module.exports = { SigninPage };
