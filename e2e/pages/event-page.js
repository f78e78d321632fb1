// /events/<id>: one event: when it is (in its own time zone), place, video link, how many are
// coming (of how many seats), its description, "I am coming" / "I cannot come" for members while it
// has not ended ("I am coming" only while a seat is free), a link to the space's calendar (.ics),
// and the people who answered: "Who is coming" for members, "Answers and attendance" with a
// "Mark <name> attended" / "Mark <name> absent" button each for facilitators.
const fs = require('node:fs/promises');
const { expect } = require('@playwright/test');

class EventPage {
  /** @param {number|string} id */
  static pathFor(id) {
    return `/events/${id}`;
  }

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.main = page.getByRole('main');
    this.heading = page.getByRole('heading', { level: 1 });
    // "← Events of <space name>".
    this.backToEvents = this.main.getByRole('link', { name: /^← Events of / });
    this.comingButton = this.main.getByRole('button', { name: 'I am coming', exact: true });
    this.cannotComeButton = this.main.getByRole('button', { name: 'I cannot come', exact: true });
    this.youAreComing = this.main.getByText('You are coming.', { exact: true });
    // The calendar of the event's space, downloaded (an attachment).
    this.calendarLink = this.main.getByRole('link', { name: 'Add to your calendar (.ics)', exact: true });
    // Named "Answers and attendance" for facilitators, "Who is coming" for everyone else.
    this.attendees = page.getByRole('region', { name: /^(Answers and attendance|Who is coming)$/ });
    this.attendance = page.getByRole('region', { name: 'Answers and attendance', exact: true });
    this.alert = this.main.getByRole('alert');
  }

  /** @param {number|string} id */
  async goto(id) {
    await this.page.goto(EventPage.pathFor(id));
  }

  /** On /events/<id>, showing the event titled `title`. */
  async expectLoaded(title) {
    await expect(this.page, 'expected the browser to be on an event page (/events/<id>)').toHaveURL((url) =>
      /^\/events\/\d+$/.test(url.pathname),
    );
    await expect(this.heading).toHaveText(title);
  }

  /** The id of the event shown, from the address. */
  id() {
    return new URL(this.page.url()).pathname.replace(/^\/events\//, '');
  }

  /** When the event is, as the page says it, e.g. 'Tue 4 Mar 2031, 09:30–11:00 (Europe/Berlin)'. */
  when(text) {
    return this.main.getByText(text, { exact: true });
  }

  /** The event's place, as listed: "Place: <place>". */
  place(text) {
    return this.main.getByText(`Place: ${text}`, { exact: true });
  }

  /** The event's video link, named after its address. */
  videoLink(url) {
    return this.main.getByRole('link', { name: url, exact: true });
  }

  /** The head count, e.g. headCount(1, 1) is "1 coming of 1 seats"; without seats "3 coming". */
  headCount(going, seats) {
    const text = seats === undefined ? `${going} coming` : `${going} coming of ${seats} seats`;
    return this.main.getByText(text, { exact: true });
  }

  /** A person among those who answered, by display name. */
  attendee(displayName) {
    return this.attendees
      .getByRole('listitem')
      .filter({ hasText: new RegExp(`^\\s*${escapeRegExp(displayName)}\\b`) });
  }

  /** The "attended" mark of a person in "Answers and attendance". */
  attendedMark(attendee) {
    return attendee.getByText('attended', { exact: true });
  }

  markAttendedButton(displayName) {
    return this.attendance.getByRole('button', { name: `Mark ${displayName} attended`, exact: true });
  }

  markAbsentButton(displayName) {
    return this.attendance.getByRole('button', { name: `Mark ${displayName} absent`, exact: true });
  }

  async comeToIt() {
    await this.comingButton.click();
  }

  /**
   * Click "Add to your calendar (.ics)" and read the file the browser downloads.
   * @returns {Promise<{filename: string, text: string}>}
   */
  async downloadCalendar() {
    const download = this.page.waitForEvent('download');
    await this.calendarLink.click();
    const file = await download;
    const failure = await file.failure();
    expect(failure, `the calendar download failed: ${failure}`).toBeNull();
    return { filename: file.suggestedFilename(), text: await fs.readFile(await file.path(), 'utf8') };
  }
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

module.exports = { EventPage };
