// One browser context per person for the multi-person journeys: made before the tests, closed
// after them, and on a failure every person's page is attached as a screenshot.

/**
 * Registers the hooks on `test` and returns the pages by name (filled in `beforeAll`).
 * @param {import('@playwright/test').TestType<any, any>} test
 * @param {string[]} names
 * @returns {Record<string, import('@playwright/test').Page>}
 */
function pagesFor(test, names) {
  const contexts = [];
  const pages = {};

  test.beforeAll(async ({ browser }, testInfo) => {
    for (const name of names) {
      const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
      contexts.push(context);
      pages[name] = await context.newPage();
    }
  });

  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status === testInfo.expectedStatus) return;
    for (const [name, page] of Object.entries(pages)) {
      if (page.isClosed()) continue;
      await testInfo.attach(`${name}-${new URL(page.url()).pathname.replace(/\W+/g, '_')}.png`, {
        body: await page.screenshot({ fullPage: true }),
        contentType: 'image/png',
      });
    }
  });

  test.afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  return pages;
}

module.exports = { pagesFor };
