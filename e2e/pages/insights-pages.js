// Care and insights: /care (a helper's queue: people they help who may need a hand),
// /care/<id> (one signal: why, its status, "I'll reach out", people who know the topic of an
// unanswered question with an "Invite … to answer" button, and what helpers did),
// /me/insights (what is measured about me, who may see it, who looked), /s/<slug>/insights and
// /insights (dashboards: charts with their numbers, and a "listen more" nudge) and
// /moderation/report (the public transparency report).
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class CareQueuePage {
  static path = '/care';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Care queue', exact: true });
  }

  async goto() {
    await this.page.goto(CareQueuePage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, CareQueuePage.path);
    await expect(this.heading).toBeVisible();
  }

  /** The link to a signal, named "<member>: <what>", e.g. "Grace Hopper: Question without an answer". */
  signalLink(member, label) {
    return this.page.getByRole('main').getByRole('link', { name: `${member}: ${label}`, exact: true });
  }
}

class CareSignalPage {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1 });
    this.status = page.locator('#care-status');
    this.claimButton = page.getByRole('button', { name: 'I’ll reach out', exact: true });
    this.resolvedButton = page.getByRole('button', { name: 'Resolved', exact: true });
    this.experts = page.getByRole('region', { name: 'People who know the topic', exact: true });
    this.history = page.getByRole('region', { name: 'What helpers did', exact: true });
  }

  async expectLoaded(member, label) {
    await expect(this.page).toHaveURL((url) => /^\/care\/\d+$/.test(url.pathname));
    await expect(this.heading).toHaveText(`${member}: ${label}`);
  }

  inviteButton(expert) {
    return this.experts.getByRole('button', { name: `Invite ${expert} to answer`, exact: true });
  }
}

class MyInsightsPage {
  static path = '/me/insights';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'What is measured about me', exact: true });
    this.signals = page.getByRole('region', { name: 'Signals about me', exact: true });
    this.views = page.getByRole('region', { name: 'Who looked', exact: true });
  }

  async goto() {
    await this.page.goto(MyInsightsPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, MyInsightsPage.path);
    await expect(this.heading).toBeVisible();
  }

  /** A row of "Who looked", by the helper's name and relation ("partner", "facilitator"). */
  viewRow(name, relation) {
    return this.views.getByRole('row').filter({ hasText: name }).filter({ hasText: relation });
  }
}

class DashboardPage {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1 });
    this.talkNudge = page.locator('#talk-nudge');
    this.charts = page.getByRole('main').getByRole('img');
    this.csvLink = page.getByRole('link', { name: 'Download the data (CSV)', exact: true });
  }

  /** @param {string|null} slug  a space, or null for the community */
  async goto(slug) {
    await this.page.goto(slug ? `/s/${slug}/insights` : '/insights');
  }

  async expectLoaded(scope) {
    await expect(this.heading).toHaveText(`How ${scope} is doing`);
  }

  /** A chart (an SVG image named by its title, then its description). */
  chart(title) {
    return this.page.getByRole('img', { name: new RegExp(`^${title} `) });
  }

  /** A chart's table of numbers, by its caption (inside a closed "The numbers" until opened). */
  numbers(title) {
    return this.page.getByRole('table', { name: title, exact: true, includeHidden: true });
  }
}

class TransparencyReportPage {
  static path = '/moderation/report';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Moderation transparency report', exact: true });
    this.table = page.getByRole('table', { name: 'Every count, by month', exact: true });
  }

  async goto() {
    await this.page.goto(TransparencyReportPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, TransparencyReportPage.path);
    await expect(this.heading).toBeVisible();
  }
}

module.exports = { CareQueuePage, CareSignalPage, MyInsightsPage, DashboardPage, TransparencyReportPage };
