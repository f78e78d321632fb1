// Spaces and threads, with three people in three browser contexts: the administrator creates an
// open cohort space; Grace signs up, joins it, asks a question and finds it through search; Alan
// signs up, finds the question among the unanswered ones, joins and answers; on Grace's open thread
// page the answer and her unread count appear live (Server-Sent Events, no reload); she accepts the
// answer, follows her notification and marks it read. axe-core checks the pages on the way. The
// tests run in order and share the three browsers.
// Needs a fresh server (Grace and Alan have fixed addresses): ../test.sh starts one for each browser
// suite. Creates the administrator through /setup when run on its own.
const { test, expect } = require('@playwright/test');
const { GRACE, ALAN } = require('../support/accounts');
const { expectNoSeriousA11yViolations } = require('../support/axe');
const { signInAsAdmin } = require('../support/session');
const { HomePage } = require('../pages/home-page');
const { SignupPage } = require('../pages/signup-page');
const { SiteNav } = require('../pages/site-nav');
const { SpacesPage } = require('../pages/spaces-page');
const { SpacePage } = require('../pages/space-page');
const { ThreadPage } = require('../pages/thread-page');
const { QuestionsPage } = require('../pages/questions-page');
const { SearchPage } = require('../pages/search-page');
const { NotificationsPage } = require('../pages/notifications-page');

const SPACE = Object.freeze({
  name: 'Leadership Cohort 2027',
  kind: 'Cohort',
  visibility: 'Open',
  description: 'The **2027 leadership programme**, after the training days: practice, questions, stories.',
  rules: 'Be kind. What is shared here stays here.',
});

const QUESTION = Object.freeze({
  kind: 'Question',
  title: 'How do you open a difficult feedback conversation?',
  body: 'I tried the *situation, behaviour, impact* model from module 2 and it felt stiff. How do you start?',
});

const ANSWER = 'Ask first how they think it went, then describe one concrete situation. It feels less scripted.';

// A word of the question's text only (not of its title, nor of the answer): one search result.
const SEARCH_WORD = 'stiff';

// What Grace's notification of Alan's answer says.
const REPLY_NOTIFICATION = `${ALAN.displayName} replied in “${QUESTION.title}”`;

// How long to wait for a live update: new posts come at once, notifications from a background
// worker that polls every second.
const LIVE_TIMEOUT = 10_000;

