// Two instances on one PostgreSQL (../test.sh starts a second one for the browser-postgres suite
// and names it in SECOND_URL; elsewhere this file is skipped). The administrator opens a
// community on instance A; Katherine signs up there, joins and asks a question, then opens her
// thread on instance B — the same session works there, as sessions live in the database. The
// administrator answers on A, and the answer appears on Katherine's page served by B without a
// reload: live events cross instances through LISTEN/NOTIFY.
const { test, expect } = require('@playwright/test');
const { ADMIN } = require('../support/accounts');
const { expectNoSeriousA11yViolations } = require('../support/axe');
const { pagesFor } = require('../support/contexts');
const { signInAsAdmin } = require('../support/session');
const { namedMember, signUpAndSettleIn } = require('../support/members');
const { SpacesPage } = require('../pages/spaces-page');
const { SpacePage } = require('../pages/space-page');
const { ThreadPage } = require('../pages/thread-page');

const SECOND_URL = process.env.SECOND_URL;
// Digits only: a random mix of letters and digits can read as a disguised word to the check.
const RUN = String(Date.now());

const SPACE = Object.freeze({
  name: `Operations Circle ${RUN}`,
  kind: 'Community',
  visibility: 'Open',
  description: 'Running things well, together.',
  rules: 'Be kind.',
});
const QUESTION = Object.freeze({
  kind: 'Question',
  title: `Who keeps the runbook current? ${RUN}`,
  body: 'Ours drifts within a month of every review.',
});
const ANSWER = 'The person on call edits it during the incident, not after.';
const LIVE_TIMEOUT = 10_000;

const KATHERINE = namedMember('Katherine', 'Johnson');

test.describe('several instances', () => {
  test.describe.configure({ mode: 'serial' });
  test.skip(!SECOND_URL, 'needs a second instance on the same PostgreSQL (SECOND_URL)');

  /** @type {{ada: import('@playwright/test').Page, katherine: import('@playwright/test').Page}} */
  const people = /** @type {any} */ (pagesFor(test, ['ada', 'katherine']));

  test('a reply written on instance A appears live on a page served by instance B', async ({}, testInfo) => {
    test.setTimeout(120_000);
    let threadId = '';

    await test.step('on A: the administrator opens a community; Katherine joins and asks', async () => {
      await signInAsAdmin(people.ada);
      const spaces = new SpacesPage(people.ada);
      await spaces.goto();
      await spaces.createSpace(SPACE);
      const space = new SpacePage(people.ada);
      await space.expectLoaded(SPACE.name);
      const slug = space.slug();
      await signUpAndSettleIn(people.katherine, KATHERINE);
      const joined = new SpacePage(people.katherine);
      await joined.goto(slug);
      await joined.join();
      await joined.startThread(QUESTION);
      const thread = new ThreadPage(people.katherine);
      await thread.expectLoaded(QUESTION.title);
      threadId = thread.id();
    });

    const onB = new ThreadPage(people.katherine);
    await test.step('on B: the same session opens her thread', async () => {
      await people.katherine.goto(`${SECOND_URL}${ThreadPage.pathFor(threadId)}`);
      await onB.expectLoaded(QUESTION.title);
      expect(new URL(people.katherine.url()).origin).toBe(new URL(SECOND_URL).origin);
      await expectNoSeriousA11yViolations(people.katherine, testInfo, 'a thread page on instance B');
    });

    await test.step('on A: the administrator answers', async () => {
      const onA = new ThreadPage(people.ada);
      await onA.goto(threadId);
      await onA.expectLoaded(QUESTION.title);
      await onA.postReply(ANSWER);
      await expect(onA.post(ADMIN.displayName, ANSWER)).toBeVisible();
    });

    await test.step('on B: the answer appears without a reload', async () => {
      await expect(onB.post(ADMIN.displayName, ANSWER)).toBeVisible({ timeout: LIVE_TIMEOUT });
      await expect(onB.liveStatus).toHaveText('A new reply was posted.');
      expect(new URL(people.katherine.url()).origin).toBe(new URL(SECOND_URL).origin);
    });
  });
});
