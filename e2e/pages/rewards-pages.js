// Rewards: /me/rewards (my points, the ledger behind them, badges with their credentials, kudos,
// and my leaderboard choice), /recognition (the kudos feed), /badges/<slug> (a badge's criteria
// and holders), /credentials/<key> (a credential's public verification page), and the
// "Recognition" region of a profile (kudos, badges, "Give kudos", "Award … a badge").
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class MyRewardsPage {
  static path = '/me/rewards';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Your rewards', exact: true });
    this.total = page.locator('#points-total');
    this.badges = page.getByRole('region', { name: 'Badges and credentials', exact: true });
    this.ledger = page.getByRole('region', { name: 'Where your points came from', exact: true });
  }

  async goto() {
    await this.page.goto(MyRewardsPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, MyRewardsPage.path);
    await expect(this.heading).toBeVisible();
  }

  /** A badge's link (to its credential), by its name. */
  badgeLink(name) {
    return this.badges.getByRole('heading', { name, exact: false }).getByRole('link', { name, exact: true });
  }
}

class RecognitionPage {
  static path = '/recognition';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Recognition', exact: true });
  }

  async goto() {
    await this.page.goto(RecognitionPage.path);
  }

  async expectLoaded() {
    await expectPath(this.page, RecognitionPage.path);
    await expect(this.heading).toBeVisible();
  }

  /** A kudos card, by its message. */
  kudos(message) {
    return this.page.getByRole('main').getByRole('listitem').filter({ hasText: message });
  }
}

class ProfileRecognition {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.region = page.getByRole('region', { name: 'Recognition', exact: true });
    this.kudosMessage = this.region.getByLabel(/^Thank .+ in public$/);
    this.giveKudosButton = this.region.getByRole('button', { name: 'Give kudos', exact: true });
    this.badgeChoice = this.region.getByLabel('Badge', { exact: true });
    this.badgeReason = this.region.getByLabel('Why they earned it', { exact: true });
    this.awardButton = this.region.getByRole('button', { name: 'Award the badge', exact: true });
  }

  /** @param {string} message */
  async giveKudos(message) {
    await this.kudosMessage.fill(message);
    await this.giveKudosButton.click();
  }

  /** @param {string} badge  as the choice reads ("🔎 Data Detective") @param {string} reason */
  async award(badge, reason) {
    await this.badgeChoice.selectOption({ label: badge });
    await this.badgeReason.fill(reason);
    await this.awardButton.click();
  }
}

class CredentialPage {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1 });
    this.status = page.locator('#credential-status');
    this.download = page.getByRole('link', { name: 'Download it', exact: true });
  }

  async expectLoaded(badge) {
    await expect(this.page).toHaveURL((url) => /^\/credentials\/[\w-]+$/.test(url.pathname));
    await expect(this.heading).toContainText(badge);
  }
}

module.exports = { MyRewardsPage, RecognitionPage, ProfileRecognition, CredentialPage };
