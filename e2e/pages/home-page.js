// /: the community home, for signed-in members.
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class HomePage {
  static path = '/';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: /Community home/ });
    // A form POST button in the navigation.
    this.signOutButton = page.getByRole('button', { name: 'Sign out' });
  }

  async goto() {
    await this.page.goto(HomePage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, HomePage.path);
    await expect(this.heading).toBeVisible();
  }

  /** The signed-in member's name, shown somewhere on the page. */
  async expectShowsMember(displayName) {
    await expect(this.page.getByText(displayName).first()).toBeVisible();
  }

  async signOut() {
    await this.signOutButton.click();
  }
}

module.exports = { HomePage };
