// Events, with three people in three browser contexts: the administrator creates an open space and
// plans an event with one seat in Berlin time; the page says when it is in that zone, and the
// calendar file (.ics) has it in UTC. Katherine signs up, joins and takes the seat; Margaret signs
// up, joins and finds the event full. The administrator marks Katherine attended. axe-core checks
// the events list and the event page on the way, for the facilitator and for members. The tests
// run in order and share the three browsers.
// Needs a fresh server (Katherine and Margaret have fixed addresses): ../test.sh starts one for each
// browser suite. Creates the administrator through /setup when run on its own.
const { test, expect } = require('@playwright/test');
const { ADMIN, KATHERINE, MARGARET } = require('../support/accounts');
const { expectNoSeriousA11yViolations } = require('../support/axe');
const { signInAsAdmin } = require('../support/session');
const { HomePage } = require('../pages/home-page');
const { SignupPage } = require('../pages/signup-page');
const { SiteNav } = require('../pages/site-nav');
const { SpacesPage } = require('../pages/spaces-page');
const { SpacePage } = require('../pages/space-page');
const { EventsPage } = require('../pages/events-page');
const { EventPage } = require('../pages/event-page');

const SPACE = Object.freeze({
  name: 'Facilitation Practice Circle',
  kind: 'Community',
  visibility: 'Open',
  description: 'Facilitators practise together: **workshops**, peer sessions and follow-ups.',
  rules: 'Come prepared; leave on time.',
});

// Berlin is on CET (UTC+1) on 4 March 2031, a Tuesday: 09:30 there is 08:30 UTC.
const EVENT = Object.freeze({
  title: 'Spring facilitation workshop',
  startsAt: '2031-03-04T09:30',
  endsAt: '2031-03-04T11:00',
  timeZone: 'Europe/Berlin',
  place: 'Guild House, room 2',
  videoLink: 'https://meet.example.org/spring-workshop',
  seats: 1,
  description: 'Bring **one situation** you want to practise.',
});

// How the event pages and the list say when it is.
const WHEN = 'Tue 4 Mar 2031, 09:30–11:00 (Europe/Berlin)';
// The same times in the calendar file, in UTC.
const DTSTART = 'DTSTART:20310304T083000Z';
const DTEND = 'DTEND:20310304T100000Z';

