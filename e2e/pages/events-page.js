// /s/<slug>/events: the events of one space, "Coming up" and "Past events" (each a link to the
// event's page, /events/<id>, with when it is and a "Full" badge once every seat is taken), a link
// to the space's calendar (.ics), and for facilitators the "Plan an event" form (planning one leads
// to the new event's page).
const { expect } = require('@playwright/test');

class EventsPage {
  /** @param {string} slug */
  static pathFor(slug) {
    return `/s/${slug}/events`;
  }

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.main = page.getByRole('main');
    // "Events of <space name>".
    this.heading = page.getByRole('heading', { level: 1 });
    this.backToSpace = this.main.getByRole('link', { name: /^← / });
    this.calendarLink = this.main.getByRole('link', { name: 'Add these events to your calendar (.ics)', exact: true });
    this.upcoming = page.getByRole('region', { name: 'Coming up', exact: true });
    this.past = page.getByRole('region', { name: 'Past events', exact: true });
    this.planForm = page.getByRole('region', { name: 'Plan an event', exact: true });
    this.title = this.planForm.getByLabel('Title', { exact: true });
    // datetime-local inputs: fill with 'YYYY-MM-DDTHH:MM', in the event's time zone.
    this.startsAt = this.planForm.getByLabel('Starts', { exact: true });
    this.endsAt = this.planForm.getByLabel('Ends', { exact: true });
    // An IANA name ("Europe/Berlin"); "UTC" until changed.
    this.timeZone = this.planForm.getByLabel('Time zone', { exact: true });
    this.place = this.planForm.getByLabel('Place', { exact: true });
    this.videoLink = this.planForm.getByLabel('Video link', { exact: true });
    this.seats = this.planForm.getByLabel('Seats (empty for no limit)', { exact: true });
    this.description = this.planForm.getByLabel('Description (Markdown)', { exact: true });
    this.submit = this.planForm.getByRole('button', { name: 'Plan event', exact: true });
    // The error above the form when the event was not planned.
    this.error = this.planForm.getByRole('alert');
  }

  /** @param {string} slug */
  async goto(slug) {
    await this.page.goto(EventsPage.pathFor(slug));
  }

  /** On /s/<something>/events, listing the events of the space called `spaceName`. */
  async expectLoaded(spaceName) {
    await expect(this.page, 'expected the browser to be on the events of a space (/s/<slug>/events)').toHaveURL(
      (url) => /^\/s\/[a-z0-9-]+\/events$/.test(url.pathname),
    );
    await expect(this.heading).toHaveText(`Events of ${spaceName}`);
  }

  /** The link to an upcoming event, named after its title. */
  upcomingEventLink(title) {
    return this.upcoming.getByRole('link', { name: title, exact: true });
  }

  /** An upcoming event's entry in the list (its link, when it is and the "Full" badge). */
  upcomingEvent(title) {
    return this.upcoming
      .getByRole('listitem')
      .filter({ has: this.page.getByRole('link', { name: title, exact: true }) });
  }

  /** The "Full" badge of an event's entry. */
  fullBadge(entry) {
    return entry.getByText('Full', { exact: true });
  }

  /**
   * Fill in and send "Plan an event".
   * @param {{title: string, startsAt: string, endsAt: string, timeZone: string, place?: string,
   *   videoLink?: string, seats?: number|string, description?: string}} event
   *   startsAt/endsAt as 'YYYY-MM-DDTHH:MM' in timeZone; seats omitted for no limit
   */
  async planEvent(event) {
    await this.title.fill(event.title);
    await this.startsAt.fill(event.startsAt);
    await this.endsAt.fill(event.endsAt);
    await this.timeZone.fill(event.timeZone);
    await this.place.fill(event.place ?? '');
    await this.videoLink.fill(event.videoLink ?? '');
    await this.seats.fill(event.seats === undefined ? '' : String(event.seats));
    await this.description.fill(event.description ?? '');
    await this.submit.click();
  }
}

module.exports = { EventsPage };
