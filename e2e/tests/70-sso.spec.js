// Single sign-on with a real OpenID provider (npm oidc-provider, tools/peers/oidc/provider.mjs):
// a new colleague clicks the provider's button on /signin, signs in at the provider, consents, and
// lands in Guildhall signed in under the name the provider holds for them.
//
// Needs the server of ../test.sh's browser suites started with an [[auth.oidc]] provider
// labelled OIDC_LABEL (default "Sign in with the test provider") whose issuer is the running
// provider; skips itself when the sign-in page shows no such button. A code of conduct published
// by 60-moderation sends a new member to /conduct first: both landings count.
const { test, expect } = require('@playwright/test');
const { ensureAdministrator } = require('../support/session');
const { SigninPage } = require('../pages/signin-page');
const { SiteNav } = require('../pages/site-nav');
const { OidcProviderPage } = require('../pages/oidc-provider-page');

const LABEL = process.env.OIDC_LABEL || 'Sign in with the test provider';
const DOROTHY = Object.freeze({ login: 'dorothy.vaughan', displayName: 'Dorothy Vaughan' });

test('a colleague signs in through the identity provider and keeps their name', async ({ page, browser, baseURL }) => {
  await ensureAdministrator(browser, baseURL);
  const signin = new SigninPage(page);
  await signin.goto();
  const button = page.getByRole('link', { name: LABEL });
  test.skip((await button.count()) === 0, `no "${LABEL}" button: the server has no test provider`);

  await button.click();
  await new OidcProviderPage(page).signInAndConsent(DOROTHY.login);

  await expect(page).toHaveURL((url) => url.origin === new URL(baseURL || '').origin
    && ['/', '/conduct'].includes(url.pathname));
  await new SiteNav(page).expectSignedInAs(DOROTHY.displayName);
});
