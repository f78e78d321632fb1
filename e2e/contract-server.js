#!/usr/bin/env node
// A stand-in for the Guildhall server that implements only the page contract the browser tests
// rely on (setup, sign-in, sign-up, sign-out, home, /readyz). It is NOT the product: it exists to
// check the tests themselves without a Rust build, and shows markup that passes the axe checks.
//
//   node contract-server.js [PORT]          then  BASE_URL=http://127.0.0.1:PORT npx playwright test
//   CONTRACT_SIGNUP=closed …                sign-up closed (no link, /signup answers 404)
//   CONTRACT_BREAK=a11y …                   drop the label of the Password field (the a11y tests must fail)
'use strict';
const http = require('node:http');
const crypto = require('node:crypto');

const port = Number(process.argv[2] || process.env.PORT || 8080);
const signupOpen = process.env.CONTRACT_SIGNUP !== 'closed';
const breakA11y = process.env.CONTRACT_BREAK === 'a11y';

const accounts = []; // { givenName, familyName, email, password, admin }
const sessions = new Map(); // id -> account

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function layout(title, body, who) {
  const nav = who
    ? `<nav aria-label="Main"><a href="/">Home</a>
         <span>${esc(who.givenName)} ${esc(who.familyName)}</span>
         <form method="post" action="/signout"><button type="submit">Sign out</button></form></nav>`
    : `<nav aria-label="Main"><a href="/signin">Sign in</a></nav>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)} · Guildhall</title>
<style>body{font-family:sans-serif;color:#111;background:#fff}a{color:#0645ad}
button,input{min-height:2.75rem;font-size:1rem}button{padding:0 1rem}nav{display:flex;gap:1rem;align-items:center}
.alert{color:#8b0000;border:1px solid #8b0000;padding:.5em}label{display:block;margin-top:.5em}</style>
</head><body><header>${nav}</header><main>${body}</main></body></html>`;
}

function field(label, name, type, autocomplete, value = '') {
  const id = `f-${name}`;
  const lab = breakA11y && name === 'password' ? '' : `<label for="${id}">${label}</label>`;
  return `${lab}<input id="${id}" name="${name}" type="${type}" autocomplete="${autocomplete}" value="${esc(value)}" required>`;
}

const nameFields = (v = {}) =>
  field('Given name', 'given_name', 'text', 'given-name', v.given_name || '') +
  field('Family name', 'family_name', 'text', 'family-name', v.family_name || '');

function send(res, status, html, headers = {}) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
  res.end(html);
}
const redirect = (res, to, headers = {}) => {
  res.writeHead(303, { location: to, ...headers });
  res.end();
};

function sessionOf(req) {
  const m = /(?:^|;\s*)sid=([a-f0-9]+)/.exec(req.headers.cookie || '');
  return m ? sessions.get(m[1]) : undefined;
}
function startSession(account) {
  const id = crypto.randomBytes(16).toString('hex');
  sessions.set(id, account);
  return { 'set-cookie': `sid=${id}; Path=/; HttpOnly; SameSite=Lax` };
}

function readForm(req) {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => resolve(Object.fromEntries(new URLSearchParams(data))));
  });
}

const pages = {
  setup: (v, error) =>
    layout(
      'Set up',
      `<h1>Set up Guildhall</h1>${error ? `<p role="alert" class="alert">${esc(error)}</p>` : ''}
       <form method="post" action="/setup">${nameFields(v)}
       ${field('Email', 'email', 'email', 'email', v.email || '')}
       ${field('Password', 'password', 'password', 'new-password')}
       <p><button type="submit">Create administrator account</button></p></form>`,
    ),
  signin: (v, error) =>
    layout(
      'Sign in',
      `<h1>Sign in</h1>${error ? `<p role="alert" class="alert">${esc(error)}</p>` : ''}
       <form method="post" action="/signin">${field('Email', 'email', 'email', 'username', v.email || '')}
       ${field('Password', 'password', 'password', 'current-password')}
       <p><button type="submit">Sign in</button></p></form>
       ${signupOpen ? '<p><a href="/signup">Create an account</a></p>' : ''}`,
    ),
  signup: (v, error) =>
    layout(
      'Create an account',
      `<h1>Create an account</h1>${error ? `<p role="alert" class="alert">${esc(error)}</p>` : ''}
       <form method="post" action="/signup">${nameFields(v)}
       ${field('Email', 'email', 'email', 'email', v.email || '')}
       ${field('Password', 'password', 'password', 'new-password')}
       <p><button type="submit">Create account</button></p></form>`,
    ),
  home: (who) =>
    layout('Community home', `<h1>Community home</h1><p>Welcome, ${esc(who.givenName)} ${esc(who.familyName)}.</p>`, who),
};

function validAccount(v) {
  if (!v.given_name || !v.family_name || !/^[^@\s]+@[^@\s]+$/.test(v.email || '')) return 'Fill in every field.';
  if ((v.password || '').length < 12) return 'The password needs at least 12 characters.';
  if (accounts.some((a) => a.email === v.email.toLowerCase())) return 'That email is already registered.';
  return null;
}
function addAccount(v, admin) {
  const a = { givenName: v.given_name, familyName: v.family_name, email: v.email.toLowerCase(), password: v.password, admin };
  accounts.push(a);
  return a;
}

const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  const method = req.method;
  if (path === '/readyz' || path === '/healthz') return send(res, 200, 'ok', { 'content-type': 'text/plain' });
  if (accounts.length === 0 && path !== '/setup') return redirect(res, '/setup');
  const who = sessionOf(req);

  if (path === '/setup') {
    if (accounts.length > 0) return redirect(res, who ? '/' : '/signin');
    if (method === 'POST') {
      const v = await readForm(req);
      const err = validAccount(v);
      if (err) return send(res, 422, pages.setup(v, err));
      return redirect(res, '/', startSession(addAccount(v, true)));
    }
    return send(res, 200, pages.setup({}));
  }
  if (path === '/signin') {
    if (method === 'POST') {
      const v = await readForm(req);
      const a = accounts.find((x) => x.email === (v.email || '').toLowerCase() && x.password === v.password);
      if (!a) return send(res, 401, pages.signin(v, 'Wrong email or password.'));
      return redirect(res, '/', startSession(a));
    }
    return send(res, 200, pages.signin({}));
  }
  if (path === '/signup') {
    if (!signupOpen) return send(res, 404, layout('Not found', '<h1>Not found</h1>'));
    if (method === 'POST') {
      const v = await readForm(req);
      const err = validAccount(v);
      if (err) return send(res, 422, pages.signup(v, err));
      return redirect(res, '/', startSession(addAccount(v, false)));
    }
    return send(res, 200, pages.signup({}));
  }
  if (path === '/signout' && method === 'POST') {
    const m = /(?:^|;\s*)sid=([a-f0-9]+)/.exec(req.headers.cookie || '');
    if (m) sessions.delete(m[1]);
    return redirect(res, '/signin', { 'set-cookie': 'sid=; Path=/; Max-Age=0' });
  }
  if (path === '/') {
    if (!who) return redirect(res, '/signin');
    return send(res, 200, pages.home(who));
  }
  return send(res, 404, layout('Not found', '<h1>Not found</h1>', who));
});

server.listen(port, '127.0.0.1', () => console.log(`contract server on http://127.0.0.1:${port}`));
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
