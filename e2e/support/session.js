// Getting a browser into a known state without depending on test order.
const { ADMIN } = require('./accounts');
const { SetupPage } = require('../pages/setup-page');
const { SigninPage } = require('../pages/signin-page');
const { HomePage } = require('../pages/home-page');

/**
 * Sign in as the administrator, creating it through /setup first when the server has no account
 * yet (so a file that needs an account also works on its own against a fresh server).
 * @param {import('@playwright/test').Page} page
 */
async function signInAsAdmin(page) {
  const home = new HomePage(page);
  await home.goto();
  const setup = new SetupPage(page);
  if (await setup.isShown()) {
    await setup.createAdministrator(ADMIN);
  } else if (new URL(page.url()).pathname === SigninPage.path) {
    await new SigninPage(page).signIn(ADMIN);
  }
  await home.expectLoaded();
  return home;
}

/**
 * Make sure the administrator exists, in a context of its own so the caller's page stays signed out.
 * @param {import('@playwright/test').Browser} browser
 */
async function ensureAdministrator(browser, baseURL) {
  const context = await browser.newContext({ baseURL });
  try {
    const page = await context.newPage();
    // Every page leads to /setup while no account exists.
    await page.goto(HomePage.path);
    const setup = new SetupPage(page);
    if (await setup.isShown()) {
      await setup.createAdministrator(ADMIN);
      await new HomePage(page).expectLoaded();
    }
  } finally {
    await context.close();
  }
}

module.exports = { signInAsAdmin, ensureAdministrator };
