// Pages of the community's rules that the journeys only open and check: a member's own moderation
// history (/moderation/mine), the public moderation log (/moderation/log) and the administrator's
// word and link rules (/admin/rules).
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class SimplePage {
  /**
   * @param {import('@playwright/test').Page} page
   * @param {string} path
   * @param {string} heading  the page's h1
   */
  constructor(page, path, heading) {
    this.page = page;
    this.path = path;
    this.main = page.getByRole('main');
    this.heading = page.getByRole('heading', { level: 1, name: heading, exact: true });
  }

  async goto() {
    await this.page.goto(this.path);
  }

  async expectLoaded() {
    await expectPath(this.page, this.path);
    await expect(this.heading).toBeVisible();
  }
}

/** /moderation/mine: what moderators decided about the member, with acknowledge and appeal forms. */
class MyModerationPage extends SimplePage {
  static path = '/moderation/mine';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    super(page, MyModerationPage.path, 'Your moderation history');
  }
}

/** /moderation/log: the public log, a table naming the role that acted (never the person). */
class ModerationLogPage extends SimplePage {
  static path = '/moderation/log';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    super(page, ModerationLogPage.path, 'Moderation log');
    this.table = this.main.getByRole('table');
  }

  /** The rows of the log that mention `text` (in what was done or why). */
  entries(text) {
    return this.table.getByRole('row').filter({ hasText: text });
  }
}

/** /admin/rules: the organisation's word and link rules, with "Test a text". */
class RulesAdminPage extends SimplePage {
  static path = '/admin/rules';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    super(page, RulesAdminPage.path, 'Word and link rules');
  }
}

module.exports = { MyModerationPage, ModerationLogPage, RulesAdminPage };
