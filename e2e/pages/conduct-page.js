// /conduct: the code of conduct, where members land after signing in while they have not accepted
// its current version. "I accept the code of conduct" (leads home) until they do; they can read
// everything before, but write only after.
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class ConductPage {
  static path = '/conduct';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Code of conduct', exact: true });
    this.text = page.getByRole('main').getByRole('article');
    this.acceptButton = page.getByRole('button', { name: 'I accept the code of conduct', exact: true });
    // "You accepted this version on …" once accepted.
    this.accepted = page.getByRole('main').getByRole('status').filter({ hasText: /^You accepted this version/ });
  }

  async goto() {
    await this.page.goto(ConductPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, ConductPage.path);
    await expect(this.heading).toBeVisible();
  }

  async accept() {
    await this.acceptButton.click();
  }
}

module.exports = { ConductPage };
