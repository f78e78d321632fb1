// Accountability partners: /partners (a member opts in per scope — "Anyone in the organisation" and
// each cohort or team space they belong to — and lists their partnerships), /partners/<id> (one
// partnership: why the pair was matched, this week's rhythm, goals, the weekly check-in and the
// check-ins with replies and encouragement), and /partners/manage[?space=<slug>] (a facilitator's
// overview: "Form pairs now", the waiting list, pair health with a chart, never what pairs wrote).
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

class PartnersPage {
  static path = '/partners';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = page.getByRole('heading', { level: 1, name: 'Accountability partners', exact: true });
    this.partnershipsRegion = page.getByRole('region', { name: 'Your partnerships', exact: true });
    this.noPartnerYet = this.partnershipsRegion.getByText(/^You have no partner yet\./);
    this.whereRegion = page.getByRole('region', { name: 'Where you want a partner', exact: true });
  }

  async goto() {
    await this.page.goto(PartnersPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, PartnersPage.path);
    await expect(this.heading).toBeVisible();
  }

  /**
   * The opt-in form of one scope, named by its heading: 'Anyone in the organisation' or the
   * space's name (followed by an "Opted in" badge once opted in).
   */
  scopeForm(scope) {
    return this.whereRegion.getByRole('form', { name: new RegExp(`^${escapeRegExp(scope)}( Opted in)?$`) });
  }

  /** The heading of a scope's card, e.g. to see its "Opted in" badge. */
  scopeHeading(scope) {
    return this.whereRegion.getByRole('heading', { level: 3, name: new RegExp(`^${escapeRegExp(scope)}( Opted in)?$`) });
  }

  /** The "Opted in" badge of a scope. */
  optedInBadge(scope) {
    return this.scopeHeading(scope).getByText('Opted in', { exact: true });
  }

  /**
   * Opt in for a partner in `scope` ("Find me a partner here"); leads back to /partners.
   * @param {string} scope
   * @param {{focus: string, from?: string, to?: string}} wish  times as "HH:MM"
   */
  async optIn(scope, wish) {
    const form = this.scopeForm(scope);
    await form.getByLabel('What you want to work on', { exact: true }).fill(wish.focus);
    if (wish.from) await form.getByLabel('From', { exact: true }).fill(wish.from);
    if (wish.to) await form.getByLabel('To', { exact: true }).fill(wish.to);
    await form.getByRole('button', { name: 'Find me a partner here', exact: true }).click();
  }

  /** A partnership in "Your partnerships": its card, found by its link (the partners' names). */
  partnership(partnerNames) {
    return this.partnershipsRegion
      .getByRole('listitem')
      .filter({ has: this.page.getByRole('link', { name: partnerNames, exact: true }) });
  }

  /** The link to a partnership, named after the partner(s): "Grace Hopper" or "A and B". */
  partnershipLink(partnerNames) {
    return this.partnershipsRegion.getByRole('link', { name: partnerNames, exact: true });
  }
}

class PartnershipPage {
  /** @param {number|string} id */
  static pathFor(id) {
    return `/partners/${id}`;
  }

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.main = page.getByRole('main');
    // "You and <partner>".
    this.heading = page.getByRole('heading', { level: 1 });
    this.matchedBecause = page.getByRole('region', { name: 'Matched because', exact: true });
    this.reasons = this.matchedBecause.getByRole('listitem');
    this.thisWeek = page.getByRole('region', { name: 'This week', exact: true });
    this.checkInDay = this.thisWeek.getByLabel('Check-in day', { exact: true });

    this.goals = page.getByRole('region', { name: 'Goals', exact: true });
    this.goalWhat = this.goals.getByLabel('What', { exact: true });
    this.goalByWhen = this.goals.getByLabel('By when', { exact: true });
    this.goalHowKnown = this.goals.getByLabel('How I will know', { exact: true });
    this.addGoalButton = this.goals.getByRole('button', { name: 'Add goal', exact: true });

    this.checkInRegion = page.getByRole('region', { name: 'Weekly check-in', exact: true });
    this.progress = this.checkInRegion.getByRole('group', { name: /^How did this week go\?/ });
    this.did = this.checkInRegion.getByLabel('What I did', { exact: true });
    this.blockers = this.checkInRegion.getByLabel('What blocks me (optional)', { exact: true });
    this.nextStep = this.checkInRegion.getByLabel('My next step', { exact: true });
    this.checkInButton = this.checkInRegion.getByRole('button', { name: 'Check in', exact: true });
    this.checkedInAlready = this.checkInRegion.getByText(/^You checked in this week\./);

