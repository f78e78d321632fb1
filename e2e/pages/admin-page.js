// /admin: the administration page (administrators only): who may join, invitations, "People and
// roles" (a row per person with a "Roles of <name>" group of checkboxes and "Save roles", which
// leads back here) and the delivery queue. Links to the code of conduct and the word rules.
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class AdminPage {
  static path = '/admin';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Administration', exact: true });
    this.people = page.getByRole('region', { name: 'People and roles', exact: true });
    this.conductLink = page.getByRole('main').getByRole('link', { name: 'Code of conduct', exact: true });
    this.rulesLink = page.getByRole('main').getByRole('link', { name: 'Word and link rules', exact: true });
  }

  async goto() {
    await this.page.goto(AdminPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, AdminPage.path);
    await expect(this.heading).toBeVisible();
  }

  /** The row of a person in "People and roles", by display name. */
  person(displayName) {
    return this.people
      .getByRole('row')
      .filter({ has: this.page.getByRole('cell', { name: displayName, exact: true }) });
  }

  /** A role's checkbox of a person, by the role's label ("Moderator", "HR", …). */
  roleCheckbox(displayName, role) {
    return this.people
      .getByRole('group', { name: `Roles of ${displayName}`, exact: true })
      .getByRole('checkbox', { name: role, exact: true });
  }

  /**
   * Give a person a role (keeping the others) and save.
   * @param {string} displayName
   * @param {string} role  as labelled ("Moderator", "HR")
   */
  async grantRole(displayName, role) {
    await this.roleCheckbox(displayName, role).check();
    await this.person(displayName).getByRole('button', { name: 'Save roles', exact: true }).click();
  }
}

module.exports = { AdminPage };
