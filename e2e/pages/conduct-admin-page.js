// /admin/conduct: the administrator publishes a new version of the code of conduct (Markdown);
// every member accepts each new version before writing again.
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class ConductAdminPage {
  static path = '/admin/conduct';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Publish the code of conduct', exact: true });
    this.body = page.getByLabel('Text (Markdown)', { exact: true });
    this.publishButton = page.getByRole('button', { name: 'Publish a new version', exact: true });
  }

  async goto() {
    await this.page.goto(ConductAdminPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, ConductAdminPage.path);
    await expect(this.heading).toBeVisible();
  }

  /** @param {string} markdown */
  async publish(markdown) {
    await this.body.fill(markdown);
    await this.publishButton.click();
  }
}

module.exports = { ConductAdminPage };
