// The knowledge library in one browser context. The administrator opens a community; Katherine
// signs up and joins. She adds a link and an article to the library, starts a learning path,
// adds both resources to it from their pages, and marks the first done: the path shows
// "1 of 2 done" with a progress bar. Writing a question about joins, she checks for similar
// questions and resources first and finds her link. axe-core checks /library, a resource page,
// a collection page and the similar-questions page.
const { test, expect } = require('@playwright/test');
const { expectNoSeriousA11yViolations } = require('../support/axe');
const { pagesFor } = require('../support/contexts');
const { signInAsAdmin } = require('../support/session');
const { namedMember, signUpAndSettleIn } = require('../support/members');
const { SpacesPage } = require('../pages/spaces-page');
const { SpacePage } = require('../pages/space-page');
const { LibraryPage, ResourcePage, CollectionPage } = require('../pages/library-pages');

// Digits only: a random mix of letters and digits can read as a disguised word to the check.
const RUN = String(Date.now());

const SPACE = Object.freeze({
  name: `Analytics Guild ${RUN}`,
  kind: 'Community',
  visibility: 'Open',
  description: 'Queries, charts and the stories they tell.',
  rules: 'Be kind.',
});
const LINK = Object.freeze({
  space: SPACE.name,
  kind: 'Link',
  title: `SQL joins drawn as pictures ${RUN}`,
  url: 'https://learning.example.org/sql/joins',
  body: 'The clearest explanation of joins I have found.',
  tags: 'sql, joins',
});
const ARTICLE = Object.freeze({
  space: SPACE.name,
  kind: 'Article',
  title: `Reading a query plan ${RUN}`,
  body: 'Start at the most indented line: that is what runs first.',
});
const PATH_TITLE = `SQL from zero ${RUN}`;

const KATHERINE = namedMember('Katherine', 'Johnson');

test.describe('library', () => {
  test.describe.configure({ mode: 'serial' });

  /** @type {{ada: import('@playwright/test').Page, katherine: import('@playwright/test').Page}} */
  const people = /** @type {any} */ (pagesFor(test, ['ada', 'katherine']));

  test('a resource is added to a learning path and marked done', async ({}, testInfo) => {
    test.setTimeout(180_000);
    let slug = '';

    await test.step('the administrator opens a community; Katherine joins', async () => {
      await signInAsAdmin(people.ada);
      const spaces = new SpacesPage(people.ada);
      await spaces.goto();
      await spaces.expectLoaded();
      await spaces.createSpace(SPACE);
      const space = new SpacePage(people.ada);
      await space.expectLoaded(SPACE.name);
      slug = space.slug();
      await signUpAndSettleIn(people.katherine, KATHERINE);
      const joined = new SpacePage(people.katherine);
      await joined.goto(slug);
      await joined.join();
      await expect(joined.leaveButton).toBeVisible();
    });

    const page = people.katherine;
    await test.step('Katherine adds a link and an article to the library', async () => {
      const library = new LibraryPage(page);
      await library.goto();
      await library.expectLoaded();
      await expectNoSeriousA11yViolations(page, testInfo, '/library');
      for (const resource of [LINK, ARTICLE]) {
        await library.goto();
        await library.addResource(resource);
        await new ResourcePage(page).expectLoaded(resource.title);
      }
      await expectNoSeriousA11yViolations(page, testInfo, '/library/<id>');
      await library.goto();
      await expect(page.getByRole('link', { name: LINK.title, exact: true })).toBeVisible();
    });

    await test.step('she starts a learning path and adds both resources from their pages', async () => {
      const library = new LibraryPage(page);
      await library.goto();
      await library.startPath(PATH_TITLE, 'For colleagues who have never written a query.');
      const path = new CollectionPage(page);
      await path.expectLoaded(PATH_TITLE);
      const pathId = path.id();
      for (const resource of [LINK, ARTICLE]) {
        await library.goto();
        await page.getByRole('link', { name: resource.title, exact: true }).click();
        const shown = new ResourcePage(page);
        await shown.expectLoaded(resource.title);
        await shown.addToPath(PATH_TITLE);
      }
      await path.goto(pathId);
      await expect(path.progressLabel).toHaveText('0 of 2 done');
    });

    await test.step('she marks the first step done: 1 of 2 done', async () => {
      const path = new CollectionPage(page);
      await path.markDone(LINK.title);
      await path.expectLoaded(PATH_TITLE);
      await expect(path.progressLabel).toHaveText('1 of 2 done');
      await expect(page.locator('progress')).toHaveAttribute('value', '1');
      await expectNoSeriousA11yViolations(page, testInfo, '/library/collections/<id>');
      const library = new LibraryPage(page);
      await library.goto();
      await expect(library.paths.getByRole('listitem').filter({ hasText: PATH_TITLE })).toContainText('1 of 2 done');
    });

    await test.step('before asking about joins, she checks for similar questions and resources', async () => {
      const space = new SpacePage(page);
      // The outbox embeds a new resource after it is saved (the first embedding also loads the
      // model): ask again until it is there, as a person would.
      await expect(async () => {
        await space.goto(slug);
        await space.kind.getByRole('radio', { name: 'Question', exact: true }).check();
        await space.title.fill('How do I combine two tables in SQL?');
        await space.body.fill('I want customers and their orders side by side.');
        await page.getByRole('button', { name: 'Check for similar questions', exact: true }).click();
        await expect(page.getByRole('heading', { level: 1, name: 'Similar questions and resources', exact: true })).toBeVisible();
        await expect(page.getByRole('link', { name: LINK.title, exact: true })).toBeVisible({ timeout: 2_000 });
      }, 'the resource is among the similar ones once the outbox has embedded it').toPass({ timeout: 60_000 });
      await expect(page.getByLabel('Title', { exact: true })).toHaveValue('How do I combine two tables in SQL?');
      await expectNoSeriousA11yViolations(page, testInfo, '/s/<slug>/similar');
    });
  });
});
