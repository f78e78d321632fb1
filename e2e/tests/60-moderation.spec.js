// Community rules, with five people in five browser contexts (and one without JavaScript): the
// administrator opens a space and names a moderator (Katherine) and an HR officer (Margaret).
// Grace is nudged while typing a rude reply and again after sending it without JavaScript, and
// rephrases. Alan posts an advert; three members report it and it disappears for everyone but him
// and the moderators; Katherine removes it from the review queue and the reporters are told.
// Alan attaches an image the image check finds explicit: refused, and an HR case opens that only HR
// can read. Last, the administrator publishes a code of conduct: Grace lands on it after signing
// in, reads but cannot write until she accepts it. axe-core checks the moderation pages on the way.
//
// Needs the server of ../test.sh's browser suites: GUILDHALL_MODERATION__IMAGE_THRESHOLD=0.01 (so
// the astronaut photo counts as explicit) and GUILDHALL_MODERATION__NEW_MEMBER_DAYS=0 (no flood
// limits). Reuses the accounts of 40-spaces and 50-events (signs them up when run on its own) on a
// fresh server.
//
// Publishing a code of conduct makes every account accept it before writing again, so it comes
// last here, and this file must stay the last to run.
const path = require('node:path');
const { test, expect } = require('@playwright/test');
const { ADMIN, GRACE, ALAN, KATHERINE, MARGARET } = require('../support/accounts');
const { expectNoSeriousA11yViolations } = require('../support/axe');
const { signInAsAdmin } = require('../support/session');
const { HomePage } = require('../pages/home-page');
const { SigninPage } = require('../pages/signin-page');
const { SignupPage } = require('../pages/signup-page');
const { SiteNav } = require('../pages/site-nav');
const { SpacesPage } = require('../pages/spaces-page');
const { SpacePage } = require('../pages/space-page');
const { ThreadPage } = require('../pages/thread-page');
const { NotificationsPage } = require('../pages/notifications-page');
const { AdminPage } = require('../pages/admin-page');
const { ReportPage } = require('../pages/report-page');
const { ReviewQueuePage } = require('../pages/review-queue-page');
const { HrCasesPage } = require('../pages/hr-cases-page');
const { HrCasePage } = require('../pages/hr-case-page');
const { ConductPage } = require('../pages/conduct-page');
const { ConductAdminPage } = require('../pages/conduct-admin-page');
const { ErrorPage } = require('../pages/error-page');
const { MyModerationPage, ModerationLogPage, RulesAdminPage } = require('../pages/moderation-pages');

const SPACE = Object.freeze({
  name: 'Feedback Practice Room',
  kind: 'Community',
  visibility: 'Open',
  description: 'Practise **giving and receiving feedback** with colleagues.',
  rules: 'Be specific, be kind.',
});

const THREAD = Object.freeze({
  kind: 'Discussion',
  title: 'Feedback on my first team presentation',
  body: 'I presented the quarterly plan to my team today. What would you like to hear about it?',
});

// Nudged by the content check (rude or mocking), not blocked.
const RUDE = 'What a loser, nobody asked you';
// The same thought, rephrased.
const POLITE = 'I am not sure this helps the team; could you say more about the plan?';
// What the nudge says, under the field and in the live hint.
const NUDGE_REASON = /may read as mocking or rude/;

// Alan's advert, which three members report.
const ADVERT = 'Selling my old course notes this week, send me a message for the price list.';
const REMOVAL_REASON = 'Adverts are not allowed in this space.';
// What each reporter is told once a moderator removed it.
const REPORTER_TOLD = 'A moderator looked at what you reported and removed it. Thank you.';

// The image check's fixtures: P(explicit) ≈ 0.0136 (over the threshold of 0.01) and ≈ 5e-5.
const IMAGES = path.resolve(__dirname, '../../crates/app/tests/fixtures/images');
const EXPLICIT_IMAGE = path.join(IMAGES, 'astronaut.png');
const SAFE_IMAGE = path.join(IMAGES, 'chelsea.png');
const PHOTO_POST = 'Two pictures from our offsite, for the slides.';

// How long to wait for a notification: a background worker that polls every second writes them.
const LIVE_TIMEOUT = 10_000;

const CONDUCT = Object.freeze({
  markdown: '# How we talk here\n\nWe **assume good intent**, give specific feedback and keep what is shared in a cohort inside it.',
  text: 'assume good intent',
});
const AFTER_ACCEPTING = 'Thank you all, I will try the specific-feedback format next time.';

