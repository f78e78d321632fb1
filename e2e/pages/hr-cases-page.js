// /hr: the HR case list (HR role only): a table with the case (a link "#<id>" to /hr/cases/<id>),
// the member, why it was opened (e.g. explicit_image), its status and when it was opened.
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class HrCasesPage {
  static path = '/hr';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'HR cases', exact: true });
    this.table = page.getByRole('main').getByRole('table');
  }

  async goto() {
    await this.page.goto(HrCasesPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, HrCasesPage.path);
    await expect(this.heading).toBeVisible();
  }

  /**
   * The rows of the cases about a member, optionally only those opened for `source`.
   * @param {string} memberName
   * @param {string} [source]  e.g. 'explicit_image'
   */
  cases(memberName, source) {
    let rows = this.table
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name: memberName, exact: true }) });
    if (source) rows = rows.filter({ has: this.page.getByRole('cell', { name: source, exact: true }) });
    return rows;
  }

  /** The link of a case's row ("#<id>"). */
  caseLink(row) {
    return row.getByRole('link', { name: /^#\d+$/ });
  }
}

module.exports = { HrCasesPage };
