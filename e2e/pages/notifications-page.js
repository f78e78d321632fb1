// /notifications: the signed-in member's notifications, newest first, each a sentence linking to
// where it happened ("Alan Turing replied in “…”"), unread ones marked "New"; "Mark all as read"
// while any is unread (it leads back here).
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class NotificationsPage {
  static path = '/notifications';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Notifications', exact: true });
    this.main = page.getByRole('main');
    this.markAllReadButton = this.main.getByRole('button', { name: 'Mark all as read', exact: true });
  }

  async goto() {
    await this.page.goto(NotificationsPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, NotificationsPage.path);
    await expect(this.heading).toBeVisible();
  }

  /** A notification in the list, by its sentence, e.g. 'Alan Turing replied in “…”'. */
  notification(text) {
    return this.main.getByRole('listitem').filter({ has: this.page.getByText(text, { exact: true }) });
  }

  /** The link of a notification, named after its sentence. */
  notificationLink(text) {
    return this.main.getByRole('link', { name: text, exact: true });
  }

  /** The "New" mark of an unread notification. */
  unreadMark(notification) {
    return notification.getByText('New', { exact: true });
  }

  async markAllRead() {
    await this.markAllReadButton.click();
  }
}

module.exports = { NotificationsPage };
