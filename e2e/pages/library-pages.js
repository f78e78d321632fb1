// The library: /library (resources with filters, learning paths, "Add a resource"),
// /library/<id> (a resource with its ratings, freshness and "Add to collection"), and
// /library/collections/<id> (a learning path with the reader's progress and "Mark done").
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class LibraryPage {
  static path = '/library';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Library', exact: true });
    this.addForm = page.getByRole('region', { name: 'Add a resource', exact: true });
    this.paths = page.getByRole('region', { name: 'Learning paths', exact: true });
  }

  async goto() {
    await this.page.goto(LibraryPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, LibraryPage.path);
    await expect(this.heading).toBeVisible();
  }

  /**
   * Adds a resource through the form; the browser lands on its page.
   * @param {{space: string, kind: string, title: string, url?: string, body: string, tags?: string}} resource
   */
  async addResource(resource) {
    const form = this.addForm;
    await form.getByLabel('Space', { exact: true }).selectOption({ label: resource.space });
    await form.getByRole('radio', { name: resource.kind, exact: true }).check();
    await form.getByLabel('Title', { exact: true }).fill(resource.title);
    if (resource.url) await form.getByLabel('Web address (links and videos)').fill(resource.url);
    await form.getByLabel('The article, or what it is about (Markdown)').fill(resource.body);
    if (resource.tags) await form.getByLabel('Tags', { exact: true }).fill(resource.tags);
    await form.getByRole('button', { name: 'Add the resource', exact: true }).click();
  }

  /** Starts a learning path (organisation-wide); the browser lands on its page. */
  async startPath(title, description) {
    await this.paths.getByText('Start a learning path', { exact: true }).click();
    await this.paths.getByLabel('Title', { exact: true }).fill(title);
    await this.paths.getByLabel('What it teaches, and for whom (Markdown)').fill(description);
    await this.paths.getByRole('button', { name: 'Start the path', exact: true }).click();
  }
}

class ResourcePage {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.paths = page.getByRole('region', { name: 'Add to a learning path', exact: true });
    this.notice = page.getByRole('status');
  }

  async expectLoaded(title) {
    await expect(this.page).toHaveURL(/\/library\/\d+/);
    await expect(this.page.getByRole('heading', { level: 1, name: title, exact: true })).toBeVisible();
  }

  /** The resource's id, from the address. */
  id() {
    return new URL(this.page.url()).pathname.split('/').pop();
  }

  async addToPath(pathTitle) {
    await this.paths.getByLabel('Learning path', { exact: true }).selectOption({ label: pathTitle });
    await this.paths.getByRole('button', { name: 'Add to collection', exact: true }).click();
    await expect(this.notice).toContainText('Added to the collection.');
  }
}

class CollectionPage {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.progressLabel = page.locator('#progress-label');
  }

  async expectLoaded(title) {
    await expect(this.page).toHaveURL(/\/library\/collections\/\d+/);
    await expect(this.page.getByRole('heading', { level: 1, name: title, exact: true })).toBeVisible();
  }

  async goto(id) {
    await this.page.goto(`/library/collections/${id}`);
  }

  id() {
    return new URL(this.page.url()).pathname.split('/').pop();
  }

  async markDone(stepTitle) {
    await this.page.getByRole('button', { name: `Mark done: ${stepTitle}`, exact: true }).click();
  }
}

module.exports = { LibraryPage, ResourcePage, CollectionPage };
