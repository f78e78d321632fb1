// The administrator's first visit, from an empty server to signed in again.
// Needs a fresh server (no account): ../test.sh starts one for each browser suite.
const { test, expect } = require('@playwright/test');
const { ADMIN } = require('../support/accounts');
const { SetupPage } = require('../pages/setup-page');
const { SigninPage } = require('../pages/signin-page');
const { HomePage } = require('../pages/home-page');

test('administrator sets up, signs out, mistypes the password, signs in', async ({ page }) => {
  const setup = new SetupPage(page);
  const home = new HomePage(page);
  const signin = new SigninPage(page);

  await test.step('every page leads to /setup on a fresh server', async () => {
    await page.goto('/');
    expect(
      await setup.isShown(),
      'the journey needs a fresh server without accounts (GET / should redirect to /setup)',
    ).toBe(true);
  });

  await test.step('setup creates the administrator and signs them in', async () => {
    await setup.createAdministrator(ADMIN);
    await home.expectLoaded();
    await home.expectShowsMember(ADMIN.displayName);
  });

  await test.step('sign out lands on /signin', async () => {
    await home.signOut();
    await signin.expectLoaded();
  });

  await test.step('signed out, home redirects to /signin', async () => {
    await home.goto();
    await signin.expectLoaded();
  });

  await test.step('a wrong password shows an alert', async () => {
    await signin.signIn({ email: ADMIN.email, password: `${ADMIN.password}-wrong` });
    await signin.expectError();
    await expect(home.heading).toHaveCount(0);
  });

  await test.step('the right password leads home', async () => {
    await signin.signIn(ADMIN);
    await home.expectLoaded();
    await home.expectShowsMember(ADMIN.displayName);
  });
});
