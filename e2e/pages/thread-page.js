// /t/<id>: one thread with its posts (each an article named after its author), reactions,
// accepted answers and the reply form. Non-members of the space are invited to join to reply.
// /static/live.js swaps in new posts by others while the page is open, and says so in a visually
// hidden live region.
const { expect } = require('@playwright/test');

class ThreadPage {
  /** @param {number|string} id */
  static pathFor(id) {
    return `/t/${id}`;
  }

  /** @param {import('@playwright/test').Page} page */
  constructor(page) {
    this.page = page;
    this.heading = page.getByRole('heading', { level: 1 });
    this.posts = page.getByRole('article');
    this.replyForm = page.getByRole('region', { name: 'Your reply' });
    this.reply = this.replyForm.getByLabel('Reply (Markdown)', { exact: true });
    this.postReplyButton = this.replyForm.getByRole('button', { name: 'Post reply' });
    // Shown instead of the reply form to people outside the space: "Join <space> to reply."
    this.joinToReply = page.getByText(/^Join .+ to reply\.$/);
    this.joinToReplyLink = this.joinToReply.getByRole('link');
    // The visually hidden aria-live paragraph of every signed-in page; "A new reply was posted."
    // once live.js has swapped in new posts.
    this.liveStatus = page.locator('#live-status');
  }

  /** @param {number|string} id */
  async goto(id) {
    await this.page.goto(ThreadPage.pathFor(id));
  }

  /** On /t/<id> (any fragment), showing the thread titled `title`. */
  async expectLoaded(title) {
    await expect(this.page, 'expected the browser to be on a thread page (/t/<id>)').toHaveURL((url) =>
      /^\/t\/\d+$/.test(url.pathname),
    );
    await expect(this.heading).toHaveText(title);
  }

  /** The id of the thread shown, from the address. */
  id() {
    return new URL(this.page.url()).pathname.replace(/^\/t\//, '');
  }

  /**
   * A post, by its author's display name and optionally some of its text.
   * @param {string} author
   * @param {string} [text]
   */
  post(author, text) {
    const post = this.page.getByRole('article', { name: author, exact: true });
    return text ? post.filter({ hasText: text }) : post;
  }

  /** The "Accepted answer" mark inside a post. */
  acceptedMark(post) {
    return post.getByText('Accepted answer', { exact: true });
  }

  /** The asker's button to accept a post as the answer to their question. */
  acceptButton(post) {
    return post.getByRole('button', { name: 'Accept this answer', exact: true });
  }

  /**
   * A typed reaction button of a post, e.g. reactionButton(post, 'Helpful', 'Grace Hopper'),
   * named "Helpful (post by Grace Hopper)".
   */
  reactionButton(post, kind, author) {
    return post.getByRole('button', { name: `${kind} (post by ${author})`, exact: true });
  }

  /** The tally of one reaction kind under a post, e.g. "Helpful 1". */
  reactionTally(post, kind, count) {
    return post.getByText(`${kind} ${count}`, { exact: true });
  }

  async postReply(body) {
    await this.reply.fill(body);
    await this.postReplyButton.click();
  }

  // Moderation (60-moderation): reporting, the content check's nudge and attachments.

  /** A post's "Report" link (named "Report the post by <author>"), to /posts/<id>/report. */
  reportLink(post) {
    return post.getByRole('link', { name: /^Report the post by / });
  }

  /** The id of a post (its list item is "post-<id>"). */
  async postId(post) {
    const id = await post.locator('xpath=ancestor::li[starts-with(@id, "post-")]').getAttribute('id');
    return String(id).replace(/^post-/, '');
  }

  /** The hint /static/check.js shows under the reply text while it may read as rude (aria-live). */
  get nudgeHint() {
    return this.replyForm.locator('p.nudge-hint[aria-live]');
  }

  /** Offered beside rephrasing after a nudge: publish as written, held until a moderator approves. */
  get sendForReviewButton() {
    return this.replyForm.getByRole('button', { name: 'Send for review as written', exact: true });
  }

  /** The page's alert ("The reply may read as mocking or rude: …", "This image looks explicit …"). */
  get alert() {
    return this.page.getByRole('main').getByRole('alert');
  }

  /**
   * Attach a file to one's own post through its "Attach an image or a PDF" form.
   * @param {import('@playwright/test').Locator} post
   * @param {string} file  a path on disk
   */
  async attach(post, file) {
    await post.getByLabel(/^Attach an image or a PDF/).setInputFiles(file);
    await post.getByRole('button', { name: 'Attach', exact: true }).click();
  }

  /** An image attached to a post, by its file name (its alternative text). */
  attachedImage(post, fileName) {
    return post.getByRole('img', { name: fileName, exact: true });
  }
}

module.exports = { ThreadPage };
