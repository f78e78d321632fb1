// Recognition for help given, in four browser contexts. The administrator opens a community;
// Grace and Alan sign up and join. Alan asks a question, Grace answers, Alan accepts the answer
// and finds it helpful: Grace's points and her first badge appear on /me/rewards, and the
// badge's credential verifies on its public page — for someone who is not signed in at all.
// Alan thanks Grace in public from her profile and the kudos shows in the recognition feed.
// The administrator creates a badge of their own and awards it to Grace from her profile, with
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

const GRACE = namedMember('Grace', 'Hopper');
const ALAN = namedMember('Alan', 'Turing');
const FIRST_BADGE = 'First accepted answer';
const POINTS_TIMEOUT = 30_000;

test.describe('recognition', () => {
  test.describe.configure({ mode: 'serial' });

  /** @type {{ada: import('@playwright/test').Page, grace: import('@playwright/test').Page, alan: import('@playwright/test').Page, stranger: import('@playwright/test').Page}} */
  const people = /** @type {any} */ (pagesFor(test, ['ada', 'grace', 'alan', 'stranger']));

  /** Grace's profile, opened from the people directory by `page`. */
  async function openGrace(page) {
    const directory = new DirectoryPage(page);
    await directory.goto();
    await directory.name.fill(GRACE.displayName);
    await directory.search.click();
    await directory.open(GRACE.displayName);
    await new ProfilePage(page).expectPerson(GRACE.displayName);
  }

  test('an accepted answer earns points, a badge and a credential anyone can verify', async ({}, testInfo) => {
    test.setTimeout(240_000);
    let slug = '';

    await test.step('the administrator opens a community; Grace and Alan join', async () => {
      await signInAsAdmin(people.ada);
      const spaces = new SpacesPage(people.ada);
      await spaces.goto();
      await spaces.expectLoaded();
      await spaces.createSpace(SPACE);
      const space = new SpacePage(people.ada);
      await space.expectLoaded(SPACE.name);
      slug = space.slug();
      for (const [page, who] of [
        [people.grace, GRACE],
        [people.alan, ALAN],
      ]) {
        await signUpAndSettleIn(page, who);
        const joined = new SpacePage(page);
        await joined.goto(slug);
        await joined.join();
        await expect(joined.leaveButton).toBeVisible();
      }
    });

    await test.step('Alan asks, Grace answers, Alan accepts the answer and finds it helpful', async () => {
      const space = new SpacePage(people.alan);
      await space.goto(slug);
      await space.startThread(QUESTION);
      const alan = new ThreadPage(people.alan);
      await alan.expectLoaded(QUESTION.title);
      const grace = new ThreadPage(people.grace);
      await grace.goto(alan.id());
      await grace.postReply(ANSWER);
      await grace.expectLoaded(QUESTION.title);
      await people.alan.reload();
      const answer = alan.post(GRACE.displayName, ANSWER);
      await alan.acceptButton(answer).click();
      await expect(alan.acceptedMark(answer)).toBeVisible();
      await alan.reactionButton(answer, 'Helpful', GRACE.displayName).click();
      await expect(alan.reactionTally(answer, 'Helpful', 1)).toBeVisible();
    });

    await test.step('Grace sees her points, where they came from, and her first badge', async () => {
      const mine = new MyRewardsPage(people.grace);
      await expect(async () => {
        await mine.goto();
        await mine.expectLoaded();
        await expect(mine.total).toHaveText('12', { timeout: 1_000 });
      }, 'points for the accepted answer and the helpful reaction').toPass({ timeout: POINTS_TIMEOUT });
      await expect(mine.ledger).toContainText('Your answer was accepted');
      await expect(mine.ledger).toContainText('Someone found your post helpful');
      await expect(mine.badgeLink(FIRST_BADGE)).toBeVisible();
      await expectNoSeriousA11yViolations(people.grace, testInfo, '/me/rewards');
    });

    await test.step('the badge verifies on its public page, even for someone not signed in', async () => {
      const mine = new MyRewardsPage(people.grace);
      await mine.badgeLink(FIRST_BADGE).click();
      const credential = new CredentialPage(people.grace);
      await credential.expectLoaded(FIRST_BADGE);
      await expect(credential.status).toContainText('Verified: issued by');
      await expectNoSeriousA11yViolations(people.grace, testInfo, '/credentials/<key>');
      const address = new URL(people.grace.url()).pathname;
      const stranger = new CredentialPage(people.stranger);
      await people.stranger.goto(address);
      await stranger.expectLoaded(FIRST_BADGE);
      await expect(stranger.status).toContainText(`to ${GRACE.displayName}`);
      const jwt = await people.stranger.request.get(`${address}.jwt`);
      expect(jwt.ok()).toBeTruthy();
      expect((await jwt.text()).split('.')).toHaveLength(3);
    });

    await test.step('Alan thanks Grace in public; the recognition feed shows it', async () => {
      await openGrace(people.alan);
      await new ProfileRecognition(people.alan).giveKudos(THANKS);
      const feed = new RecognitionPage(people.alan);
      await feed.expectLoaded();
      await expect(feed.kudos(THANKS)).toContainText(`${ALAN.displayName} thanked ${GRACE.displayName}`);
      await expectNoSeriousA11yViolations(people.alan, testInfo, '/recognition');
    });

    await test.step('the administrator creates a badge and awards it to Grace with a reason', async () => {
      const page = people.ada;
      await page.goto('/badges');
      await expectNoSeriousA11yViolations(page, testInfo, '/badges');
      await page.getByLabel('Name', { exact: true }).fill(BADGE.name);
      await page.getByLabel('What earns it', { exact: true }).fill(BADGE.criteria);
      await page.getByLabel('Emoji', { exact: true }).fill(BADGE.emoji);
      await page.getByRole('button', { name: 'Create the badge', exact: true }).click();
      await expect(page.getByRole('heading', { level: 1 })).toContainText(BADGE.name);
      await expectNoSeriousA11yViolations(page, testInfo, '/badges/<slug>');
      await openGrace(page);
      await new ProfileRecognition(page).award(`${BADGE.emoji} ${BADGE.name}`, REASON);
      await expect(new ProfileRecognition(page).region).toContainText(BADGE.name);
      const mine = new MyRewardsPage(people.grace);
      await mine.goto();
      await expect(mine.badgeLink(BADGE.name)).toBeVisible();
      await expect(mine.badges).toContainText(REASON);
    });
  });
});
