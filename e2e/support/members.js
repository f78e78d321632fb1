// Fresh members in browser contexts of their own: sign up (newMember() addresses, unique to the
// run) and accept the code of conduct when one is published (60-moderation publishes one; a file
// run on its own against a fresh server lands home directly).
const { expect } = require('@playwright/test');
const { newMember } = require('./accounts');
const { SignupPage } = require('../pages/signup-page');
const { HomePage } = require('../pages/home-page');
const { ConductPage } = require('../pages/conduct-page');
const { SiteNav } = require('../pages/site-nav');

/**
 * A new member with an address unique to the run and the given name.
 * @param {string} givenName
 * @param {string} familyName
 */
function namedMember(givenName, familyName) {
  return { ...newMember(), givenName, familyName, displayName: `${givenName} ${familyName}` };
}

/**
 * Sign `who` up on `page` and get them home, accepting the code of conduct if it is asked for.
 * @param {import('@playwright/test').Page} page
 * @param {{givenName: string, familyName: string, displayName: string, email: string, password: string}} who
 */
async function signUpAndSettleIn(page, who) {
  const signup = new SignupPage(page);
  await signup.goto();
  await signup.signUp(who);
  await expect(page).toHaveURL((url) => ['/', ConductPage.path].includes(url.pathname));
  if (new URL(page.url()).pathname === ConductPage.path) {
    const conduct = new ConductPage(page);
    await conduct.expectLoaded();
    await conduct.accept();
  }
  await new HomePage(page).expectLoaded();
  await new SiteNav(page).expectSignedInAs(who.displayName);
}

module.exports = { namedMember, signUpAndSettleIn };
