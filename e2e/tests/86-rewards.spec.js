// Recognition for help given, in four browser contexts. The administrator opens a community;
// Radia and Barbara sign up and join. Barbara asks a question, Radia answers, Barbara accepts the answer
// and finds it helpful: Radia's points and her first badge appear on /me/rewards, and the
// badge's credential verifies on its public page — for someone who is not signed in at all.
// Barbara thanks Radia in public from her profile and the kudos shows in the recognition feed.
// The administrator creates a badge of their own and awards it to Radia from her profile, with
// a reason; it joins her badges. axe-core checks every new page.
const { test, expect } = require('@playwright/test');
const { expectNoSeriousA11yViolations } = require('../support/axe');
const { pagesFor } = require('../support/contexts');
const { signInAsAdmin } = require('../support/session');
const { namedMember, signUpAndSettleIn } = require('../support/members');
const { SpacesPage } = require('../pages/spaces-page');
const { SpacePage } = require('../pages/space-page');
const { ThreadPage } = require('../pages/thread-page');
const { DirectoryPage, ProfilePage } = require('../pages/people-pages');
const {
  MyRewardsPage,
  RecognitionPage,
  ProfileRecognition,
  CredentialPage,
} = require('../pages/rewards-pages');

// Digits only: a random mix of letters and digits can read as a disguised word to the check.
const RUN = String(Date.now());

const SPACE = Object.freeze({
  name: `Data Circle ${RUN}`,
  kind: 'Community',
  visibility: 'Open',
  description: 'Spreadsheets, SQL and dashboards, with colleagues.',
  rules: 'Be kind.',
});
const QUESTION = Object.freeze({
  kind: 'Question',
  title: `How do I join two tables ${RUN}?`,
  body: 'I have customers in one sheet and orders in another.',
});
const ANSWER = 'Use a lookup on the customer number, or a JOIN on it in SQL.';
const THANKS = `Thank you for the lookup explanation, my report works now (${RUN}).`;
const BADGE = Object.freeze({
  name: `Data Detective ${RUN}`,
  criteria: 'Found the story in the numbers for a colleague.',
  emoji: '🔎',
});
const REASON = 'Explained joins so that the whole team understood them.';

const RADIA = namedMember('Radia', 'Perlman');
const BARBARA = namedMember('Barbara', 'Liskov');
const FIRST_BADGE = 'First accepted answer';
const POINTS_TIMEOUT = 30_000;

