// /hr/cases/<id>: one HR case (HR role only): "HR case #<id>: <member>", why and when it was
// opened, the evidence frozen when it opened, status and outcome, notes and the case's audit log.
const { expect } = require('@playwright/test');

class HrCasePage {
  /** @param {number|string} id */
  static pathFor(id) {
    return `/hr/cases/${id}`;
  }

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = page.getByRole('heading', { level: 1 });
    this.evidence = page.getByRole('region', { name: 'Evidence (frozen when the case opened)', exact: true });
    this.auditLog = page.getByRole('region', { name: 'Audit log of this case', exact: true });
  }

  /** @param {number|string} id */
  async goto(id) {
    await this.page.goto(HrCasePage.pathFor(id));
  }

  /** On /hr/cases/<id>, the case about `memberName`. */
  async expectLoaded(memberName) {
    await expect(this.page, 'expected the browser to be on an HR case (/hr/cases/<id>)').toHaveURL((url) =>
      /^\/hr\/cases\/\d+$/.test(url.pathname),
    );
    await expect(this.heading).toHaveText(new RegExp(`^HR case #\\d+: ${escapeRegExp(memberName)}$`));
  }

  /** The id of the case shown, from the address. */
  id() {
    return new URL(this.page.url()).pathname.replace(/^\/hr\/cases\//, '');
  }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

module.exports = { HrCasePage };
