// /search: one search form (words, and filters for space, kind and date under "Filters") and the
// results, each a thread, post, space or person with the matching words of its text in <mark>.
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class SearchPage {
  static path = '/search';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Search', exact: true });
    this.form = page.getByRole('main').getByRole('search');
    this.query = this.form.getByLabel('Search threads, posts, spaces and people', { exact: true });
    // A <details> element, closed unless a filter is set.
    this.filtersToggle = this.form.getByText('Filters', { exact: true });
    this.space = this.form.getByLabel('Space', { exact: true });
    this.kind = this.form.getByLabel('Kind', { exact: true });
    this.since = this.form.getByLabel('Written since', { exact: true });
    this.submit = this.form.getByRole('button', { name: 'Search', exact: true });
    // Shown once something was searched for, named after its heading: "1 result", "3 results".
    this.results = page.getByRole('region', { name: /^\d+ results?$/ });
    // The matching words in the results' excerpts.
    this.highlights = this.results.locator('mark');
  }

  async goto() {
    await this.page.goto(SearchPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, SearchPage.path);
    await expect(this.heading).toBeVisible();
  }

  /** Search for some words, without filters. */
  async search(words) {
    await this.query.fill(words);
    await this.submit.click();
  }

  /** The link of a result, named after its title (a post's result is named after its thread). */
  resultLink(title) {
    return this.results.getByRole('link', { name: title, exact: true });
  }
}

module.exports = { SearchPage };
