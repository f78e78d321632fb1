// The accounts the browser tests create. The administrator is the one /setup creates on a fresh
// server; its names are what the journey expects to see on the home page.
const ADMIN = Object.freeze({
  givenName: 'Ada',
  familyName: 'Lovelace',
  displayName: 'Ada Lovelace',
  email: 'ada@example.org',
  password: 'correct-horse-battery-9',
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

module.exports = { ADMIN, newMember };
