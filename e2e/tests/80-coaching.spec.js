// Coaching, end to end with three people in three browser contexts: Annie applies to coach
// (first with a time zone that does not exist), the administrator approves her, Mary finds her for
// a skill (the ranking says why), asks for coaching, Annie proposes a time, Mary confirms it and
// finds the video link and the calendar file. Sessions are planned in the future, so to rate one
// Annie records the session they already had yesterday, and Mary rates it; "who knows" and
// Annie's profile then show the rating. axe-core checks every new page on the way.
//
// Runs after 60-moderation, which publishes a code of conduct: everyone accepts it first (and on
// a server without one, nobody is asked). Its people sign up with addresses unique to the run.
const { test, expect } = require('@playwright/test');
const { ADMIN } = require('../support/accounts');
const { expectNoSeriousA11yViolations } = require('../support/axe');
const { ensureAdministrator } = require('../support/session');
const { expectPath } = require('../support/paths');
const { SigninPage } = require('../pages/signin-page');
const { SignupPage } = require('../pages/signup-page');
const { ConductPage } = require('../pages/conduct-page');
const { SiteNav } = require('../pages/site-nav');
const {
  CoachingHomePage,
  CoachFormPage,
  ApplicationsPage,
  FindCoachPage,
  RequestFormPage,
  RequestPage,
} = require('../pages/coaching-pages');

const RUN = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
const ANNIE = Object.freeze({
  givenName: 'Annie',
  familyName: 'Easley',
  displayName: 'Annie Easley',
  email: `annie.${RUN}@example.org`,
  password: 'centaur-rocket-1963-ok',
});
const MARY = Object.freeze({
  givenName: 'Mary',
  familyName: 'Jackson',
  displayName: 'Mary Jackson',
  email: `mary.${RUN}@example.org`,
  password: 'wind-tunnel-1958-ok',
});
const SKILL = 'Wind tunnel testing';
const TOPIC = 'Planning my first wind tunnel test';
const VIDEO = 'https://meet.example.org/annie-mary';
const RECORDED_VIDEO = 'https://meet.example.org/annie-mary-hallway';

/** `YYYY-MM-DDTHH:MM` in UTC, `days` from today at `time`. */
function utcAt(days, time) {
  return `${new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)}T${time}`;
}

/** Accepts the code of conduct when the server has one and the person has not yet. */
async function acceptConductIfAsked(page) {
  const conduct = new ConductPage(page);
  await conduct.goto();
  if (await conduct.acceptButton.count()) {
    await conduct.accept();
  }
}

/** A browser context signed in as `who`: the administrator signs in, others sign up. */
async function signedIn(browser, baseURL, who, signUp) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  if (signUp) {
    const signup = new SignupPage(page);
    await signup.goto();
    await signup.signUp(who);
  } else {
    const signin = new SigninPage(page);
    await signin.goto();
    await signin.signIn(who);
  }
  await expect(page).toHaveURL((url) => ['/', '/conduct'].includes(url.pathname));
  await acceptConductIfAsked(page);
  await new SiteNav(page).expectSignedInAs(who.displayName);
  return { context, page };
}

test.describe.configure({ mode: 'serial' });

