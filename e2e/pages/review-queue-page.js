// /moderation: the moderators' review queue (Moderator role only): held content, content sent for
// review after a nudge, and reports, each a list item with a checkbox (labelled with its severity,
// what it is and its author), the excerpt and the reports. One form decides the chosen items:
// "Action" (approve, remove, warn, mute, suspend, ban, escalate), "Reason", "Apply"; it leads back
// here with "Decided <n> item(s)."
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class ReviewQueuePage {
  static path = '/moderation';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = page.getByRole('heading', { level: 1, name: 'Review queue', exact: true });
    this.empty = this.main.getByText('Nothing to review.', { exact: true });
    this.decideForm = page.getByRole('group', { name: 'Decide the chosen items', exact: true });
    this.action = this.decideForm.getByLabel('Action', { exact: true });
    this.reason = this.decideForm.getByLabel(/^Reason\b/);
    this.apply = this.decideForm.getByRole('button', { name: 'Apply', exact: true });
    // "Decided <n> item(s)." after a decision.
    this.notice = this.main.getByRole('status');
  }

  async goto() {
    await this.page.goto(ReviewQueuePage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, ReviewQueuePage.path);
    await expect(this.heading).toBeVisible();
  }

  /** An item of the queue, by some of its excerpt. */
  item(text) {
    return this.main.getByRole('listitem').filter({ has: this.page.locator('blockquote', { hasText: text }) });
  }

  /** The checkbox that chooses an item for the decision. */
  checkbox(item) {
    return item.getByRole('checkbox');
  }

  /** The "<n> report(s)" badge of an item. */
  reportCount(item, count) {
    return item.getByText(`${count} report(s)`, { exact: true });
  }

  /**
   * Choose items, an action and a reason, and apply.
   * @param {import('@playwright/test').Locator[]} items
   * @param {string} action  approve, remove, warn, mute, suspend, ban or escalate
   * @param {string} reason
   */
  async decide(items, action, reason) {
    for (const item of items) await this.checkbox(item).check();
    await this.action.selectOption(action);
    await this.reason.fill(reason);
    await this.apply.click();
  }
}

module.exports = { ReviewQueuePage };
