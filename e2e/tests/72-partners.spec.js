// Accountability partners, with four people in four browser contexts. The administrator creates a
// cohort space; Dorothy, Annie and Evelyn sign up and join it. Dorothy and Annie opt in on
// /partners for the cohort, both naming "public speaking"; the administrator (the space's creator,
// so a facilitator of it) opens its partner overview and clicks "Form pairs now": one partnership
// for two people. Each of the two sees the other on /partners and, on the partnership page, why
// they were matched (shared goal “public speaking”), and is told so in a notification.
// Then Dorothy sets a goal and checks in for the week; Annie is told, reads the check-in and the
// goal, and encourages her; Dorothy sees that Annie cheered her on. Evelyn (in the cohort, not in
// the pair) and the administrator get "Page not found" for the partnership; the administrator's
// overview shows how the pair is going but none of what Dorothy wrote. axe-core checks /partners,
// the partnership page and the overview on the way.
//
// Notifications come from the outbox worker: the test reloads /notifications until they arrive.
// Runs after 60-moderation, which publishes a code of conduct: new members accept it first (on its
// own against a fresh server, the file creates the administrator and members land home directly).
const { test, expect } = require('@playwright/test');
const { expectNoSeriousA11yViolations } = require('../support/axe');
const { signInAsAdmin } = require('../support/session');
const { namedMember, signUpAndSettleIn } = require('../support/members');
const { SiteNav } = require('../pages/site-nav');
const { SpacesPage } = require('../pages/spaces-page');
const { SpacePage } = require('../pages/space-page');
const { NotificationsPage } = require('../pages/notifications-page');
const { ErrorPage } = require('../pages/error-page');
const { PartnersPage, PartnershipPage, PartnersManagePage } = require('../pages/partners-pages');

// Unique to the run, so the file also runs again against the same server.
// Digits only: a random mix of letters and digits can read as a disguised word to the content check.
const RUN = String(Date.now());

const SPACE = Object.freeze({
  name: `Speaking Cohort ${RUN}`,
  kind: 'Cohort',
  visibility: 'Open',
  description: 'After the presentation-skills course: practise and keep each other going.',
  rules: 'Be kind.',
});

const DOROTHY = namedMember('Dorothy', 'Vaughan');
const ANNIE = namedMember('Annie', 'Easley');
const EVELYN = namedMember('Evelyn', 'Granville');

// Both name "public speaking" (in different cases; topics are compared in lower case). Working
// hours 08:00–16:00 and 10:00–18:00 in the same (default) time zone overlap by six hours.
const DOROTHY_WISH = Object.freeze({ focus: 'Public speaking, SQL', from: '08:00', to: '16:00' });
const ANNIE_WISH = Object.freeze({ focus: 'public speaking, negotiation', from: '10:00', to: '18:00' });
const SHARED_GOAL_REASON = 'shared goal “public speaking”';
const OVERLAP_REASON = '6 working hours overlap';

