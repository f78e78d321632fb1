// /posts/<id>/report: why a member reports a post ("What is wrong?": four reasons, a detail text
// needed for "Something else"). Sending it thanks the reporter in a status message instead of the
// form; after several reports by different members the post is hidden until a moderator decides.
const { expect } = require('@playwright/test');

class ReportPage {
  /** @param {number|string} postId */
  static pathFor(postId) {
    return `/posts/${postId}/report`;
  }

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Report a post', exact: true });
    this.reasons = page.getByRole('group', { name: 'What is wrong?', exact: true });
    this.detail = page.getByLabel(/^Anything the moderators should know/);
    this.submit = page.getByRole('button', { name: 'Send the report', exact: true });
    // "Thank you. …" once the report is sent.
    this.done = page.getByRole('main').getByRole('status');
  }

  /** @param {number|string} postId */
  async goto(postId) {
    await this.page.goto(ReportPage.pathFor(postId));
  }

  /** On /posts/<id>/report, before or after sending. */
  async expectLoaded() {
    await expect(this.page, 'expected the browser to be on a report form (/posts/<id>/report)').toHaveURL((url) =>
      /^\/posts\/\d+\/report$/.test(url.pathname),
    );
    await expect(this.heading).toBeVisible();
  }

  /** A reason's radio button, by its label ("Explicit content", "Mocking or rude", "Spam", "Something else"). */
  reason(label) {
    return this.reasons.getByRole('radio', { name: label, exact: true });
  }

  /**
   * Choose a reason, optionally say more, and send the report.
   * @param {{reason: string, detail?: string}} report  reason as labelled ("Spam")
   */
  async report({ reason, detail }) {
    await this.reason(reason).check();
    if (detail !== undefined) await this.detail.fill(detail);
    await this.submit.click();
  }
}

module.exports = { ReportPage };
