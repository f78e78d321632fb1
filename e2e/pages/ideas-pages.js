// Ideas: /ideas (the organisation's board; /s/<slug>/ideas for one space), /ideas/new (propose,
// possibly building on another idea: ?builds_on=<id>), /ideas/<id> (an idea with its votes,
// family tree, credit and decisions) and /ideas/became-work (the gallery).
const { expect } = require('@playwright/test');

class IdeaBoardPage {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1 });
    this.propose = page.getByRole('link', { name: 'Propose an idea', exact: true });
  }

  /** @param {string} [slug] one space's board; the organisation's otherwise */
  async goto(slug) {
    await this.page.goto(slug ? `/s/${slug}/ideas` : '/ideas');
  }

  ideaLink(title) {
    return this.page.getByRole('main').getByRole('link', { name: title, exact: true });
  }
}

class IdeaFormPage {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1 });
    this.space = page.getByLabel('Space', { exact: true });
    this.title = page.getByLabel('Title', { exact: true });
    this.problem = page.getByLabel('The problem', { exact: true });
    this.proposal = page.getByLabel('Your proposal', { exact: true });
    this.benefit = page.getByLabel('Expected benefit (optional)', { exact: true });
    this.tags = page.getByLabel('Tags (optional)', { exact: true });
    this.checkSimilar = page.getByRole('button', { name: 'Check for similar ideas', exact: true });
    this.similar = page.getByRole('region', { name: 'Similar ideas', exact: true });
    this.submit = page.getByRole('button', { name: 'Propose the idea', exact: true });
  }

  /**
   * Fill in the form (the space by its name, when the form asks for one).
   * @param {{space?: string, title: string, problem: string, proposal: string, benefit?: string, tags?: string}} idea
   */
  async fill(idea) {
    if (idea.space) await this.space.selectOption({ label: idea.space });
    await this.title.fill(idea.title);
    await this.problem.fill(idea.problem);
    await this.proposal.fill(idea.proposal);
    await this.benefit.fill(idea.benefit ?? '');
    await this.tags.fill(idea.tags ?? '');
  }
}

class IdeaPage {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1 });
    this.votes = page.getByRole('region', { name: /^\d+ votes?$/ });
    this.voteButton = page.getByRole('button', { name: 'Vote for this idea', exact: true });
    this.buildOn = page.getByRole('link', { name: 'Build on this idea', exact: true });
    this.family = page.getByRole('region', { name: 'Where it comes from and what it led to', exact: true });
    this.tree = this.family.getByRole('group', { name: /^Family tree of/ });
    this.credit = page.locator('#credit');
    this.decisions = page.getByRole('region', { name: 'Decisions', exact: true });
    this.moveTo = page.getByLabel('Move the idea to', { exact: true });
    this.note = page.getByLabel('Decision note', { exact: true });
    this.move = page.getByRole('button', { name: 'Move it', exact: true });
  }

  async expectLoaded(title) {
    await expect(this.page).toHaveURL(/\/ideas\/\d+(#.*)?$/);
    await expect(this.heading).toHaveText(title);
  }

  /** The idea's number, from the address. */
  id() {
    return new URL(this.page.url()).pathname.split('/')[2];
  }

  /** A facilitator moves the idea on, with a note. */
  async moveIdea(statusLabel, note) {
    await this.moveTo.selectOption({ label: statusLabel });
    await this.note.fill(note);
    await this.move.click();
  }
}

module.exports = { IdeaBoardPage, IdeaFormPage, IdeaPage };
