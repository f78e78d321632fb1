// /: the community home, for signed-in members.
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class HomePage {
  static path = '/';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: /Community home/ });
    // "Latest in your spaces": threads from the spaces the member belongs to.
    this.feed = page.getByRole('region', { name: 'Latest in your spaces' });
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

  /** The link to a thread in the feed, named after its title. */
  feedThread(title) {
    return this.feed.getByRole('link', { name: title, exact: true });
  }

  async signOut() {
    await this.signOutButton.click();
  }
}

module.exports = { HomePage };
