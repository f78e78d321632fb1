// /spaces: the directory of spaces, with the "Create a space" form for facilitators and
// administrators (creating one leads to the new space's page, /s/<slug>).
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class SpacesPage {
  static path = '/spaces';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Spaces', exact: true });
    this.createForm = page.getByRole('region', { name: 'Create a space' });
    this.name = this.createForm.getByLabel('Name', { exact: true });
    this.kind = this.createForm.getByRole('group', { name: 'Kind', exact: true });
    this.visibility = this.createForm.getByRole('group', { name: 'Who can see and join it' });
    this.description = this.createForm.getByLabel('Description (Markdown)', { exact: true });
    this.rules = this.createForm.getByLabel('Rules summary (Markdown)', { exact: true });
    this.submit = this.createForm.getByRole('button', { name: 'Create space' });
  }

  async goto() {
    await this.page.goto(SpacesPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, SpacesPage.path);
    await expect(this.heading).toBeVisible();
  }

  /** The link to a space in the directory, named after the space. */
  spaceLink(name) {
    return this.page.getByRole('main').getByRole('link', { name, exact: true });
  }

  /**
   * Fill in and send "Create a space".
   * @param {{name: string, kind: string, visibility: string, description?: string, rules?: string}} space
   *   kind as labelled ("Cohort"); visibility by the start of its label ("Open", "On request", …)
   */
  async createSpace(space) {
    await this.name.fill(space.name);
    await this.kind.getByRole('radio', { name: space.kind, exact: true }).check();
    await this.visibility.getByRole('radio', { name: new RegExp(`^${escapeRegExp(space.visibility)}\\b`) }).check();
    await this.description.fill(space.description ?? '');
    await this.rules.fill(space.rules ?? '');
    await this.submit.click();
  }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

module.exports = { SpacesPage };
