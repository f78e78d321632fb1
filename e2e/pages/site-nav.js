// The main navigation in every page's header, for signed-in members. /static/live.js keeps the
// unread count next to "Notifications" up to date without a reload.
const { expect } = require('@playwright/test');

class SiteNav {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.nav = page.getByRole('navigation', { name: 'Main' });
    this.home = this.nav.getByRole('link', { name: 'Home', exact: true });
    this.spaces = this.nav.getByRole('link', { name: 'Spaces', exact: true });
    this.questions = this.nav.getByRole('link', { name: 'Questions', exact: true });
    this.search = this.nav.getByRole('link', { name: 'Search', exact: true });
    // /partners: accountability partners.
    this.partners = this.nav.getByRole('link', { name: 'Partners', exact: true });
    this.coaching = this.nav.getByRole('link', { name: 'Coaching', exact: true });
    // Named "Notifications", followed by the unread count while there is one.
    this.notifications = this.nav.getByRole('link', { name: /^Notifications\b/ });
    // The unread count inside that link: hidden when there is nothing unread.
    this.unreadCount = this.notifications.locator('#unread-count');
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

  /**
   * The unread count shows `count` (or is hidden for 0). Auto-waits, so it also waits for a live
   * update to arrive.
   * @param {number} count
   * @param {{timeout?: number}} [options]
   */
  async expectUnread(count, options = {}) {
    if (count === 0) {
      await expect(this.unreadCount).toBeHidden(options);
    } else {
      await expect(this.unreadCount).toBeVisible(options);
      await expect(this.unreadCount).toHaveText(String(count), options);
    }
  }

  /** "Review": the review queue (/moderation), for moderators only. */
  get review() {
    return this.nav.getByRole('link', { name: 'Review', exact: true });
  }

  /** "HR cases" (/hr), for the HR role only. */
  get hrCases() {
    return this.nav.getByRole('link', { name: 'HR cases', exact: true });
  }

  /** "Administration" (/admin), for administrators only. */
  get administration() {
    return this.nav.getByRole('link', { name: 'Administration', exact: true });
  }
}

module.exports = { SiteNav };
