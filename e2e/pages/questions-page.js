// /questions: questions without an accepted answer, in spaces the member can read.
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class QuestionsPage {
  static path = '/questions';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Unanswered questions' });
  }

  async goto() {
    await this.page.goto(QuestionsPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, QuestionsPage.path);
    await expect(this.heading).toBeVisible();
  }

  /** The link to a question in the list, named after its title. */
  questionLink(title) {
    return this.page.getByRole('main').getByRole('link', { name: title, exact: true });
  }
}

module.exports = { QuestionsPage };