test('a member coaches a colleague: applied, approved, found, asked, met and rated', async ({ browser, baseURL }, testInfo) => {
  await ensureAdministrator(browser, baseURL);
  const annie = await signedIn(browser, baseURL, ANNIE, true);
  const mary = await signedIn(browser, baseURL, MARY, true);
  const ada = await signedIn(browser, baseURL, ADMIN, false);
  try {
    await test.step('Annie applies to coach', async () => {
      await new SiteNav(annie.page).coaching.click();
      await new CoachingHomePage(annie.page).expectLoaded();
      const form = new CoachFormPage(annie.page);
      await form.goto();
      await expectNoSeriousA11yViolations(annie.page, testInfo, 'coach application form');
      const offer = {
        skills: SKILL,
        capacity: '4',
        timeZone: 'Mars/Olympus',
        availability: 'Tue 09:00-11:00\nThu 14:00-16:00',
        bio: 'I ran wind tunnel tests for years and love helping people plan their first one.',
      };
      await form.apply(offer);
      await form.expectFieldError('Time zone', 'time zone');
      await form.apply({ ...offer, timeZone: 'UTC' });
      const home = new CoachingHomePage(annie.page);
      await home.expectLoaded();
      await home.expectCoachStatus('Waiting for approval');
      await expectNoSeriousA11yViolations(annie.page, testInfo, 'coaching home');
    });

    await test.step('the administrator approves Annie', async () => {
      const applications = new ApplicationsPage(ada.page);
      await applications.goto();
      await expectNoSeriousA11yViolations(ada.page, testInfo, 'coach applications');
      await applications.approve(ANNIE.displayName);
      const home = new CoachingHomePage(annie.page);
      await home.goto();
      await home.expectCoachStatus('Approved coach');
    });

    const request = new RequestPage(mary.page);
    await test.step('Mary finds Annie for the skill and asks her', async () => {
      const find = new FindCoachPage(mary.page);
      await find.goto();
      await find.search({ skill: SKILL.toLowerCase(), times: 'Tue 09:00-11:00', timeZone: 'UTC' });
      await find.expectReason(ANNIE.displayName, `coaches ${SKILL}`);
      await find.expectReason(ANNIE.displayName, 'available 2 h a week when you are');
      await expectNoSeriousA11yViolations(mary.page, testInfo, 'find a coach');
      await find.ask(ANNIE.displayName);
      const form = new RequestFormPage(mary.page);
      await form.expectCoach(ANNIE.displayName);
      await expectNoSeriousA11yViolations(mary.page, testInfo, 'request form');
      await form.ask({
        topic: TOPIC,
        goal: 'Know what to measure and how to read the results.',
        times: 'Tue 09:00-11:00',
        timeZone: 'UTC',
      });
      await request.expectTopic(TOPIC);
      await expectNoSeriousA11yViolations(mary.page, testInfo, 'request (learner)');
    });

    const coachView = new RequestPage(annie.page);
    await test.step('Annie proposes a time', async () => {
      const home = new CoachingHomePage(annie.page);
      await home.goto();
      await home.openReceived(TOPIC);
      await coachView.expectTopic(TOPIC);
      await expectNoSeriousA11yViolations(annie.page, testInfo, 'request (coach)');
      await coachView.plan(
        { startsAt: utcAt(1, '09:30'), timeZone: 'UTC', minutes: '45', videoUrl: VIDEO },
        'Propose this time',
      );
      await expect(coachView.session('Proposed time')).toBeVisible();
    });

    await test.step('Mary confirms and finds the video link and the calendar file', async () => {
      await mary.page.reload();
      await request.confirmProposedTime();
      await expectPath(mary.page, request.path());
      await expect(request.session('Scheduled')).toBeVisible();
      await expect(request.videoLink(VIDEO)).toBeVisible();
      const href = await request.calendarLink().getAttribute('href');
      const ics = await mary.page.request.get(href || '');
      expect(ics.status()).toBe(200);
      expect(ics.headers()['content-type']).toContain('text/calendar');
      const body = await ics.text();
      expect(body).toContain('BEGIN:VEVENT');
      expect(body).toContain(`Coaching: ${TOPIC} (with ${ANNIE.displayName})`);
      expect(body).toContain(VIDEO);
      await expectNoSeriousA11yViolations(mary.page, testInfo, 'request with a session');
    });

    await test.step('Annie records the talk they had yesterday; Mary rates it', async () => {
      await coachView.plan(
        { startsAt: utcAt(-1, '14:00'), timeZone: 'UTC', minutes: '30', videoUrl: RECORDED_VIDEO },
        'Schedule the session',
      );
      await expect(coachView.session('Took place')).toBeVisible();
      await mary.page.reload();
      await request.rate({ helped: true, rating: 5, comment: 'Clear, calm and encouraging.' });
      await request.expectRating('Rating: 5 of 5, it helped');
      await expectNoSeriousA11yViolations(mary.page, testInfo, 'request after rating');
    });

    await test.step('who knows about the skill, and Annie’s profile, show her coaching', async () => {
      await mary.page.goto(`/people/knows?skill=${encodeURIComponent(SKILL)}`);
      const result = mary.page.getByRole('listitem').filter({ has: mary.page.getByRole('link', { name: ANNIE.displayName, exact: true }) });
      await expect(result.getByText(`coaches ${SKILL}`)).toBeVisible();
      await expect(result.getByText('rated 5.0 by 1 coaching learner; 1 said it helped')).toBeVisible();
      await expectNoSeriousA11yViolations(mary.page, testInfo, 'who knows');
      await result.getByRole('link', { name: ANNIE.displayName, exact: true }).click();
      const coaching = mary.page.getByRole('region', { name: 'Coaching' });
      await expect(coaching).toContainText('5.0 from 1 rating; 1 said it helped');
      await expect(coaching.getByRole('link', { name: `Ask ${ANNIE.displayName} for coaching` })).toBeVisible();
      await expectNoSeriousA11yViolations(mary.page, testInfo, 'profile with coaching');
    });
  } finally {
    await annie.context.close();
    await mary.context.close();
    await ada.context.close();
  }
});
