// The people directory, a profile, editing one's own profile and asking for a name change.
const { expect } = require('@playwright/test');

class DirectoryPage {
  static path = '/people';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.name = page.getByLabel('Name', { exact: true });
    this.skill = page.getByLabel('Skill');
    this.search = page.getByRole('button', { name: 'Search' });
    this.results = page.locator('.people-list');
  }

  async goto() {
    await this.page.goto(DirectoryPage.path);
    await expect(this.page.getByRole('heading', { level: 1, name: 'People' })).toBeVisible();
  }

  async searchBySkill(skill) {
    await this.skill.fill(skill);
    await this.search.click();
  }

  async open(displayName) {
    await this.results.getByRole('link', { name: displayName }).click();
  }
}

class ProfilePage {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1 });
    this.facts = page.locator('dl.facts');
  }

  async expectPerson(displayName) {
    await expect(this.heading).toContainText(displayName);
  }

  async expectSkill(skill) {
    await expect(this.facts.getByRole('link', { name: skill })).toBeVisible();
  }
}

class EditProfilePage {
  static path = '/me/profile';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.save = page.getByRole('button', { name: 'Save profile' });
  }

  async goto() {
    await this.page.goto(EditProfilePage.path);
  }

  /** @param {Record<string, string>} fields  label → value */
  async fill(fields) {
    for (const [label, value] of Object.entries(fields)) {
      await this.page.getByLabel(label, { exact: true }).fill(value);
    }
    await this.save.click();
  }

  async expectFieldError(label, message) {
    const field = this.page.getByLabel(label, { exact: true });
    await expect(field).toHaveAttribute('aria-invalid', 'true');
    await expect(this.page.locator('.field-error')).toContainText(message);
  }
}

class NameChangePage {
  static path = '/me/name';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.preferred = page.getByLabel('Preferred given name (optional)');
    this.reason = page.getByLabel('Why the change?');
    this.submit = page.getByRole('button', { name: 'Ask for the change' });
  }

  async goto() {
    await this.page.goto(NameChangePage.path);
  }

  async ask(preferred, reason) {
    await this.preferred.fill(preferred);
    await this.reason.fill(reason);
    await this.submit.click();
    await expect(this.page.getByRole('status')).toContainText('Your request was sent');
  }
}

module.exports = { DirectoryPage, ProfilePage, EditProfilePage, NameChangePage };