test.describe('community rules', () => {
  test.describe.configure({ mode: 'serial' });

  /** @type {import('@playwright/test').BrowserContext[]} */
  const contexts = [];
  /** @type {Record<'ada'|'grace'|'alan'|'katherine'|'margaret', import('@playwright/test').Page>} */
  const people = /** @type {any} */ ({});
  // Set on the way: where the thread is, the advert's post and the HR case.
  let threadId = '';
  let advertId = '';
  let caseId = '';

  test.beforeAll(async ({ browser }, testInfo) => {
    for (const who of ['ada', 'grace', 'alan', 'katherine', 'margaret']) {
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
   * Sign in (signing up first when the account does not exist yet, i.e. when this file runs on
   * its own) and land home.
   * @param {import('@playwright/test').Page} page
   * @param {{givenName: string, familyName: string, displayName: string, email: string, password: string}} who
   */
  async function signIn(page, who) {
    const signin = new SigninPage(page);
    await signin.goto();
    await signin.expectLoaded();
    await signin.signIn(who);
    const home = new HomePage(page);
    await expect(home.heading.or(signin.error)).toBeVisible();
    if (await signin.error.isVisible()) {
      const signup = new SignupPage(page);
      await signup.goto();
      await signup.signUp(who);
    }
    await home.expectLoaded();
    await new SiteNav(page).expectSignedInAs(who.displayName);
  }

  /**
   * Open the space from the directory and join it unless already a member.
   * @param {import('@playwright/test').Page} page
   */
  async function joinSpace(page) {
    const spaces = new SpacesPage(page);
    const space = new SpacePage(page);
    await new SiteNav(page).spaces.click();
    await spaces.expectLoaded();
    await spaces.spaceLink(SPACE.name).click();
    await space.expectLoaded(SPACE.name);
    if (await space.joinButton.isVisible()) {
      await space.join();
      await space.expectLoaded(SPACE.name);
    }
    await expect(space.leaveButton).toBeVisible();
  }

  /**
   * Open the thread by its address and wait for it.
   * @param {import('@playwright/test').Page} page
   */
  async function openThread(page) {
    const thread = new ThreadPage(page);
    await thread.goto(threadId);
    await thread.expectLoaded(THREAD.title);
    return thread;
  }

  /**
   * On /notifications, wait for a notification (reloading: the page itself is not live, and
   * notifications come from a background worker).
   * @param {import('@playwright/test').Page} page
   * @param {string} text  the notification's sentence
   */
  async function expectNotification(page, text) {
    const notifications = new NotificationsPage(page);
    await notifications.expectLoaded();
    await expect(async () => {
      await page.reload();
      await notifications.expectLoaded();
      await expect(notifications.main.getByRole('listitem').filter({ hasText: text })).toHaveCount(1, { timeout: 500 });
    }).toPass({ timeout: LIVE_TIMEOUT });
  }

  test('the administrator opens a space and names a moderator and an HR officer', async ({}, testInfo) => {
    const page = people.ada;
    const admin = new AdminPage(page);

    await test.step('the administrator creates an open space', async () => {
      await signInAsAdmin(page);
      const spaces = new SpacesPage(page);
      await new SiteNav(page).spaces.click();
      await spaces.expectLoaded();
      await expect(
        spaces.spaceLink(SPACE.name),
        'this journey needs a fresh server (the space already exists)',
      ).toHaveCount(0);
      await spaces.createSpace(SPACE);
      await new SpacePage(page).expectLoaded(SPACE.name);
    });

    await test.step('Katherine and Margaret have accounts', async () => {
      // They signed up in 50-events; sign them up here when this file runs on its own.
      await signIn(people.katherine, KATHERINE);
      await signIn(people.margaret, MARGARET);
    });

    await test.step('Katherine becomes a moderator and Margaret HR, through /admin', async () => {
      await new SiteNav(page).administration.click();
      await admin.expectLoaded();
      await admin.grantRole(KATHERINE.displayName, 'Moderator');
      await admin.expectLoaded();
      await expect(admin.roleCheckbox(KATHERINE.displayName, 'Moderator')).toBeChecked();
      await expect(admin.roleCheckbox(KATHERINE.displayName, 'HR')).not.toBeChecked();
      await admin.grantRole(MARGARET.displayName, 'HR');
      await admin.expectLoaded();
      await expect(admin.roleCheckbox(MARGARET.displayName, 'HR')).toBeChecked();
      await expect(admin.roleCheckbox(MARGARET.displayName, 'Moderator')).not.toBeChecked();
    });

    await test.step('their navigation shows the pages of their role', async () => {
      await people.katherine.reload();
      await expect(new SiteNav(people.katherine).review).toBeVisible();
      await expect(new SiteNav(people.katherine).hrCases).toHaveCount(0);
      await people.margaret.reload();
      await expect(new SiteNav(people.margaret).hrCases).toBeVisible();
      await expect(new SiteNav(people.margaret).review).toHaveCount(0);
    });

    await test.step('the word and link rules page passes axe', async () => {
      await admin.rulesLink.click();
      const rules = new RulesAdminPage(page);
      await rules.expectLoaded();
      await expectNoSeriousA11yViolations(page, testInfo, '/admin/rules');
    });
  });

  test('a rude reply is nudged while typing and after sending; rephrased, it is published', async ({ browser }, testInfo) => {
    const page = people.grace;
    const thread = new ThreadPage(page);

    await test.step('Grace joins the space and starts a thread', async () => {
      await signIn(page, GRACE);
      await joinSpace(page);
      await new SpacePage(page).startThread(THREAD);
      await thread.expectLoaded(THREAD.title);
      threadId = thread.id();
      await expect(thread.post(GRACE.displayName)).toContainText('quarterly plan');
    });

    await test.step('typing a rude reply shows the reason under the text, before sending', async () => {
      await expect(thread.nudgeHint).toBeHidden();
      await thread.reply.fill(RUDE);
      await expect(thread.nudgeHint).toBeVisible();
      await expect(thread.nudgeHint).toHaveText(NUDGE_REASON);
      // Screen readers hear it with the field.
      await expect(thread.reply).toHaveAccessibleDescription(NUDGE_REASON);
      await expectNoSeriousA11yViolations(page, testInfo, 'thread page with the live nudge');
    });

    await test.step('rephrasing makes the hint go away', async () => {
      await thread.reply.fill(POLITE);
      await expect(thread.nudgeHint).toBeHidden();
      await thread.reply.fill('');
    });

    await test.step('without JavaScript, sending it brings the form back with the reason', async () => {
      const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, javaScriptEnabled: false });
      try {
        const noJs = await context.newPage();
        await signIn(noJs, GRACE);
        const plain = await openThread(noJs);
        await plain.reply.fill(RUDE);
        const [answer] = await Promise.all([
          noJs.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/t/${threadId}/posts`),
          plain.postReplyButton.click(),
        ]);
        expect(answer.status(), 'a nudged reply comes back as 422').toBe(422);
        await expect(plain.heading).toHaveText(THREAD.title);
        await expect(plain.alert).toContainText('The reply may read as mocking or rude');
        await expect(plain.reply).toHaveValue(RUDE);
        await expect(plain.reply).toHaveAccessibleDescription(NUDGE_REASON);
        await expect(plain.sendForReviewButton).toBeVisible();
        // No script, no live hint.
        await expect(plain.nudgeHint).toHaveCount(0);
        await expect(plain.post(GRACE.displayName, RUDE)).toHaveCount(0);
        // (axe-core needs JavaScript: the live hint's page was checked above.)

        await test.step('she rephrases: the reply is published', async () => {
          await plain.reply.fill(POLITE);
          await plain.postReplyButton.click();
          await plain.expectLoaded(THREAD.title);
          await expect(plain.post(GRACE.displayName, POLITE)).toBeVisible();
          await expect(plain.post(GRACE.displayName, RUDE)).toHaveCount(0);
          await expect(plain.sendForReviewButton).toHaveCount(0);
        });
      } finally {
        await context.close();
      }
    });

    await test.step('others read the rephrased reply only', async () => {
      const alan = people.alan;
      await signIn(alan, ALAN);
      const other = await openThread(alan);
      await expect(other.post(GRACE.displayName, POLITE)).toBeVisible();
      await expect(other.post(GRACE.displayName, RUDE)).toHaveCount(0);
    });
  });

  test('a post reported by three members is hidden; a moderator removes it; the reporters are told', async ({}, testInfo) => {
    const reporters = [
      { page: people.grace, who: GRACE },
      { page: people.margaret, who: MARGARET },
      { page: people.ada, who: ADMIN },
    ];

    await test.step('Alan joins the space and posts an advert', async () => {
      const page = people.alan;
      await joinSpace(page);
      const thread = await openThread(page);
      await thread.postReply(ADVERT);
      await thread.expectLoaded(THREAD.title);
      const advert = thread.post(ALAN.displayName, ADVERT);
      await expect(advert).toBeVisible();
      // Nobody reports their own post.
      await expect(thread.reportLink(advert)).toHaveCount(0);
      advertId = await thread.postId(advert);
    });

    for (const [index, { page, who }] of reporters.entries()) {
      await test.step(`${who.givenName} reports it as spam`, async () => {
        const thread = await openThread(page);
        const advert = thread.post(ALAN.displayName, ADVERT);
        await expect(advert).toBeVisible();
        await thread.reportLink(advert).click();
        const report = new ReportPage(page);
        await report.expectLoaded();
        expect(new URL(page.url()).pathname).toBe(ReportPage.pathFor(advertId));
        if (index === 0) await expectNoSeriousA11yViolations(page, testInfo, '/posts/{id}/report');
        await report.report({ reason: 'Spam', detail: 'An advert for paid notes.' });
        await report.expectLoaded();
        await expect(report.done).toHaveText(
          index < reporters.length - 1
            ? 'Thank you. A moderator will look at it and you will hear the outcome.'
            : 'Thank you. It is hidden now until a moderator decides; you will hear the outcome.',
        );
      });
    }

    await test.step('after the third report the post is hidden from members', async () => {
      const thread = await openThread(people.grace);
      await expect(thread.post(GRACE.displayName, POLITE)).toBeVisible();
      await expect(thread.post(ALAN.displayName, ADVERT)).toHaveCount(0);
    });

    await test.step('its author still sees it, marked as awaiting review', async () => {
      const thread = await openThread(people.alan);
      const advert = thread.post(ALAN.displayName, ADVERT);
      await expect(advert).toBeVisible();
      await expect(advert.getByText(/^Awaiting review/)).toBeVisible();
    });

    await test.step('the moderator finds it in the review queue with three reports', async () => {
      const page = people.katherine;
      await new SiteNav(page).review.click();
      const queue = new ReviewQueuePage(page);
      await queue.expectLoaded();
      const item = queue.item(ADVERT);
      await expect(item).toHaveCount(1);
      await expect(queue.reportCount(item, 3)).toBeVisible();
      for (const { who } of reporters) await expect(item).toContainText(who.displayName);
      await expectNoSeriousA11yViolations(page, testInfo, '/moderation (review queue with an item)');
    });

    await test.step('she removes it', async () => {
      const page = people.katherine;
      const queue = new ReviewQueuePage(page);
      await queue.decide([queue.item(ADVERT)], 'remove', REMOVAL_REASON);
      await queue.expectLoaded();
      await expect(queue.notice).toHaveText('Decided 1 item(s).');
      await expect(queue.item(ADVERT)).toHaveCount(0);
    });

    for (const { page, who } of reporters) {
      await test.step(`${who.givenName} is told it was removed`, async () => {
        await new SiteNav(page).notifications.click();
        await expectNotification(page, REPORTER_TOLD);
      });
    }

    await test.step('the advert is gone for its author too, who is told why', async () => {
      const page = people.alan;
      const thread = await openThread(page);
      await expect(thread.post(ALAN.displayName, ADVERT)).toHaveCount(0);
      await new SiteNav(page).notifications.click();
      await expectNotification(page, `A moderator removed a post of yours: ${REMOVAL_REASON}`);
      const mine = new MyModerationPage(page);
      await mine.goto();
      await mine.expectLoaded();
      await expectNoSeriousA11yViolations(page, testInfo, '/moderation/mine');
    });

    await test.step('the public log names the removal and the role, not the moderator', async () => {
      const page = people.grace;
      const log = new ModerationLogPage(page);
      await log.goto();
      await log.expectLoaded();
      const entry = log.entries(REMOVAL_REASON);
      await expect(entry).toHaveCount(1);
      await expect(entry).toContainText('A moderator');
      await expect(entry).not.toContainText(KATHERINE.displayName);
      await expectNoSeriousA11yViolations(page, testInfo, '/moderation/log');
    });
  });

  test('an explicit image is refused and opens an HR case that only HR can read', async ({}, testInfo) => {
    const page = people.alan;
    const thread = new ThreadPage(page);
    const photoPost = thread.post(ALAN.displayName, PHOTO_POST);

    await test.step('Alan posts a reply for his photos', async () => {
      await openThread(page);
      await thread.postReply(PHOTO_POST);
      await thread.expectLoaded(THREAD.title);
      await expect(photoPost).toBeVisible();
    });

    await test.step('an image over the threshold is refused', async () => {
      await thread.attach(photoPost, EXPLICIT_IMAGE);
      await expect(thread.heading).toHaveText(THREAD.title);
      await expect(thread.alert).toContainText('explicit');
      await expect(thread.attachedImage(photoPost, 'astronaut.png')).toHaveCount(0);
      await openThread(page);
      await expect(thread.attachedImage(photoPost, 'astronaut.png')).toHaveCount(0);
    });

    await test.step('an ordinary photo is attached and shown', async () => {
      await thread.attach(photoPost, SAFE_IMAGE);
      await thread.expectLoaded(THREAD.title);
      await expect(thread.attachedImage(photoPost, 'chelsea.png')).toBeVisible();
    });

    await test.step('HR finds the case in the list', async () => {
      const hr = people.margaret;
      await new SiteNav(hr).hrCases.click();
      const cases = new HrCasesPage(hr);
      await cases.expectLoaded();
      const row = cases.cases(ALAN.displayName, 'explicit_image');
      await expect(row).toHaveCount(1);
      await expectNoSeriousA11yViolations(hr, testInfo, '/hr');
      await cases.caseLink(row).click();
    });

    await test.step('the case shows the evidence', async () => {
      const hr = people.margaret;
      const hrCase = new HrCasePage(hr);
      await hrCase.expectLoaded(ALAN.displayName);
      caseId = hrCase.id();
      await expect(hrCase.main).toContainText('explicit_image');
      await expect(hrCase.evidence).toContainText('astronaut.png');
      await expect(hrCase.evidence).toContainText('p_explicit');
      await expect(hrCase.evidence).not.toContainText('chelsea.png');
      await expectNoSeriousA11yViolations(hr, testInfo, '/hr/cases/{id}');
    });

    await test.step('a moderator without the HR role is not allowed in', async () => {
      const moderator = people.katherine;
      const error = new ErrorPage(moderator);
      for (const where of [HrCasesPage.path, HrCasePage.pathFor(caseId)]) {
        const response = await moderator.goto(where);
        expect(response?.status(), `GET ${where} as a moderator`).toBe(403);
        await error.expectShown('Not allowed', 'This needs the HR role.');
        await expect(error.main).not.toContainText('astronaut.png');
      }
    });

    await test.step('nor is the member the case is about', async () => {
      const response = await page.goto(HrCasePage.pathFor(caseId));
      expect(response?.status()).toBe(403);
      await new ErrorPage(page).expectShown('Not allowed');
    });
  });

  // Last: from here on every account must accept the code of conduct before writing.
  test('after the code of conduct is published, a member reads but writes only once she accepts it', async ({}, testInfo) => {
    const page = people.grace;
    const conduct = new ConductPage(page);
    const thread = new ThreadPage(page);

    await test.step('the administrator publishes a code of conduct', async () => {
      const ada = people.ada;
      await new SiteNav(ada).administration.click();
      const admin = new AdminPage(ada);
      await admin.expectLoaded();
      await admin.conductLink.click();
      const publish = new ConductAdminPage(ada);
      await publish.expectLoaded();
      await publish.publish(CONDUCT.markdown);
      await new ConductPage(ada).expectLoaded();
      await expect(new ConductPage(ada).text).toContainText(CONDUCT.text);
    });

    await test.step('Grace signs in again and lands on the code of conduct', async () => {
      await new SiteNav(page).signOutButton.click();
      const signin = new SigninPage(page);
      await signin.expectLoaded();
      await signin.signIn(GRACE);
      await conduct.expectLoaded();
      await expect(conduct.text).toContainText(CONDUCT.text);
      await expect(conduct.acceptButton).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, '/conduct (to accept)');
    });

    await test.step('she can read the thread', async () => {
      await openThread(page);
      await expect(thread.post(GRACE.displayName, POLITE)).toBeVisible();
    });

    await test.step('writing is refused until she accepts, with a way to the code', async () => {
      await thread.reply.fill(AFTER_ACCEPTING);
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/t/${threadId}/posts`),
        thread.postReplyButton.click(),
      ]);
      expect(answer.status()).toBe(403);
      const error = new ErrorPage(page);
      await error.expectShown('Not allowed', 'accept the code of conduct');
      await error.link('Read the code of conduct').click();
      await conduct.expectLoaded();
    });

    await test.step('she accepts it and posts', async () => {
      await conduct.accept();
      await new HomePage(page).expectLoaded();
      await conduct.goto();
      await expect(conduct.acceptButton).toHaveCount(0);
      await expect(conduct.accepted).toBeVisible();
      await openThread(page);
      await thread.postReply(AFTER_ACCEPTING);
      await thread.expectLoaded(THREAD.title);
      await expect(thread.post(GRACE.displayName, AFTER_ACCEPTING)).toBeVisible();
    });
  });
});
