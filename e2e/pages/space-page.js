// /s/<slug>: one space, with its threads, the join/leave buttons, links to its members and events
// (for those who can read it) and to accountability partners (members of cohorts and teams), and (for members) the "Start a thread" form (posting leads to the new
// thread's page, /t/<id>).
const { expect } = require('@playwright/test');

class SpacePage {
  /** @param {string} slug */
  static pathFor(slug) {
    return `/s/${slug}`;
  }

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1 });
    this.joinButton = page.getByRole('button', { name: 'Join space', exact: true });
    this.leaveButton = page.getByRole('button', { name: 'Leave space', exact: true });
    // Leads to /s/<slug>/events.
    this.eventsLink = page.getByRole('main').getByRole('link', { name: 'Events', exact: true });
    // Members of a cohort or team space: "Accountability partners" (/partners), and for its
    // facilitators "(manage)" (/partners/manage?space=<slug>).
    this.partnersLink = page.getByRole('main').getByRole('link', { name: 'Accountability partners', exact: true });
    this.managePartnersLink = page.getByRole('main').getByRole('link', { name: 'manage partners', exact: true });
    this.threads = page.getByRole('region', { name: 'Threads', exact: true });
    this.newThreadForm = page.getByRole('region', { name: 'Start a thread' });
    this.kind = this.newThreadForm.getByRole('group', { name: 'Kind', exact: true });
    this.title = this.newThreadForm.getByLabel('Title', { exact: true });
    this.link = this.newThreadForm.getByLabel('Link (for resources)', { exact: true });
    this.body = this.newThreadForm.getByLabel('Text (Markdown)', { exact: true });
    this.submit = this.newThreadForm.getByRole('button', { name: 'Post thread' });
  }

  /** @param {string} slug */
  async goto(slug) {
    await this.page.goto(SpacePage.pathFor(slug));
  }

  /** On /s/<something>, showing the space called `name`. */
  async expectLoaded(name) {
    await expect(this.page, 'expected the browser to be on a space page (/s/<slug>)').toHaveURL((url) =>
      /^\/s\/[a-z0-9-]+$/.test(url.pathname),
    );
    await expect(this.heading).toHaveText(name);
  }

  /** The slug of the space shown, from the address. */
  slug() {
    return new URL(this.page.url()).pathname.replace(/^\/s\//, '');
  }

  /** The link to a thread in the space's list, named after its title. */
  threadLink(title) {
    return this.threads.getByRole('link', { name: title, exact: true });
  }

  async join() {
    await this.joinButton.click();
  }

  /**
   * Fill in and send "Start a thread".
   * @param {{kind: string, title: string, body: string, link?: string}} thread  kind as labelled ("Question")
   */
  async startThread(thread) {
    await this.kind.getByRole('radio', { name: thread.kind, exact: true }).check();
    await this.title.fill(thread.title);
    if (thread.link) await this.link.fill(thread.link);
    await this.body.fill(thread.body);
    await this.submit.click();
  }
}

module.exports = { SpacePage };
