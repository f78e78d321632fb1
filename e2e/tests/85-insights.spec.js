// Care, not surveillance, in four browser contexts. The administrator creates a cohort and posts
// a long welcome; Grace, Alan and Katherine sign up and join; Grace and Alan become partners;
// Katherine lists Excel among her skills. Grace asks a question about Excel that nobody answers
// (the browser suites run the server with insights.unanswered_hours = 0, so "too long" is at
// once). Alan is told someone he helps may need a hand, opens his care queue, says "I'll reach
// out", and invites Katherine — listed as knowing the topic — to answer; she follows the
// invitation and answers, which resolves the signal. Grace opens "What is measured about me" and
// sees the signal, who may see it, and that Alan looked. The administrator, as the cohort's
// facilitator, opens its dashboard: charts with their numbers, and a nudge to listen more (the
// welcome made most of the words). The public transparency report opens for any member.
// axe-core checks every new page.
const { test, expect } = require('@playwright/test');
const { expectNoSeriousA11yViolations } = require('../support/axe');
const { pagesFor } = require('../support/contexts');
const { signInAsAdmin } = require('../support/session');
const { namedMember, signUpAndSettleIn } = require('../support/members');
const { SpacesPage } = require('../pages/spaces-page');
const { SpacePage } = require('../pages/space-page');
const { ThreadPage } = require('../pages/thread-page');
const { NotificationsPage } = require('../pages/notifications-page');
const { EditProfilePage } = require('../pages/people-pages');
const { PartnersPage, PartnersManagePage } = require('../pages/partners-pages');
const {
  CareQueuePage,
  CareSignalPage,
  MyInsightsPage,
  DashboardPage,
  TransparencyReportPage,
} = require('../pages/insights-pages');

// Digits only: a random mix of letters and digits can read as a disguised word to the check.
const RUN = String(Date.now());

const SPACE = Object.freeze({
  name: `Spreadsheet Cohort ${RUN}`,
  kind: 'Cohort',
  visibility: 'Open',
  description: 'After the data course: keep practising spreadsheets together.',
  rules: 'Be kind.',
});
const WELCOME = Object.freeze({
  kind: 'Announcement',
  title: `Welcome to the cohort ${RUN}`,
  body:
    'Welcome, everyone. Over the next six weeks we will practise pivot tables, lookups, charts and ' +
    'clean data. Each Monday I will post an exercise with a worked example and the data to try it ' +
    'on; each Friday we compare notes. Ask anything in a question thread, share what you built, ' +
    'and help each other: most of what you learn here will come from one another.',
});
const QUESTION = Object.freeze({
  kind: 'Question',
  title: `How do I build a pivot table in Excel ${RUN}?`,
  body: 'The totals come out doubled.',
});
const ANSWER = 'Check the Values field settings: sum, not count, and remove the duplicate rows.';

const GRACE = namedMember('Grace', 'Hopper');
const ALAN = namedMember('Alan', 'Turing');
const KATHERINE = namedMember('Katherine', 'Johnson');

const SIGNAL = 'Question without an answer';
const TOLD = 'Someone you help may need a hand: see your care queue.';
const INVITED = `${ALAN.displayName} asks whether you could answer a question you know about.`;
const NOTIFICATION_TIMEOUT = 30_000;

/** Reload /notifications until a notification named `name` is listed; returns its link. */
async function waitForNotification(page, name) {
  const notifications = new NotificationsPage(page);
  const link = notifications.main.getByRole('link', { name, exact: true });
  await expect(async () => {
    await notifications.goto();
    await notifications.expectLoaded();
    await expect(link.first()).toBeVisible({ timeout: 1_000 });
  }, `a notification "${name}"`).toPass({ timeout: NOTIFICATION_TIMEOUT });
  return link.first();
}