const IN_SIX_WEEKS = new Date(Date.now() + 42 * 24 * 3600 * 1000);
const GOAL = Object.freeze({
  what: 'Give a ten-minute talk to my team',
  byWhen: IN_SIX_WEEKS.toISOString().slice(0, 10),
  howKnown: 'the talk is in the team calendar and done',
});
// As the page shows the date ("%-d %B %Y", UTC).
const GOAL_DATE_SHOWN = IN_SIX_WEEKS.toLocaleDateString('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

const CHECK_IN = Object.freeze({
  progress: 4,
  did: 'Gave a five-minute talk at the Monday stand-up and asked two colleagues for feedback.',
  blockers: 'Finding a quiet room to rehearse in.',
  nextStep: 'Record a rehearsal of the ten-minute talk and watch it back.',
});

/** What each member is told when paired, up to the reasons (whose order is the server's). */
function pairedNotification(partnerName) {
  const escaped = partnerName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^You have an accountability partner: ${escaped}\\. Matched because: .*${SHARED_GOAL_REASON}.*\\.$`);
}

// Notifications come from the outbox worker (it polls every second); allow for a slow debug build.
const NOTIFICATION_TIMEOUT = 30_000;

/**
 * Reload /notifications until a notification whose link matches `name` is listed; returns its link.
 * @param {import('@playwright/test').Page} page
 * @param {string|RegExp} name
 */
async function waitForNotification(page, name) {
  const notifications = new NotificationsPage(page);
  const link = notifications.main.getByRole('link', typeof name === 'string' ? { name, exact: true } : { name });
  await expect(async () => {
    await notifications.goto();
    await notifications.expectLoaded();
    await expect(link).toHaveCount(1, { timeout: 1_000 });
  }, `a notification "${name}" within ${NOTIFICATION_TIMEOUT / 1000} s`).toPass({ timeout: NOTIFICATION_TIMEOUT });
  return link;
}

test.describe('accountability partners', () => {
  test.describe.configure({ mode: 'serial' });

  /** @type {import('@playwright/test').BrowserContext[]} */
  const contexts = [];
  /** @type {{ada: import('@playwright/test').Page, dorothy: import('@playwright/test').Page, annie: import('@playwright/test').Page, evelyn: import('@playwright/test').Page}} */
  const people = /** @type {any} */ ({});
  // Set by the first test, used by the second.
  let slug = '';
  let partnershipId = '';

  test.beforeAll(async ({ browser }, testInfo) => {
    for (const who of ['ada', 'dorothy', 'annie', 'evelyn']) {
      const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
      contexts.push(context);
      people[who] = await context.newPage();
    }
  });

  test.afterEach(async ({}, testInfo) => {
    // The contexts are our own, so Playwright's screenshot-on-failure does not cover them.
    if (testInfo.status === testInfo.expectedStatus) return;
    for (const [who, page] of Object.entries(people)) {
      if (page.isClosed()) continue;
      await testInfo.attach(`${who}-${new URL(page.url()).pathname.replace(/\W+/g, '_')}.png`, {
        body: await page.screenshot({ fullPage: true }),
        contentType: 'image/png',
      });
    }
  });

  test.afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  test('two members of a cohort opt in, a facilitator forms pairs, each learns who and why', async ({}, testInfo) => {
    test.setTimeout(180_000);
    const ada = people.ada;

    await test.step('the administrator creates an open cohort space', async () => {
      await signInAsAdmin(ada);
      const spaces = new SpacesPage(ada);
      const space = new SpacePage(ada);
      await spaces.goto();
      await spaces.expectLoaded();
      await spaces.createSpace(SPACE);
      await space.expectLoaded(SPACE.name);
      slug = space.slug();
      expect(slug).toMatch(/^speaking-cohort-/);
    });

    await test.step('three new members sign up and join the cohort', async () => {
      for (const [page, who] of [
        [people.dorothy, DOROTHY],
        [people.annie, ANNIE],
        [people.evelyn, EVELYN],
      ]) {
        await signUpAndSettleIn(page, who);
        const space = new SpacePage(page);
        await space.goto(slug);
        await space.expectLoaded(SPACE.name);
        await space.join();
        await space.expectLoaded(SPACE.name);
        await expect(space.leaveButton).toBeVisible();
      }
    });

    await test.step('Dorothy opens Partners: no partner yet, a form for the organisation and one for the cohort', async () => {
      const page = people.dorothy;
      const partners = new PartnersPage(page);
      await new SiteNav(page).partners.click();
      await partners.expectLoaded();
      await expect(partners.noPartnerYet).toBeVisible();
      await expect(partners.partnershipsRegion.getByRole('link')).toHaveCount(0);
      await expect(partners.scopeForm('Anyone in the organisation')).toBeVisible();
      await expect(partners.scopeForm(SPACE.name)).toBeVisible();
      await expect(partners.optedInBadge(SPACE.name)).toHaveCount(0);
      // Working hours default to 09:00–17:00.
      await expect(partners.scopeForm(SPACE.name).getByLabel('From', { exact: true })).toHaveValue('09:00');
      await expect(partners.scopeForm(SPACE.name).getByLabel('To', { exact: true })).toHaveValue('17:00');
      await expectNoSeriousA11yViolations(page, testInfo, '/partners (no partner yet)');
    });

    await test.step('Dorothy opts in for the cohort with what she wants to work on and her hours', async () => {
      const page = people.dorothy;
      const partners = new PartnersPage(page);
      await partners.optIn(SPACE.name, DOROTHY_WISH);
      await partners.expectLoaded();
      await expect(partners.optedInBadge(SPACE.name)).toBeVisible();
      // Only the cohort: the organisation-wide form is untouched.
      await expect(partners.optedInBadge('Anyone in the organisation')).toHaveCount(0);
      const form = partners.scopeForm(SPACE.name);
      await expect(form.getByLabel('What you want to work on', { exact: true })).toHaveValue(/^public speaking, sql$/i);
      await expect(form.getByLabel('From', { exact: true })).toHaveValue(DOROTHY_WISH.from);
      await expect(form.getByLabel('To', { exact: true })).toHaveValue(DOROTHY_WISH.to);
      await expect(form.getByRole('button', { name: 'Save', exact: true })).toBeVisible();
      await expect(partners.whereRegion.getByRole('button', { name: 'Stop looking for a partner here', exact: true })).toHaveCount(1);
      await expect(partners.noPartnerYet).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, '/partners (opted in)');
    });

    await test.step('Annie opts in for the cohort too (from the space page), naming public speaking', async () => {
      const page = people.annie;
      const partners = new PartnersPage(page);
      const space = new SpacePage(page);
      await space.goto(slug);
      await space.expectLoaded(SPACE.name);
      // Only facilitators manage.
      await expect(space.managePartnersLink).toHaveCount(0);
      await space.partnersLink.click();
      await partners.expectLoaded();
      await partners.optIn(SPACE.name, ANNIE_WISH);
      await partners.expectLoaded();
      await expect(partners.optedInBadge(SPACE.name)).toBeVisible();
    });

    await test.step('the facilitator sees both waiting, Evelyn (not opted in) not among them', async () => {
      const manage = new PartnersManagePage(ada);
      const space = new SpacePage(ada);
      await space.goto(slug);
      await space.expectLoaded(SPACE.name);
      await space.managePartnersLink.click();
      await manage.expectLoaded(SPACE.name);
      expect(new URL(ada.url()).searchParams.get('space')).toBe(slug);
      await expect(manage.summary).toHaveText('2 opted in · 0 pairs · 2 waiting');
      await expect(manage.waitingPerson(DOROTHY.displayName)).toBeVisible();
      await expect(manage.waitingPerson(ANNIE.displayName)).toBeVisible();
      await expect(manage.waitingPerson(EVELYN.displayName)).toHaveCount(0);
      await expect(manage.pairs).toContainText('No pairs yet.');
      await expect(manage.roundStatus).toHaveCount(0);
    });

    await test.step('"Form pairs now" forms one partnership for the two', async () => {
      const manage = new PartnersManagePage(ada);
      await manage.formPairsNow();
      await manage.expectLoaded(SPACE.name);
      await expect(manage.roundStatus).toContainText('1 partnership formed for 2 people.');
      // Nobody left out, so no "still waiting" list.
      await expect(manage.roundStatus.getByRole('listitem')).toHaveCount(0);
      await expect(manage.waiting).toContainText('Nobody is waiting.');
      await expect(manage.pairChosenButton).toHaveCount(0);
      await expect(manage.summary).toHaveText(/ · 1 pair · 0 waiting$/);

      const row = manage.pairRow(DOROTHY.displayName, ANNIE.displayName);
      await expect(row).toHaveCount(1);
      await expect(await manage.pairCell(row, 'Health')).toHaveText('New');
      await expect(await manage.pairCell(row, 'Last check-in week')).toHaveText('—');
      await expect(row.getByRole('button', { name: 'End', exact: true })).toBeVisible();
      await expect(manage.healthChart).toBeVisible();
      await expect(manage.healthChart).toHaveAccessibleName(/\bNew 1\b/);
      await expectNoSeriousA11yViolations(ada, testInfo, '/partners/manage?space=… (after a round)');
    });

    await test.step('Dorothy sees Annie as her partner, and why', async () => {
      const page = people.dorothy;
      const partners = new PartnersPage(page);
      await partners.goto();
      await partners.expectLoaded();
      await expect(partners.noPartnerYet).toHaveCount(0);
      const card = partners.partnership(ANNIE.displayName);
      await expect(card).toHaveCount(1);
      await expect(card).toContainText(`In ${SPACE.name}`);
      await expect(card).toContainText(`Matched because: ${SHARED_GOAL_REASON}`);
      await expectNoSeriousA11yViolations(page, testInfo, '/partners (with a partnership)');

      await partners.partnershipLink(ANNIE.displayName).click();
      const partnership = new PartnershipPage(page);
      await partnership.expectLoaded(ANNIE.displayName);
      partnershipId = partnership.id();
      await expect(partnership.reasons.filter({ hasText: SHARED_GOAL_REASON })).toHaveCount(1);
      await expect(partnership.reasons.filter({ hasText: OVERLAP_REASON })).toHaveCount(1);
      await expect(partnership.rhythm('You')).toContainText('not checked in yet');
      await expect(partnership.rhythm(ANNIE.displayName)).toContainText('not checked in yet');
      await expect(partnership.checkIns).toContainText('No check-ins yet.');
      await expectNoSeriousA11yViolations(page, testInfo, 'partnership page (new)');
    });

    await test.step('Annie sees Dorothy as her partner, on the same partnership, and why', async () => {
      const page = people.annie;
      const partners = new PartnersPage(page);
      await partners.goto();
      await expect(partners.partnership(DOROTHY.displayName)).toHaveCount(1);
      await partners.partnershipLink(DOROTHY.displayName).click();
      const partnership = new PartnershipPage(page);
      await partnership.expectLoaded(DOROTHY.displayName);
      expect(partnership.id(), 'both see the same partnership').toBe(partnershipId);
      await expect(partnership.reasons.filter({ hasText: SHARED_GOAL_REASON })).toHaveCount(1);
    });

    await test.step('each is told in a notification who their partner is and why; it links to the partnership', async () => {
      await waitForNotification(people.dorothy, pairedNotification(ANNIE.displayName));
      const link = await waitForNotification(people.annie, pairedNotification(DOROTHY.displayName));
      await link.click();
      await new PartnershipPage(people.annie).expectLoaded(DOROTHY.displayName);
      expect(new PartnershipPage(people.annie).id()).toBe(partnershipId);
    });

    await test.step('Evelyn, who did not opt in, has no partner', async () => {
      const partners = new PartnersPage(people.evelyn);
      await partners.goto();
      await partners.expectLoaded();
      await expect(partners.noPartnerYet).toBeVisible();
      await expect(partners.partnershipsRegion.getByRole('link')).toHaveCount(0);
    });
  });

  test('a weekly check-in is read by the partner and encouraged, and kept from everyone else', async ({}, testInfo) => {
    test.setTimeout(180_000);
    expect(partnershipId, 'the pair formed by the previous test').not.toBe('');

    await test.step('Dorothy sets a goal', async () => {
      const partnership = new PartnershipPage(people.dorothy);
      await partnership.goto(partnershipId);
      await partnership.expectLoaded(ANNIE.displayName);
      await partnership.addGoal(GOAL);
      await partnership.expectLoaded(ANNIE.displayName);
      await expect(partnership.goalsHeading('You')).toBeVisible();
      const goal = partnership.goal(GOAL.what);
      await expect(goal).toHaveCount(1);
      await expect(goal).toContainText(`by ${GOAL_DATE_SHOWN}`);
      await expect(goal).toContainText(`I will know because ${GOAL.howKnown}`);
    });

    await test.step('Dorothy checks in for the week', async () => {
      const page = people.dorothy;
      const partnership = new PartnershipPage(page);
      await expect(partnership.checkInButton).toBeVisible();
      await partnership.checkIn(CHECK_IN);
      await partnership.expectLoaded(ANNIE.displayName);
      // Once a week: the form gives way to a note.
      await expect(partnership.checkedInAlready).toBeVisible();
      await expect(partnership.checkInButton).toHaveCount(0);
      await expect(partnership.rhythm('You')).toContainText('checked in');
      await expect(partnership.rhythm('You')).not.toContainText('not checked in');
      const mine = partnership.checkInBy('You');
      await expect(mine).toHaveCount(1);
      await expect(partnership.progressBadge(mine)).toHaveText(`${CHECK_IN.progress}/5`);
      await expect(partnership.checkInField(mine, 'Did')).toHaveText(CHECK_IN.did);
      await expect(partnership.checkInField(mine, 'Blocked by')).toHaveText(CHECK_IN.blockers);
      await expect(partnership.checkInField(mine, 'Next step')).toHaveText(CHECK_IN.nextStep);
      // Nobody encourages themselves.
      await expect(partnership.encourageButton(mine)).toHaveCount(0);
      await expect(partnership.replyButton(mine)).toBeVisible();
    });

    await test.step('Annie is told, follows the notification and reads the check-in and the goal', async () => {
      const page = people.annie;
      const link = await waitForNotification(page, `${DOROTHY.displayName} checked in for this week.`);
      await link.click();
      const partnership = new PartnershipPage(page);
      await partnership.expectLoaded(DOROTHY.displayName);
      expect(partnership.id()).toBe(partnershipId);

      const theirs = partnership.checkInBy(DOROTHY.displayName);
      await expect(theirs).toHaveCount(1);
      await expect(partnership.progressBadge(theirs)).toHaveText(`${CHECK_IN.progress}/5`);
      await expect(partnership.checkInField(theirs, 'Did')).toHaveText(CHECK_IN.did);
      await expect(partnership.checkInField(theirs, 'Next step')).toHaveText(CHECK_IN.nextStep);
      await expect(partnership.goalsHeading(DOROTHY.displayName)).toBeVisible();
      await expect(partnership.goal(GOAL.what)).toHaveCount(1);
      // Dorothy's goal is hers to mark done or drop: no buttons for Annie.
      await expect(partnership.goal(GOAL.what).getByRole('button')).toHaveCount(0);
      await expect(partnership.rhythm(DOROTHY.displayName)).not.toContainText('not checked in');
      await expect(partnership.rhythm('You')).toContainText('not checked in yet');
      // She has not checked in: her form is there.
      await expect(partnership.checkInButton).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, 'partnership page (partner checked in)');
    });

    await test.step('Annie encourages Dorothy', async () => {
      const page = people.annie;
      const partnership = new PartnershipPage(page);
      const theirs = partnership.checkInBy(DOROTHY.displayName);
      await expect(partnership.replies(theirs)).toHaveCount(0);
      await partnership.encourageButton(theirs).click();
      await partnership.expectLoaded(DOROTHY.displayName);
      await expect(partnership.replies(theirs)).toHaveCount(1);
      // Annie reads her own encouragement as hers, addressed to Dorothy.
      await expect(partnership.replies(theirs)).toHaveText(new RegExp(`You cheered ${DOROTHY.displayName} on$`));
    });

    await test.step('Dorothy sees that Annie cheered her on', async () => {
      const page = people.dorothy;
      await waitForNotification(page, `${ANNIE.displayName} encouraged you on your check-in.`);
      const partnership = new PartnershipPage(page);
      await partnership.goto(partnershipId);
      await partnership.expectLoaded(ANNIE.displayName);
      const mine = partnership.checkInBy('You');
      const cheer = partnership.replies(mine);
      await expect(cheer).toHaveCount(1);
      await expect(cheer).toHaveText(new RegExp(`${ANNIE.displayName} cheered you on$`));
      await expectNoSeriousA11yViolations(page, testInfo, 'partnership page (check-in encouraged)');
    });

    await test.step('Evelyn, in the cohort but not in the pair, gets "Page not found" for the partnership', async () => {
      const page = people.evelyn;
      const response = await new PartnershipPage(page).goto(partnershipId);
      expect(response?.status()).toBe(404);
      await new ErrorPage(page).expectShown('Page not found');
      const main = page.getByRole('main');
      await expect(main).not.toContainText(CHECK_IN.did);
      await expect(main).not.toContainText(GOAL.what);
    });

    await test.step('the facilitator sees how the pair is going, but not what Dorothy wrote', async () => {
      const ada = people.ada;
      const manage = new PartnersManagePage(ada);
      await manage.goto(slug);
      await manage.expectLoaded(SPACE.name);
      const row = manage.pairRow(DOROTHY.displayName, ANNIE.displayName);
      await expect(row).toHaveCount(1);
      // No week has ended since the pair was formed: still new, but the check-in week is known.
      await expect(await manage.pairCell(row, 'Health')).toHaveText('New');
      await expect(await manage.pairCell(row, 'Last check-in week')).not.toHaveText('—');
      await expect(await manage.pairCell(row, 'Last check-in week')).toHaveText(/^\d{1,2} [A-Z][a-z]+$/);
      for (const text of [CHECK_IN.did, CHECK_IN.blockers, CHECK_IN.nextStep, GOAL.what, GOAL.howKnown]) {
        await expect(manage.main).not.toContainText(text);
      }
      await expectNoSeriousA11yViolations(ada, testInfo, '/partners/manage?space=… (a pair checking in)');

      // Nor by opening the partnership: only the pair reads it.
      const response = await new PartnershipPage(ada).goto(partnershipId);
      expect(response?.status()).toBe(404);
      await new ErrorPage(ada).expectShown('Page not found');
      await expect(ada.getByRole('main')).not.toContainText(CHECK_IN.did);
    });
  });
});
