// Ideas that snowball, in three browser contexts. The administrator opens a community;
// Radia and Barbara join. Radia proposes an idea; Barbara checks for similar ideas while
// writing hers, finds Radia's, and builds on it instead. The administrator, who facilitates
// the space, adopts Barbara's idea with a note: both women are credited — the points and the
// "Idea adopted" badge reach their rewards page — and Radia's badge verifies on its public
// credential page. The family tree shows both ideas. axe-core checks every new page.
const { test, expect } = require('@playwright/test');
const { expectNoSeriousA11yViolations } = require('../support/axe');
const { pagesFor } = require('../support/contexts');
const { signInAsAdmin } = require('../support/session');
const { namedMember, signUpAndSettleIn } = require('../support/members');
const { SpacesPage } = require('../pages/spaces-page');
const { SpacePage } = require('../pages/space-page');
const { MyRewardsPage, CredentialPage } = require('../pages/rewards-pages');
const { IdeaBoardPage, IdeaFormPage, IdeaPage } = require('../pages/ideas-pages');

// Digits only: a random mix of letters and digits can read as a disguised word to the check.
const RUN = String(Date.now());

const SPACE = Object.freeze({
  name: `Operations Circle ${RUN}`,
  kind: 'Community',
  visibility: 'Open',
  description: 'How we run the office, together.',
  rules: 'Be kind.',
});
const ORIGINAL = Object.freeze({
  space: SPACE.name,
  title: `Weekly rota for the office kitchen ${RUN}`,
  problem: 'The kitchen is a mess by Thursday and nobody feels responsible.',
  proposal: 'A weekly rota so that each team looks after the kitchen one week at a time.',
  tags: 'office, rota',
});
const BUILT = Object.freeze({
  title: `Kitchen rota with a shared checklist ${RUN}`,
  problem: 'A rota alone leaves people unsure what looking after the kitchen means.',
  proposal: 'Keep the weekly rota and add a short checklist on the fridge for the team of the week.',
  benefit: 'A clean kitchen every day, and no arguments about what was expected.',
});
const ADOPTION_NOTE = 'Starting next Monday with the finance team.';
const BADGE = 'Idea adopted';
const CREDIT_TIMEOUT = 30_000;

const RADIA = namedMember('Radia', 'Perlman');
const BARBARA = namedMember('Barbara', 'Liskov');

