// Profiles and the people directory: Grace says what she can help with, Alan finds her by skill
// and opens her profile; Grace asks to be shown by a preferred given name. axe-core checks the
// directory, a profile, the profile form and the name form. Runs before 60-moderation, which
// publishes a code of conduct and must stay last.
const { test } = require('@playwright/test');
const { GRACE, ALAN } = require('../support/accounts');
const { expectNoSeriousA11yViolations } = require('../support/axe');
const { ensureAdministrator } = require('../support/session');
const { SigninPage } = require('../pages/signin-page');
const { SignupPage } = require('../pages/signup-page');
const { HomePage } = require('../pages/home-page');
const { DirectoryPage, ProfilePage, EditProfilePage, NameChangePage } = require('../pages/people-pages');

const SKILL = 'Negotiation workshops';

/** Signs in, signing up first when the account does not exist yet (this file alone). */
async function signedIn(browser, baseURL, who) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const signin = new SigninPage(page);
  await signin.goto();
  await signin.signIn(who);
  if (new URL(page.url()).pathname === SigninPage.path) {
    const signup = new SignupPage(page);
    await signup.goto();
    await signup.signUp(who);
  }
  await new HomePage(page).expectLoaded();
  return { context, page };
}

test.describe.configure({ mode: 'serial' });

test('people say what they can help with and colleagues find them', async ({ browser, baseURL }, testInfo) => {
  await ensureAdministrator(browser, baseURL);
  const grace = await signedIn(browser, baseURL, GRACE);
  const alan = await signedIn(browser, baseURL, ALAN);
  try {
    const edit = new EditProfilePage(grace.page);
    await edit.goto();
    await expectNoSeriousA11yViolations(grace.page, testInfo, 'profile form');
    await edit.fill({ 'Time zone': 'Mars/Olympus' });
    await edit.expectFieldError('Time zone', 'time zone');
    await edit.fill({
      'Job title': 'Compiler engineer',
      Department: 'Research',
      'Time zone': 'America/New_York',
      Skills: `COBOL, ${SKILL}`,
    });
    const mine = new ProfilePage(grace.page);
    await mine.expectPerson(GRACE.displayName);
    await mine.expectSkill(SKILL);

    const directory = new DirectoryPage(alan.page);
    await directory.goto();
    await expectNoSeriousA11yViolations(alan.page, testInfo, 'people directory');
    await directory.searchBySkill(SKILL.toLowerCase());
    await directory.open(GRACE.displayName);
    const profile = new ProfilePage(alan.page);
    await profile.expectPerson(GRACE.displayName);
    await profile.expectSkill('COBOL');
    await expectNoSeriousA11yViolations(alan.page, testInfo, 'profile');

    const name = new NameChangePage(grace.page);
    await name.goto();
    await expectNoSeriousA11yViolations(grace.page, testInfo, 'name form');
    await name.ask('Gracie', 'The name my team uses');
  } finally {
    await grace.context.close();
    await alan.context.close();
  }
});