test.describe('recognition', () => {
  test.describe.configure({ mode: 'serial' });

  /** @type {{ada: import('@playwright/test').Page, radia: import('@playwright/test').Page, barbara: import('@playwright/test').Page, stranger: import('@playwright/test').Page}} */
  const people = /** @type {any} */ (pagesFor(test, ['ada', 'radia', 'barbara', 'stranger']));

  /** Radia's profile, opened from the people directory by `page`. */
  async function openRadia(page) {
    const directory = new DirectoryPage(page);
    await directory.goto();
    await directory.name.fill(RADIA.displayName);
    await directory.search.click();
    await directory.open(RADIA.displayName);
    await new ProfilePage(page).expectPerson(RADIA.displayName);
  }

  test('an accepted answer earns points, a badge and a credential anyone can verify', async ({}, testInfo) => {
    test.setTimeout(240_000);
    let slug = '';

    await test.step('the administrator opens a community; Radia and Barbara join', async () => {
      await signInAsAdmin(people.ada);
      const spaces = new SpacesPage(people.ada);
      await spaces.goto();
      await spaces.expectLoaded();
      await spaces.createSpace(SPACE);
      const space = new SpacePage(people.ada);
      await space.expectLoaded(SPACE.name);
      slug = space.slug();
      for (const [page, who] of [
        [people.radia, RADIA],
        [people.barbara, BARBARA],
      ]) {
        await signUpAndSettleIn(page, who);
        const joined = new SpacePage(page);
        await joined.goto(slug);
        await joined.join();
        await expect(joined.leaveButton).toBeVisible();
      }
    });

    await test.step('Barbara asks, Radia answers, Barbara accepts the answer and finds it helpful', async () => {
      const space = new SpacePage(people.barbara);
      await space.goto(slug);
      await space.startThread(QUESTION);
      const barbara = new ThreadPage(people.barbara);
      await barbara.expectLoaded(QUESTION.title);
      const radia = new ThreadPage(people.radia);
      await radia.goto(barbara.id());
      await radia.postReply(ANSWER);
      await radia.expectLoaded(QUESTION.title);
      await people.barbara.reload();
      const answer = barbara.post(RADIA.displayName, ANSWER);
      await barbara.acceptButton(answer).click();
      await expect(barbara.acceptedMark(answer)).toBeVisible();
      await barbara.reactionButton(answer, 'Helpful', RADIA.displayName).click();
      await expect(barbara.reactionTally(answer, 'Helpful', 1)).toBeVisible();
    });

    await test.step('Radia sees her points, where they came from, and her first badge', async () => {
      const mine = new MyRewardsPage(people.radia);
      await expect(async () => {
        await mine.goto();
        await mine.expectLoaded();
        await expect(mine.total).toHaveText('12', { timeout: 1_000 });
      }, 'points for the accepted answer and the helpful reaction').toPass({ timeout: POINTS_TIMEOUT });
      await expect(mine.ledger).toContainText('Your answer was accepted');
      await expect(mine.ledger).toContainText('Someone found your post helpful');
      await expect(mine.badgeLink(FIRST_BADGE)).toBeVisible();
      await expectNoSeriousA11yViolations(people.radia, testInfo, '/me/rewards');
    });

    await test.step('the badge verifies on its public page, even for someone not signed in', async () => {
      const mine = new MyRewardsPage(people.radia);
      await mine.badgeLink(FIRST_BADGE).click();
      const credential = new CredentialPage(people.radia);
      await credential.expectLoaded(FIRST_BADGE);
      await expect(credential.status).toContainText('Verified: issued by');
      await expectNoSeriousA11yViolations(people.radia, testInfo, '/credentials/<key>');
      const address = new URL(people.radia.url()).pathname;
      const stranger = new CredentialPage(people.stranger);
      await people.stranger.goto(address);
      await stranger.expectLoaded(FIRST_BADGE);
      await expect(stranger.status).toContainText(`to ${RADIA.displayName}`);
      const jwt = await people.stranger.request.get(`${address}.jwt`);
      expect(jwt.ok()).toBeTruthy();
      expect((await jwt.text()).split('.')).toHaveLength(3);
    });

    await test.step('Barbara thanks Radia in public; the recognition feed shows it', async () => {
      await openRadia(people.barbara);
      await new ProfileRecognition(people.barbara).giveKudos(THANKS);
      const feed = new RecognitionPage(people.barbara);
      await feed.expectLoaded();
      await expect(feed.kudos(THANKS)).toContainText(`${BARBARA.displayName} thanked ${RADIA.displayName}`);
      await expectNoSeriousA11yViolations(people.barbara, testInfo, '/recognition');
    });

    await test.step('the administrator creates a badge and awards it to Radia with a reason', async () => {
      const page = people.ada;
      await page.goto('/badges');
      await expectNoSeriousA11yViolations(page, testInfo, '/badges');
      await page.getByLabel('Name', { exact: true }).fill(BADGE.name);
      await page.getByLabel('What earns it', { exact: true }).fill(BADGE.criteria);
      await page.getByLabel('Emoji', { exact: true }).fill(BADGE.emoji);
      await page.getByRole('button', { name: 'Create the badge', exact: true }).click();
      await expect(page.getByRole('heading', { level: 1 })).toContainText(BADGE.name);
      await expectNoSeriousA11yViolations(page, testInfo, '/badges/<slug>');
      await openRadia(page);
      await new ProfileRecognition(page).award(`${BADGE.emoji} ${BADGE.name}`, REASON);
      await expect(new ProfileRecognition(page).region).toContainText(BADGE.name);
      const mine = new MyRewardsPage(people.radia);
      await mine.goto();
      await expect(mine.badgeLink(BADGE.name)).toBeVisible();
      await expect(mine.badges).toContainText(REASON);
    });
  });
});