test.describe('ideas', () => {
  test.describe.configure({ mode: 'serial' });

  /** @type {{ada: import('@playwright/test').Page, radia: import('@playwright/test').Page, barbara: import('@playwright/test').Page}} */
  const people = /** @type {any} */ (pagesFor(test, ['ada', 'radia', 'barbara']));

  test('an idea built on and adopted credits everyone behind it', async ({}, testInfo) => {
    test.setTimeout(240_000);
    let slug = '';
    let originalId = '';
    let builtId = '';

    await test.step('the administrator opens a community; Radia and Barbara join', async () => {
      await signInAsAdmin(people.ada);
      const spaces = new SpacesPage(people.ada);
      await spaces.goto();
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

    await test.step('Radia proposes an idea from the board', async () => {
      const board = new IdeaBoardPage(people.radia);
      await board.goto();
      await expect(board.heading).toHaveText('Ideas');
      await expectNoSeriousA11yViolations(people.radia, testInfo, '/ideas');
      await board.propose.click();
      const form = new IdeaFormPage(people.radia);
      await expect(form.heading).toHaveText('Propose an idea');
      await expectNoSeriousA11yViolations(people.radia, testInfo, '/ideas/new');
      await form.fill(ORIGINAL);
      await form.submit.click();
      const idea = new IdeaPage(people.radia);
      await idea.expectLoaded(ORIGINAL.title);
      originalId = idea.id();
      await expect(idea.family).toContainText('No other idea is linked to this one yet');
      await people.radia.getByRole('link', { name: 'Change it', exact: true }).click();
      await expect(people.radia.getByRole('heading', { level: 1 })).toHaveText('Change your idea');
      await expect(new IdeaFormPage(people.radia).title).toHaveValue(ORIGINAL.title);
      await expectNoSeriousA11yViolations(people.radia, testInfo, '/ideas/<id>/edit');
    });

    await test.step('Barbara finds it among similar ideas while writing hers, and builds on it', async () => {
      const page = people.barbara;
      await page.goto(`/ideas/new?space=${slug}`);
      const form = new IdeaFormPage(page);
      await form.fill(BUILT);
      await form.checkSimilar.click();
      await expect(form.similar).toBeVisible();
      const similar = form.similar.getByRole('link', { name: ORIGINAL.title, exact: true });
      await expect(similar).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, '/ideas/new (similar ideas)');
      await similar.click();
      const original = new IdeaPage(page);
      await original.expectLoaded(ORIGINAL.title);
      await original.voteButton.click();
      await expect(original.votes).toHaveAccessibleName('1 vote');
      await original.buildOn.click();
      await expect(page.getByText(`This idea builds on “${ORIGINAL.title}”`)).toBeVisible();
      await form.fill(BUILT);
      await form.submit.click();
      const built = new IdeaPage(page);
      await built.expectLoaded(BUILT.title);
      builtId = built.id();
      await expect(built.tree).toBeVisible();
      await expect(built.family.getByRole('link', { name: ORIGINAL.title, exact: true }).first()).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, '/ideas/<id> (family tree)');
    });

    await test.step('the facilitator adopts it; the credit names both women', async () => {
      const page = people.ada;
      await page.goto(`/ideas/${builtId}`);
      const idea = new IdeaPage(page);
      await idea.expectLoaded(BUILT.title);
      await expect(idea.credit).toContainText(`${BARBARA.displayName} — Wrote the idea`);
      await expect(idea.credit).toContainText(`${RADIA.displayName} — Original idea`);
      await idea.moveIdea('Adopted', ADOPTION_NOTE);
      await expect(idea.decisions).toContainText('Proposal → Adopted');
      await expect(idea.decisions).toContainText(ADOPTION_NOTE);
      await expect(page.getByRole('heading', { name: 'Credited', exact: true })).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, '/ideas/<id> (decided)');
      await page.goto(`/s/${slug}/ideas?status=adopted`);
      await expect(new IdeaBoardPage(page).ideaLink(BUILT.title)).toBeVisible();
      await expect(new IdeaBoardPage(page).ideaLink(ORIGINAL.title)).toHaveCount(0);
      await expectNoSeriousA11yViolations(page, testInfo, '/s/<slug>/ideas?status=adopted');
    });

    await test.step('both are credited with points and the badge, and Radia\'s badge verifies', async () => {
      for (const page of [people.barbara, people.radia]) {
        const mine = new MyRewardsPage(page);
        await expect(async () => {
          await mine.goto();
          await expect(mine.badgeLink(BADGE)).toBeVisible({ timeout: 1_000 });
        }, 'the badge arrives once the outbox has credited the lineage').toPass({ timeout: CREDIT_TIMEOUT });
        await expect(mine.ledger).toContainText('An idea you contributed to was adopted');
      }
      const mine = new MyRewardsPage(people.radia);
      await mine.badgeLink(BADGE).click();
      const credential = new CredentialPage(people.radia);
      await credential.expectLoaded(BADGE);
      await expect(credential.status).toContainText('Verified: issued by');
      await expect(credential.status).toContainText(`to ${RADIA.displayName}`);
      expect(originalId).not.toBe('');
    });

    await test.step('the gallery of ideas that became work explains what to do while it is empty', async () => {
      const page = people.radia;
      await page.goto('/ideas/became-work');
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ideas that became work');
      await expectNoSeriousA11yViolations(page, testInfo, '/ideas/became-work');
    });
  });
});
