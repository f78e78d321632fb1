const { expect } = require('@playwright/test');

/** Wait until the page is at `path` (pathname only; query and fragment are ignored). */
async function expectPath(page, path) {
  await expect(page, `expected the browser to be on ${path}`).toHaveURL((url) => url.pathname === path);
}

module.exports = { expectPath };