test.describe('spaces and threads', () => {
  test.describe.configure({ mode: 'serial' });

  /** @type {import('@playwright/test').BrowserContext[]} */
  const contexts = [];
  /** @type {{ada: import('@playwright/test').Page, grace: import('@playwright/test').Page, alan: import('@playwright/test').Page}} */
  const people = /** @type {any} */ ({});

  test.beforeAll(async ({ browser }, testInfo) => {
    for (const who of ['ada', 'grace', 'alan']) {
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

  test('the administrator creates an open cohort space', async ({}, testInfo) => {
    const page = people.ada;
    const spaces = new SpacesPage(page);
    const space = new SpacePage(page);

    await test.step('the administrator signs in and opens the directory', async () => {
      await signInAsAdmin(page);
      await new SiteNav(page).spaces.click();
      await spaces.expectLoaded();
      await expect(
        spaces.spaceLink(SPACE.name),
        'this journey needs a fresh server (the space already exists)',
      ).toHaveCount(0);
    });

    await test.step('"Create a space" leads to the new space, with its creator as a member', async () => {
      await spaces.createSpace(SPACE);
      await space.expectLoaded(SPACE.name);
      expect(space.slug()).toBe('leadership-cohort-2027');
      await expect(space.leaveButton).toBeVisible();
      await expect(space.joinButton).toHaveCount(0);
      await expect(space.newThreadForm).toBeVisible();
    });

    await test.step('the directory lists the space', async () => {
      await spaces.goto();
      await spaces.expectLoaded();
      await expect(spaces.spaceLink(SPACE.name)).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, '/spaces');
    });
  });

  test('a member signs up, joins the space and asks a question', async ({}, testInfo) => {
    const page = people.grace;
    const home = new HomePage(page);
    const nav = new SiteNav(page);
    const spaces = new SpacesPage(page);
    const space = new SpacePage(page);
    const thread = new ThreadPage(page);

    await test.step('Grace signs up with an address of the organisation', async () => {
      const signup = new SignupPage(page);
      await signup.goto();
      await signup.expectLoaded();
      await signup.signUp(GRACE);
      await home.expectLoaded();
      await nav.expectSignedInAs(GRACE.displayName);
    });

    await test.step('she finds the space in the directory and joins it', async () => {
      await nav.spaces.click();
      await spaces.expectLoaded();
      await spaces.spaceLink(SPACE.name).click();
      await space.expectLoaded(SPACE.name);
      await expect(space.newThreadForm).toHaveCount(0);
      await space.join();
      await space.expectLoaded(SPACE.name);
      await expect(space.leaveButton).toBeVisible();
      await expect(space.newThreadForm).toBeVisible();
    });

    await test.step('she asks a question', async () => {
      await space.startThread(QUESTION);
      await thread.expectLoaded(QUESTION.title);
      const question = thread.post(GRACE.displayName);
      await expect(question).toHaveCount(1);
      await expect(question).toContainText('situation, behaviour, impact');
      // The question itself cannot be its own answer.
      await expect(thread.acceptButton(question)).toHaveCount(0);
    });

    await test.step('the space lists the question', async () => {
      await nav.spaces.click();
      await spaces.spaceLink(SPACE.name).click();
      await space.expectLoaded(SPACE.name);
      await expect(space.threadLink(QUESTION.title)).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, 'space page');
    });

    await test.step('search finds it, with the word highlighted', async () => {
      const search = new SearchPage(page);
      await nav.search.click();
      await search.expectLoaded();
      await search.search(SEARCH_WORD);
      await search.expectLoaded();
      await expect(search.resultLink(QUESTION.title)).toBeVisible();
      await expect(search.highlights.first()).toHaveText(new RegExp(`^${SEARCH_WORD}$`, 'i'));
      await expectNoSeriousA11yViolations(page, testInfo, '/search with results');
    });

    await test.step('her home feed shows it; she opens her thread from there', async () => {
      await nav.home.click();
      await home.expectLoaded();
      await expect(home.feedThread(QUESTION.title)).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, 'home with a feed');
      await home.feedThread(QUESTION.title).click();
      // The page stays open for the answer to come in live.
      await thread.expectLoaded(QUESTION.title);
    });
  });

  test('another member finds the question among the unanswered ones and answers it', async ({}, testInfo) => {
    const page = people.alan;
    const home = new HomePage(page);
    const nav = new SiteNav(page);
    const questions = new QuestionsPage(page);
    const space = new SpacePage(page);
    const thread = new ThreadPage(page);

    await test.step('Alan signs up', async () => {
      const signup = new SignupPage(page);
      await signup.goto();
      await signup.signUp(ALAN);
      await home.expectLoaded();
      await nav.expectSignedInAs(ALAN.displayName);
    });

    await test.step('/questions lists the question of the open space', async () => {
      await nav.questions.click();
      await questions.expectLoaded();
      await expect(questions.questionLink(QUESTION.title)).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, '/questions');
    });

    await test.step('he reads it; replying needs joining the space', async () => {
      await questions.questionLink(QUESTION.title).click();
      await thread.expectLoaded(QUESTION.title);
      await expect(thread.post(GRACE.displayName)).toContainText('situation, behaviour, impact');
      await expect(thread.replyForm).toHaveCount(0);
      await expect(thread.joinToReply).toBeVisible();
      await thread.joinToReplyLink.click();
      await space.expectLoaded(SPACE.name);
      await space.join();
      await space.expectLoaded(SPACE.name);
      await expect(space.leaveButton).toBeVisible();
    });

    await test.step('he answers', async () => {
      await space.threadLink(QUESTION.title).click();
      await thread.expectLoaded(QUESTION.title);
      await thread.postReply(ANSWER);
      await thread.expectLoaded(QUESTION.title);
      const answer = thread.post(ALAN.displayName, ANSWER);
      await expect(answer).toBeVisible();
      // Only the asker accepts answers.
      await expect(thread.acceptButton(answer)).toHaveCount(0);
    });
  });

  test('the asker sees the answer and accepts it', async ({}, testInfo) => {
    const page = people.grace;
    const nav = new SiteNav(page);
    const thread = new ThreadPage(page);
    const answer = thread.post(ALAN.displayName, ANSWER);

    await test.step('the answer appears on her open thread page, without a reload', async () => {
      await thread.expectLoaded(QUESTION.title);
      await expect(answer).toBeVisible({ timeout: LIVE_TIMEOUT });
      // Said by live.js after swapping in the posts; a reload would have emptied it.
      await expect(thread.liveStatus).toHaveText('A new reply was posted.');
    });

    await test.step('her unread count shows 1, without a reload', async () => {
      await nav.expectUnread(1, { timeout: LIVE_TIMEOUT });
      await expect(thread.liveStatus).toHaveText('A new reply was posted.');
    });

    await test.step('she accepts it', async () => {
      await expect(thread.acceptedMark(answer)).toHaveCount(0);
      await thread.acceptButton(answer).click();
      await thread.expectLoaded(QUESTION.title);
      await expect(thread.acceptedMark(answer)).toBeVisible();
      await expect(thread.acceptedMark(thread.post(GRACE.displayName))).toHaveCount(0);
    });

    await test.step('she marks it helpful', async () => {
      await thread.reactionButton(answer, 'Helpful', ALAN.displayName).click();
      await thread.expectLoaded(QUESTION.title);
      await expect(thread.reactionTally(answer, 'Helpful', 1)).toBeVisible();
    });

    await test.step('the thread page passes axe with its posts', async () => {
      await expectNoSeriousA11yViolations(page, testInfo, 'thread page with posts');
    });
  });

  test('the asker follows her notification and marks it read', async ({}, testInfo) => {
    const page = people.grace;
    const nav = new SiteNav(page);
    const notifications = new NotificationsPage(page);
    const thread = new ThreadPage(page);
    const notification = notifications.notification(REPLY_NOTIFICATION);

    await test.step('Notifications lists the answer as new', async () => {
      await nav.notifications.click();
      await notifications.expectLoaded();
      await expect(notification).toHaveCount(1);
      await expect(notifications.unreadMark(notification)).toBeVisible();
      await expect(notifications.markAllReadButton).toBeVisible();
      await expectNoSeriousA11yViolations(page, testInfo, '/notifications');
    });

    await test.step('its link leads to the thread', async () => {
      await notifications.notificationLink(REPLY_NOTIFICATION).click();
      await thread.expectLoaded(QUESTION.title);
      await expect(thread.post(ALAN.displayName, ANSWER)).toBeVisible();
    });

    await test.step('"Mark all as read" hides the unread count', async () => {
      await nav.notifications.click();
      await notifications.expectLoaded();
      await notifications.markAllRead();
      await notifications.expectLoaded();
      await expect(notification).toHaveCount(1);
      await expect(notifications.unreadMark(notification)).toHaveCount(0);
      await expect(notifications.markAllReadButton).toHaveCount(0);
      await nav.expectUnread(0);
    });
  });

  test('the answered question leaves /questions', async () => {
    for (const page of [people.alan, people.grace]) {
      const questions = new QuestionsPage(page);
      await questions.goto();
      await questions.expectLoaded();
      await expect(questions.questionLink(QUESTION.title)).toHaveCount(0);
    }
  });
});
