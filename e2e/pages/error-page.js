// The error page any route may answer with: a heading by status ("Not allowed" for 403, "Page not
// found", …), the reason, and sometimes a link to where things can be put right (e.g. "Read the
// code of conduct").
const { expect } = require('@playwright/test');

class ErrorPage {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = page.getByRole('heading', { level: 1 });
  }

  /** The page says `heading` (e.g. 'Not allowed'), optionally with a message matching `message`. */
  async expectShown(heading, message) {
    await expect(this.heading).toHaveText(heading);
    if (message) await expect(this.main).toContainText(message);
  }

  /** A link of the page, by its text. */
  link(name) {
    return this.main.getByRole('link', { name, exact: true });
  }
}

module.exports = { ErrorPage };
