// The main navigation in every page's header, for signed-in members.
const { expect } = require('@playwright/test');

class SiteNav {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.nav = page.getByRole('navigation', { name: 'Main' });
    this.home = this.nav.getByRole('link', { name: 'Home', exact: true });
    this.spaces = this.nav.getByRole('link', { name: 'Spaces', exact: true });
    this.questions = this.nav.getByRole('link', { name: 'Questions', exact: true });
    // A form POST button.
    this.signOutButton = this.nav.getByRole('button', { name: 'Sign out' });
  }

  /** The link to the signed-in person's own page, named after them. */
  member(displayName) {
    return this.nav.getByRole('link', { name: displayName, exact: true });
  }

  async expectSignedInAs(displayName) {
    await expect(this.member(displayName)).toBeVisible();
    await expect(this.signOutButton).toBeVisible();
  }
}

module.exports = { SiteNav };
