// Before any account exists, the server only offers the setup form.
// Needs a server without accounts; skips itself otherwise (run it first, or against a fresh server).
const { test } = require('@playwright/test');
const { SetupPage } = require('../pages/setup-page');
const { expectNoSeriousA11yViolations } = require('../support/axe');
const { expectPath } = require('../support/paths');

test.describe('first run (no account yet)', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/');
    test.skip(!(await new SetupPage(page).isShown()), 'the server already has an account');
  });

  for (const path of ['/', '/signin', '/signup']) {
    test(`${path} redirects to /setup`, async ({ page }) => {
      await page.goto(path);
      await expectPath(page, SetupPage.path);
    });
  }

  test('setup form has every field', async ({ page }) => {
    const setup = new SetupPage(page);
    await setup.goto();
    await setup.expectLoaded();
    for (const field of [setup.givenName, setup.familyName, setup.email, setup.password]) {
      await test.expect(field).toBeEditable();
    }
  });

  test('accessibility: /setup', async ({ page }, testInfo) => {
    const setup = new SetupPage(page);
    await setup.goto();
    await setup.expectLoaded();
    await expectNoSeriousA11yViolations(page, testInfo, '/setup');
  });
});
