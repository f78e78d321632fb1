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
}

module.exports = { ThreadPage };
