// The accounts the browser tests create. The administrator is the one /setup creates on a fresh
// server; its names are what the journey expects to see on the home page.
const ADMIN = Object.freeze({
  givenName: 'Ada',
  familyName: 'Lovelace',
  displayName: 'Ada Lovelace',
  email: 'ada@example.org',
  password: 'correct-horse-battery-9',
});

// People who sign up in the spaces journey (40-spaces): the sign-up policy set by /setup admits the
// administrator's domain. Fixed addresses, so that journey needs a fresh server.
const GRACE = Object.freeze({
  givenName: 'Grace',
  familyName: 'Hopper',
  displayName: 'Grace Hopper',
  email: 'grace.hopper@example.org',
  password: 'cobol-compiler-1959-ok',
});

const ALAN = Object.freeze({
  givenName: 'Alan',
  familyName: 'Turing',
  displayName: 'Alan Turing',
  email: 'alan.turing@example.org',
  password: 'enigma-bombe-1940-ok',
});

// People who sign up in the events journey (50-events); fixed addresses too.
const KATHERINE = Object.freeze({
  givenName: 'Katherine',
  familyName: 'Johnson',
  displayName: 'Katherine Johnson',
  email: 'katherine.johnson@example.org',
  password: 'orbital-mechanics-1962-ok',
});

const MARGARET = Object.freeze({
  givenName: 'Margaret',
  familyName: 'Hamilton',
  displayName: 'Margaret Hamilton',
  email: 'margaret.hamilton@example.org',
  password: 'apollo-guidance-1969-ok',
});

/** A member with an address unique to this run, for sign-up. */
function newMember() {
  const id = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  return {
    givenName: 'Grace',
    familyName: 'Hopper',
    displayName: 'Grace Hopper',
    email: `grace.${id}@example.org`,
    password: 'cobol-compiler-1959-ok',
  };
}

module.exports = { ADMIN, GRACE, ALAN, KATHERINE, MARGARET, newMember };
