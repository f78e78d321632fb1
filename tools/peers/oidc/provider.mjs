// A real OpenID provider (panva/oidc-provider, certified) for Guildhall's single sign-on tests.
// Runs offline on 127.0.0.1. Any login and password work (devInteractions); the login decides
// who you are: "grace.hopper" → Grace Hopper <grace.hopper@example.org>, and a login with an @
// is used as the email address.
//
//   PORT=9400 REDIRECT_URIS=http://127.0.0.1:8080/auth/oidc/local/callback node provider.mjs
//
// Environment: PORT (9400), CLIENT_ID (guildhall), CLIENT_SECRET (guildhall-test-secret),
// REDIRECT_URIS (comma-separated, required). Prints "oidc-provider listening on <issuer>" when
// ready, which the Rust tests wait for.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT || 9400);
const issuer = `http://127.0.0.1:${port}`;
const redirectUris = (process.env.REDIRECT_URIS || '').split(',').map((s) => s.trim()).filter(Boolean);
if (redirectUris.length === 0) {
  console.error('REDIRECT_URIS is required (Guildhall: <public_url>/auth/oidc/<id>/callback)');
  process.exit(2);
}

const capitalise = (word) => word.charAt(0).toUpperCase() + word.slice(1);

function person(login) {
  const email = login.includes('@') ? login.toLowerCase() : `${login.toLowerCase()}@example.org`;
  const local = email.split('@')[0];
  const parts = local.split(/[._-]+/).filter(Boolean).map(capitalise);
  const given = parts[0] || 'Test';
  const family = parts.slice(1).join(' ') || 'Person';
  return {
    sub: login,
    email,
    email_verified: true,
    given_name: given,
    family_name: family,
    name: `${given} ${family}`,
  };
}

const configuration = {
  clients: [{
    client_id: process.env.CLIENT_ID || 'guildhall',
    client_secret: process.env.CLIENT_SECRET || 'guildhall-test-secret',
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'name'],
  },
  // The profile and email go into the ID token too (Guildhall reads userinfo only when the token
  // lacks them; CONFORM_ID_TOKEN_CLAIMS=1 keeps the token bare to exercise that path).
  conformIdTokenClaims: process.env.CONFORM_ID_TOKEN_CLAIMS === '1',
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  cookies: { keys: ['guildhall-test-cookie-key'] },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return person(id);
      },
    };
  },
};

const provider = new Provider(issuer, configuration);
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
