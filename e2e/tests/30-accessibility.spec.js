// axe-core on the pages a visitor and a member see first (/setup is checked in 10-first-run,
// the only time it exists). Creates the administrator through /setup when run on its own.
const { test } = require('@playwright/test');
const { ADMIN } = require('../support/accounts');
const { SigninPage } = require('../pages/signin-page');
const { SignupPage } = require('../pages/signup-page');
const { expectNoSeriousA11yViolations } = require('../support/axe');
const { ensureAdministrator, signInAsAdmin } = require('../support/session');

test.describe('accessibility', () => {
  test.beforeAll(async ({ browser }, testInfo) => {
    await ensureAdministrator(browser, testInfo.project.use.baseURL);
  });

  test('/signin', async ({ page }, testInfo) => {
    const signin = new SigninPage(page);
    await signin.goto();
    await signin.expectLoaded();
    await expectNoSeriousA11yViolations(page, testInfo, '/signin');
  });

  test('/signin after a failed attempt', async ({ page }, testInfo) => {
    const signin = new SigninPage(page);
    await signin.goto();
    await signin.signIn({ email: ADMIN.email, password: `${ADMIN.password}-wrong` });
    await signin.expectError();
    await expectNoSeriousA11yViolations(page, testInfo, '/signin with an error');
  });

  test('/signup', async ({ page }, testInfo) => {
    const signin = new SigninPage(page);
    await signin.goto();
    await signin.expectLoaded();
    const signup = new SignupPage(page);
    if ((await signin.createAccountLink.count()) > 0) {
      await signin.createAccountLink.click();
    } else {
      // No link while sign-up is closed; the page may still exist (e.g. for invitations).
      await signup.goto();
      test.skip(
        new URL(page.url()).pathname !== SignupPage.path || (await signup.submit.count()) === 0,
        'sign-up is closed on this server',
      );
    }
    await signup.expectLoaded();
    for (const field of [signup.givenName, signup.familyName, signup.email, signup.password]) {
      await test.expect(field).toBeEditable();
    }
    await expectNoSeriousA11yViolations(page, testInfo, '/signup');
  });

  test('/ (community home, signed in)', async ({ page }, testInfo) => {
    await signInAsAdmin(page);
    await expectNoSeriousA11yViolations(page, testInfo, '/');
  });
});