test.describe('events', () => {
  test.describe.configure({ mode: 'serial' });

  /** @type {import('@playwright/test').BrowserContext[]} */
  const contexts = [];
  /** @type {{ada: import('@playwright/test').Page, katherine: import('@playwright/test').Page, margaret: import('@playwright/test').Page}} */
  const people = /** @type {any} */ ({});
  // Set by the first test: where the space and the event live.
  let slug = '';
  let eventId = '';

  test.beforeAll(async ({ browser }, testInfo) => {
    for (const who of ['ada', 'katherine', 'margaret']) {
      const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
      contexts.push(context);
      people[who] = await context.newPage();
    }
  });

  test.afterEach(async ({}, testInfo) => {
    // The contexts are our own, so Playwright's screenshot-on-failure does not cover them.
    if (testInfo.status === testInfo.expectedStatus) return;
    for (const [who, page] of Object.entries(people)) {
      if (page.isClosed()) continue;
      await testInfo.attach(`${who}-${new URL(page.url()).pathname.replace(/\W+/g, '_')}.png`, {
        body: await page.screenshot({ fullPage: true }),
        contentType: 'image/png',
      });
    }
  });

  test.afterAll(async () => {
    for (const context of contexts) await context.close();
  });

  /**
   * Sign up a new person, then find the space in the directory and join it.
   * @param {import('@playwright/test').Page} page
   * @param {{givenName: string, familyName: string, displayName: string, email: string, password: string}} who
   */
  async function signUpAndJoin(page, who) {
    const home = new HomePage(page);
    const nav = new SiteNav(page);
    const spaces = new SpacesPage(page);
    const space = new SpacePage(page);

    await test.step(`${who.givenName} signs up`, async () => {
      const signup = new SignupPage(page);
      await signup.goto();
      await signup.expectLoaded();
      await signup.signUp(who);
      await home.expectLoaded();
      await nav.expectSignedInAs(who.displayName);
    });

    await test.step('she joins the space from the directory', async () => {
      await nav.spaces.click();
      await spaces.expectLoaded();
      await spaces.spaceLink(SPACE.name).click();
      await space.expectLoaded(SPACE.name);
      await space.join();
      await space.expectLoaded(SPACE.name);
      await expect(space.leaveButton).toBeVisible();
    });
  }

  /**
   * From the space page, through "Events", to the event's page.
   * @param {import('@playwright/test').Page} page
   */
  async function openEventFromSpace(page) {
    const space = new SpacePage(page);
    const events = new EventsPage(page);
    const event = new EventPage(page);
    await space.eventsLink.click();
    await events.expectLoaded(SPACE.name);
    await events.upcomingEventLink(EVENT.title).click();
    await event.expectLoaded(EVENT.title);
    expect(event.id()).toBe(eventId);
  }

  test('the administrator plans an event with one seat', async ({}, testInfo) => {
    const page = people.ada;
    const spaces = new SpacesPage(page);
    const space = new SpacePage(page);
    const events = new EventsPage(page);
    const event = new EventPage(page);

    await test.step('the administrator creates an open space', async () => {
      await signInAsAdmin(page);
      await new SiteNav(page).spaces.click();
      await spaces.expectLoaded();
      await expect(
        spaces.spaceLink(SPACE.name),
        'this journey needs a fresh server (the space already exists)',
      ).toHaveCount(0);
      await spaces.createSpace(SPACE);
      await space.expectLoaded(SPACE.name);
      slug = space.slug();
    });

    await test.step('the space links to its events, none planned yet', async () => {
      await space.eventsLink.click();
      await events.expectLoaded(SPACE.name);
      expect(new URL(page.url()).pathname).toBe(EventsPage.pathFor(slug));
      await expect(events.upcoming).toContainText('No events planned.');
      await expect(events.past).toHaveCount(0);
      await expect(events.planForm).toBeVisible();
      await expect(events.timeZone).toHaveValue('UTC');
      await expectNoSeriousA11yViolations(page, testInfo, 'events list without events (facilitator)');
    });

    await test.step('"Plan event" leads to the event, shown in its own time zone', async () => {
      await events.planEvent(EVENT);
      await event.expectLoaded(EVENT.title);
      eventId = event.id();
      await expect(event.when(WHEN)).toBeVisible();
      await expect(event.place(EVENT.place)).toBeVisible();
      await expect(event.videoLink(EVENT.videoLink)).toBeVisible();
      await expect(event.headCount(0, EVENT.seats)).toBeVisible();
      await expect(event.main.getByText('one situation', { exact: true })).toBeVisible();
      await expect(event.attendance).toContainText('Nobody yet.');
    });

    await test.step('the event page passes axe (facilitator)', async () => {
      await expectNoSeriousA11yViolations(page, testInfo, 'event page (facilitator)');
    });

    await test.step('the events list shows it coming up, not full', async () => {
      await event.backToEvents.click();
      await events.expectLoaded(SPACE.name);
      const entry = events.upcomingEvent(EVENT.title);
      await expect(entry).toHaveCount(1);
      await expect(entry).toContainText(WHEN);
      await expect(events.fullBadge(entry)).toHaveCount(0);
      await expectNoSeriousA11yViolations(page, testInfo, 'events list with an event (facilitator)');
    });
  });

  test('the calendar file has the event in UTC', async () => {
    const page = people.ada;
    const events = new EventsPage(page);
    const event = new EventPage(page);

    await events.upcomingEventLink(EVENT.title).click();
    await event.expectLoaded(EVENT.title);
    const { filename, text } = await event.downloadCalendar();
    expect(filename).toBe(`${slug}.ics`);
    // Long iCalendar lines are folded (CRLF and a space); unfold before reading them.
    const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain(`SUMMARY:${EVENT.title}`);
    expect(lines).toContain(DTSTART);
    expect(lines).toContain(DTEND);
  });

  test('a member takes the only seat', async ({}, testInfo) => {
    const page = people.katherine;
    const events = new EventsPage(page);
    const event = new EventPage(page);

    await signUpAndJoin(page, KATHERINE);

    await test.step('she opens the event through the space\'s events', async () => {
      await openEventFromSpace(page);
      await expect(event.when(WHEN)).toBeVisible();
      await expect(event.headCount(0, EVENT.seats)).toBeVisible();
      await expect(event.youAreComing).toHaveCount(0);
      // Members do not plan events nor mark attendance.
      await expect(event.attendance).toHaveCount(0);
    });

    await test.step('"I am coming" takes the seat', async () => {
      await event.comeToIt();
      await event.expectLoaded(EVENT.title);
      await expect(event.youAreComing).toBeVisible();
      await expect(event.comingButton).toHaveCount(0);
      await expect(event.cannotComeButton).toBeVisible();
      await expect(event.headCount(1, EVENT.seats)).toBeVisible();
      await expect(event.attendee(KATHERINE.displayName)).toHaveCount(1);
      await expectNoSeriousA11yViolations(page, testInfo, 'event page (member who is coming)');
    });

    await test.step('the events list (a member\'s view) marks it full', async () => {
      await event.backToEvents.click();
      await events.expectLoaded(SPACE.name);
      await expect(events.planForm).toHaveCount(0);
      await expect(events.fullBadge(events.upcomingEvent(EVENT.title))).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, 'events list (member)');
    });
  });

  test('another member finds the event full', async ({}, testInfo) => {
    const page = people.margaret;
    const event = new EventPage(page);

    await signUpAndJoin(page, MARGARET);

    await test.step('she opens the event: no seat left, so no "I am coming"', async () => {
      await openEventFromSpace(page);
      await expect(event.headCount(1, EVENT.seats)).toBeVisible();
      await expect(event.comingButton).toHaveCount(0);
      await expect(event.youAreComing).toHaveCount(0);
      await expect(event.cannotComeButton).toBeVisible();
      await expect(event.attendee(KATHERINE.displayName)).toHaveCount(1);
      await expect(event.attendee(MARGARET.displayName)).toHaveCount(0);
      await expectNoSeriousA11yViolations(page, testInfo, 'event page (member, event full)');
    });
  });

  test('the administrator marks the member attended', async ({}, testInfo) => {
    const page = people.ada;
    const event = new EventPage(page);
    const katherine = event.attendee(KATHERINE.displayName);

    await test.step('"Answers and attendance" lists her as coming', async () => {
      await event.goto(eventId);
      await event.expectLoaded(EVENT.title);
      await expect(event.headCount(1, EVENT.seats)).toBeVisible();
      await expect(katherine).toHaveCount(1);
      await expect(katherine).toContainText('coming');
      await expect(event.attendedMark(katherine)).toHaveCount(0);
      await expect(event.attendee(ADMIN.displayName)).toHaveCount(0);
    });

    await test.step(`"Mark ${KATHERINE.displayName} attended" marks her attended`, async () => {
      await event.markAttendedButton(KATHERINE.displayName).click();
      await event.expectLoaded(EVENT.title);
      await expect(event.attendedMark(katherine)).toBeVisible();
      await expect(event.markAttendedButton(KATHERINE.displayName)).toHaveCount(0);
      await expect(event.markAbsentButton(KATHERINE.displayName)).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, 'event page with attendance (facilitator)');
    });
  });
});