    this.checkIns = page.getByRole('region', { name: 'Check-ins', exact: true });
    this.newPartner = page.getByRole('region', { name: 'Ask for a new partner', exact: true });
  }

  /** @param {number|string} id */
  async goto(id) {
    return this.page.goto(PartnershipPage.pathFor(id));
  }

  /** On /partners/<id>, headed "You and <partnerNames>". */
  async expectLoaded(partnerNames) {
    await expect(this.page, 'expected the browser to be on a partnership page (/partners/<id>)').toHaveURL((url) =>
      /^\/partners\/\d+$/.test(url.pathname),
    );
    await expect(this.heading).toHaveText(`You and ${partnerNames}`);
  }

  /** The id of the partnership shown, from the address. */
  id() {
    return new URL(this.page.url()).pathname.replace(/^\/partners\//, '');
  }

  /** "<name>: checked in" / "You: not checked in yet" lines of "This week". */
  rhythm(who) {
    return this.thisWeek.getByRole('listitem').filter({ hasText: new RegExp(`^\\s*${escapeRegExp(who)}:`) });
  }

  /** The heading over one person's goals: "Your goals" or "<name>’s goals". */
  goalsHeading(whose) {
    return this.goals.getByRole('heading', { level: 3, name: whose === 'You' ? 'Your goals' : `${whose}’s goals`, exact: true });
  }

  /** A goal in the list, by what it is. */
  goal(what) {
    return this.goals.getByRole('listitem').filter({ has: this.page.getByText(what, { exact: true }) });
  }

  /** @param {{what: string, byWhen: string, howKnown: string}} goal  byWhen as YYYY-MM-DD */
  async addGoal(goal) {
    await this.goalWhat.fill(goal.what);
    await this.goalByWhen.fill(goal.byWhen);
    await this.goalHowKnown.fill(goal.howKnown);
    await this.addGoalButton.click();
  }

  /** @param {{progress: number, did: string, blockers?: string, nextStep: string}} checkIn */
  async checkIn(checkIn) {
    await this.progress.getByRole('radio', { name: String(checkIn.progress), exact: true }).check();
    await this.did.fill(checkIn.did);
    if (checkIn.blockers) await this.blockers.fill(checkIn.blockers);
    await this.nextStep.fill(checkIn.nextStep);
    await this.checkInButton.click();
  }

  /** A check-in, by who wrote it as the page names them ("You" or the partner's name). */
  checkInBy(who) {
    return this.checkIns.getByRole('article', { name: new RegExp(`^${escapeRegExp(who)}, week of `) });
  }

  /** The "x/5" badge of a check-in. */
  progressBadge(checkIn) {
    return checkIn.getByRole('heading', { level: 3 }).getByText(/^\d\/5$/);
  }

  /** What a check-in says under one of its terms ("Did", "Blocked by", "Next step"). */
  checkInField(checkIn, term) {
    return checkIn.locator('dt', { hasText: new RegExp(`^${escapeRegExp(term)}$`) }).locator('xpath=following-sibling::dd[1]');
  }

  encourageButton(checkIn) {
    return checkIn.getByRole('button', { name: 'Encourage', exact: true });
  }

  replyButton(checkIn) {
    return checkIn.getByRole('button', { name: 'Reply', exact: true });
  }

  /** The replies under a check-in (encouragement reads "👏 <name> cheered you on", or "You cheered <name> on" for the giver). */
  replies(checkIn) {
    return checkIn.getByRole('listitem');
  }
}

class PartnersManagePage {
  /** @param {string} [slug]  a space; none for the organisation-wide scope */
  static pathFor(slug) {
    return slug ? `/partners/manage?space=${encodeURIComponent(slug)}` : '/partners/manage';
  }

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = page.getByRole('heading', { level: 1 });
    this.health = page.getByRole('region', { name: 'How the pairs are going', exact: true });
    // "N opted in · N pair(s) · N waiting".
    this.summary = this.health.getByText(/^\d+ opted in · \d+ pairs? · \d+ waiting$/);
    this.healthChart = this.health.getByRole('img', { name: /^Pairs by health:/ });
    this.round = page.getByRole('region', { name: 'Form pairs', exact: true });
    this.formPairsButton = this.round.getByRole('button', { name: 'Form pairs now', exact: true });
    // After "Form pairs now": "N partnership(s) formed for N people." and who is still waiting.
    this.roundStatus = this.round.getByRole('status');
    this.weekly = this.round.getByRole('checkbox', { name: 'Form pairs by themselves every week' });
    this.waiting = page.getByRole('region', { name: 'Waiting for a partner', exact: true });
    this.pairChosenButton = this.waiting.getByRole('button', { name: 'Pair the chosen people', exact: true });
    this.pairs = page.getByRole('region', { name: 'Pairs', exact: true });
    this.pairsTable = this.pairs.getByRole('table', { name: 'Active partnerships and how they are going' });
  }

  /** @param {string} [slug] */
  async goto(slug) {
    await this.page.goto(PartnersManagePage.pathFor(slug));
  }

  /** Headed "Partners in <scopeName>", at /partners/manage (or its round's answer). */
  async expectLoaded(scopeName) {
    await expect(this.page).toHaveURL((url) => url.pathname.startsWith('/partners/manage'));
    await expect(this.heading).toHaveText(`Partners in ${scopeName}`);
  }

  /** The checkbox of someone on the waiting list. */
  waitingPerson(displayName) {
    return this.waiting.getByRole('checkbox', { name: displayName, exact: true });
  }

  async formPairsNow() {
    await this.formPairsButton.click();
  }

  /** The row of a pair in the table, by the names of its people (all of them must appear). */
  pairRow(...displayNames) {
    let row = this.pairsTable.getByRole('row');
    for (const name of displayNames) row = row.filter({ hasText: name });
    return row;
  }

  /** One cell of a pair's row, by its column ("Health", "Streak", "Last check-in week", …). */
  async pairCell(row, column) {
    const headers = (await this.pairsTable.getByRole('columnheader').allInnerTexts()).map((t) => t.trim());
    const index = headers.indexOf(column);
    expect(index, `a "${column}" column in the pairs table (columns: ${headers.join(', ')})`).toBeGreaterThanOrEqual(0);
    return row.getByRole('cell').nth(index);
  }
}

module.exports = { PartnersPage, PartnershipPage, PartnersManagePage };
