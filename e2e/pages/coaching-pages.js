// Coaching: the member's coaching page, the coach form (applying), the applications that
// administrators and facilitators decide, finding a coach, asking for coaching, and a request
// with its sessions (planning, confirming, the video link and calendar file, rating).
const { expect } = require('@playwright/test');
const { expectPath } = require('../support/paths');

class CoachingHomePage {
  static path = '/coaching';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Coaching', exact: true });
    this.asCoach = page.getByRole('region', { name: 'You as a coach' });
    this.toCoach = page.getByRole('region', { name: 'Requests to you' });
    this.mine = page.getByRole('region', { name: 'Your requests' });
  }

  async goto() {
    await this.page.goto(CoachingHomePage.path);
    await this.expectLoaded();
  }

  async expectLoaded() {
    await expectPath(this.page, CoachingHomePage.path);
    await expect(this.heading).toBeVisible();
  }

  async expectCoachStatus(label) {
    await expect(this.asCoach.locator('.badge').first()).toHaveText(label);
  }

  /** Opens a request the member received as a coach, by its topic. */
  async openReceived(topic) {
    await this.toCoach.getByRole('link', { name: topic, exact: true }).click();
  }
}

class CoachFormPage {
  static path = '/coaching/profile';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.skills = page.getByLabel('Skills you coach');
    this.capacity = page.getByLabel('Sessions a month');
    this.timeZone = page.getByLabel('Time zone', { exact: true });
    this.availability = page.getByLabel('When you are available');
    this.bio = page.getByLabel('How you can help');
    this.submit = page.getByRole('button', { name: 'Send your application' });
  }

  async goto() {
    await this.page.goto(CoachFormPage.path);
    await expect(this.page.getByRole('heading', { level: 1, name: 'Apply to coach' })).toBeVisible();
  }

  /** @param {{skills: string, capacity: string, timeZone: string, availability: string, bio: string}} offer */
  async apply(offer) {
    await this.skills.fill(offer.skills);
    await this.capacity.fill(offer.capacity);
    await this.timeZone.fill(offer.timeZone);
    await this.availability.fill(offer.availability);
    await this.bio.fill(offer.bio);
    await this.submit.click();
  }

  async expectFieldError(label, message) {
    await expect(this.page.getByLabel(label)).toHaveAttribute('aria-invalid', 'true');
    await expect(this.page.locator('.field-error').first()).toContainText(message);
  }
}

class ApplicationsPage {
  static path = '/coaching/applications';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Applications to coach' });
  }

  async goto() {
    await this.page.goto(ApplicationsPage.path);
    await expect(this.heading).toBeVisible();
  }

  async approve(displayName) {
    await this.page.getByRole('button', { name: `Approve ${displayName}`, exact: true }).click();
    await expectPath(this.page, ApplicationsPage.path);
    await expect(this.page.getByRole('button', { name: `Approve ${displayName}`, exact: true })).toHaveCount(0);
  }
}

class FindCoachPage {
  static path = '/coaching/coaches';

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1, name: 'Find a coach' });
    this.skill = page.getByLabel('Skill', { exact: true });
    this.times = page.getByLabel('When you can meet (optional)');
    this.timeZone = page.getByLabel('Your time zone (optional)');
    this.find = page.getByRole('button', { name: 'Find coaches' });
    this.results = page.getByRole('list', { name: /^Coaches/ });
  }

  async goto() {
    await this.page.goto(FindCoachPage.path);
    await expect(this.heading).toBeVisible();
  }

  async search({ skill, times, timeZone }) {
    await this.skill.fill(skill);
    await this.times.fill(times);
    await this.timeZone.fill(timeZone);
    await this.find.click();
  }

  /** The result for a coach, with the reasons of its place. */
  coach(displayName) {
    return this.results.getByRole('listitem').filter({ has: this.page.getByRole('link', { name: displayName, exact: true }) });
  }

  async expectReason(displayName, reason) {
    await expect(this.coach(displayName).getByRole('listitem').filter({ hasText: reason })).toBeVisible();
  }

  async ask(displayName) {
    await this.coach(displayName).getByRole('link', { name: `Ask ${displayName} for coaching` }).click();
  }
}

class RequestFormPage {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.topic = page.getByLabel('Topic', { exact: true });
    this.goal = page.getByLabel('Your goal');
    this.times = page.getByLabel('When you can meet (optional)');
    this.timeZone = page.getByLabel('Your time zone');
    this.send = page.getByRole('button', { name: 'Send the request' });
  }

  async expectCoach(displayName) {
    await expect(this.page.getByRole('heading', { level: 1, name: `Ask ${displayName} for coaching` })).toBeVisible();
  }

  async ask({ topic, goal, times, timeZone }) {
    await this.topic.fill(topic);
    await this.goal.fill(goal);
    await this.times.fill(times);
    await this.timeZone.fill(timeZone);
    await this.send.click();
  }
}

class RequestPage {
  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.sessions = page.getByRole('region', { name: 'Sessions' });
    this.startsAt = page.getByLabel('Starts', { exact: true });
    this.timeZone = page.getByLabel('Time zone', { exact: true });
    this.minutes = page.getByLabel('Length in minutes');
    this.videoUrl = page.getByLabel('Video call link');
  }

  async expectTopic(topic) {
    await expect(this.page.getByRole('heading', { level: 1, name: topic, exact: true })).toBeVisible();
  }

  /** The request's address, e.g. /coaching/requests/3. */
  path() {
    return new URL(this.page.url()).pathname;
  }

  /**
   * The coach plans a session: `action` is "Schedule the session" or "Propose this time".
   * @param {{startsAt: string, timeZone: string, minutes: string, videoUrl: string}} session
   */
  async plan(session, action) {
    await this.startsAt.fill(session.startsAt);
    await this.timeZone.fill(session.timeZone);
    await this.minutes.fill(session.minutes);
    await this.videoUrl.fill(session.videoUrl);
    await this.page.getByRole('button', { name: action, exact: true }).click();
  }

  /** A session's card, by its status label ("Proposed time", "Scheduled", …). */
  session(status) {
    return this.sessions.getByRole('article').filter({ has: this.page.locator('.badge', { hasText: status }) });
  }

  async confirmProposedTime() {
    await this.session('Proposed time').getByRole('button', { name: 'Confirm this time' }).click();
  }

  videoLink(url) {
    return this.sessions.getByRole('link', { name: url, exact: true });
  }

  calendarLink() {
    return this.sessions.getByRole('link', { name: 'Add to your calendar (.ics)' }).first();
  }

  /** The learner rates the session that took place. */
  async rate({ helped, rating, comment }) {
    const card = this.session('Took place');
    await card.getByRole('radio', { name: helped ? 'Yes' : 'No', exact: true }).check();
    await card.getByLabel('How useful was it, from 1 to 5?').selectOption(String(rating));
    await card.getByLabel(/^Comment for/).fill(comment);
    await card.getByRole('button', { name: 'Rate the session' }).click();
  }

  async expectRating(text) {
    await expect(this.sessions.getByText(text)).toBeVisible();
  }
}

module.exports = {
  CoachingHomePage,
  CoachFormPage,
  ApplicationsPage,
  FindCoachPage,
  RequestFormPage,
  RequestPage,
};