test.describe('care, not surveillance', () => {
  test.describe.configure({ mode: 'serial' });

  /** @type {{ada: import('@playwright/test').Page, grace: import('@playwright/test').Page, alan: import('@playwright/test').Page, katherine: import('@playwright/test').Page}} */
  const people = /** @type {any} */ (pagesFor(test, ['ada', 'grace', 'alan', 'katherine']));
  let slug = '';

  test('an unanswered question reaches the partner, who invites someone who knows', async ({}, testInfo) => {
    test.setTimeout(240_000);
    const ada = people.ada;

    await test.step('the administrator creates a cohort and welcomes everyone at length', async () => {
      await signInAsAdmin(ada);
      const spaces = new SpacesPage(ada);
      const space = new SpacePage(ada);
      await spaces.goto();
      await spaces.expectLoaded();
      await spaces.createSpace(SPACE);
      await space.expectLoaded(SPACE.name);
      slug = space.slug();
      await space.startThread(WELCOME);
      await new ThreadPage(ada).expectLoaded(WELCOME.title);
    });

    await test.step('three members join; Katherine lists Excel among her skills', async () => {
      for (const [page, who] of [
        [people.grace, GRACE],
        [people.alan, ALAN],
        [people.katherine, KATHERINE],
      ]) {
        await signUpAndSettleIn(page, who);
        const space = new SpacePage(page);
        await space.goto(slug);
        await space.expectLoaded(SPACE.name);
        await space.join();
        await expect(space.leaveButton).toBeVisible();
      }
      const profile = new EditProfilePage(people.katherine);
      await profile.goto();
      await profile.fill({ Skills: 'Excel' });
    });

    await test.step('Grace and Alan become partners', async () => {
      for (const page of [people.grace, people.alan]) {
        const partners = new PartnersPage(page);
        await partners.goto();
        await partners.expectLoaded();
        await partners.optIn(SPACE.name, { focus: 'spreadsheets' });
        await partners.expectLoaded();
      }
      const manage = new PartnersManagePage(ada);
      await manage.goto(slug);
      await manage.expectLoaded(SPACE.name);
      await manage.formPairsNow();
      await expect(manage.roundStatus).toContainText('1 partnership formed for 2 people.');
    });

    await test.step('Grace asks a question nobody answers', async () => {
      const space = new SpacePage(people.grace);
      await space.goto(slug);
      await space.startThread(QUESTION);
      await new ThreadPage(people.grace).expectLoaded(QUESTION.title);
    });

    await test.step('Alan is told someone he helps may need a hand, and finds Grace in his care queue', async () => {
      const page = people.alan;
      const link = await waitForNotification(page, TOLD);
      await link.click();
      const queue = new CareQueuePage(page);
      await queue.expectLoaded();
      await expect(queue.signalLink(GRACE.displayName, SIGNAL)).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, '/care');
      await queue.signalLink(GRACE.displayName, SIGNAL).click();
      const signal = new CareSignalPage(page);
      await signal.expectLoaded(GRACE.displayName, SIGNAL);
      await expect(page.getByRole('main')).toContainText(QUESTION.title);
      await expect(signal.status).toHaveText('Nobody has taken this yet');
      await expectNoSeriousA11yViolations(page, testInfo, '/care/<id>');
    });

    await test.step('Alan says he will reach out and invites Katherine to answer', async () => {
      const page = people.alan;
      const signal = new CareSignalPage(page);
      await signal.claimButton.click();
      await signal.expectLoaded(GRACE.displayName, SIGNAL);
      await expect(signal.status).toHaveText('Someone is reaching out (you)');
      await expect(signal.claimButton).toHaveCount(0);
      await signal.inviteButton(KATHERINE.displayName).click();
      await signal.expectLoaded(GRACE.displayName, SIGNAL);
      await expect(signal.history).toContainText(`Invited ${KATHERINE.displayName} to answer.`);
    });

    await test.step('Katherine follows the invitation and answers; the signal is resolved', async () => {
      const page = people.katherine;
      const link = await waitForNotification(page, INVITED);
      await link.click();
      const thread = new ThreadPage(page);
      await thread.expectLoaded(QUESTION.title);
      await thread.postReply(ANSWER);
      await thread.expectLoaded(QUESTION.title);
      const alan = new CareSignalPage(people.alan);
      await people.alan.reload();
      await expect(alan.status).toHaveText('Resolved');
    });

    await test.step('Grace sees what is measured about her, who may see it, and that Alan looked', async () => {
      const page = people.grace;
      const mine = new MyInsightsPage(page);
      await mine.goto();
      await mine.expectLoaded();
      await expect(mine.signals).toContainText(SIGNAL);
      await expect(mine.signals).toContainText(`${ALAN.displayName} (partner)`);
      await expect(mine.viewRow(ALAN.displayName, 'partner').first()).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, '/me/insights');
    });

    await test.step('the facilitator sees the cohort dashboard and a nudge to listen more', async () => {
      const dashboard = new DashboardPage(ada);
      await dashboard.goto(slug);
      await dashboard.expectLoaded(SPACE.name);
      await expect(dashboard.talkNudge).toContainText('Listen more, talk less');
      await expect(dashboard.chart('Questions asked and answered')).toBeVisible();
      await expect(dashboard.numbers('Questions asked and answered')).toBeAttached();
      await expectNoSeriousA11yViolations(ada, testInfo, '/s/<slug>/insights');
      await dashboard.goto(null);
      await dashboard.expectLoaded('the community');
      await expectNoSeriousA11yViolations(ada, testInfo, '/insights');
    });

    await test.step('anyone may read the transparency report', async () => {
      const report = new TransparencyReportPage(people.grace);
      await report.goto();
      await report.expectLoaded();
      await expect(report.table).toBeVisible();
      await expectNoSeriousA11yViolations(people.grace, testInfo, '/moderation/report');
    });
  });
});
