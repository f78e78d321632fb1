// Time-based one-time codes as an authenticator app computes them (RFC 6238 over RFC 4226:
// HMAC-SHA1, 6 digits, 30-second steps), with Node's own crypto, so a browser test can stand in
// for the phone. The server accepts each step once, so callers keep the step they used.
const crypto = require('node:crypto');

const STEP_SECONDS = 30;
const DIGITS = 6;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** The bytes of a base32 key as people type it (any case, spaces and padding ignored). */
function decodeBase32(text) {
  const bytes = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text.replace(/[\s=]/g, '').toUpperCase()) {
    const value = BASE32.indexOf(char);
    if (value < 0) throw new Error(`not a base32 character: ${JSON.stringify(char)}`);
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** The step (counter) of a time in milliseconds. */
function stepAt(ms = Date.now()) {
  return Math.floor(ms / 1000 / STEP_SECONDS);
}

/** The code for one step: HOTP with the step as counter (8 bytes, big-endian). */
function codeForStep(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = crypto.createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** DIGITS;
  return String(binary).padStart(DIGITS, '0');
}

/** What the app shows now: `{ code, step }`. */
function currentCode(secret) {
  const step = stepAt();
  return { code: codeForStep(secret, step), step };
}

/**
 * A six-digit code the server cannot take now: none of the codes of the steps around the
 * current one (it allows one step of drift either way; two are excluded here for margin).
 */
function wrongCode(secret) {
  const now = stepAt();
  const valid = new Set([-2, -1, 0, 1, 2].map((d) => codeForStep(secret, now + d)));
  for (let n = 0; ; n += 1) {
    const candidate = String(n).padStart(DIGITS, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

/** Wait until the clock is in a step after `used` (codes of used steps are refused). */
async function waitForStepAfter(used) {
  while (stepAt() <= used) {
    const nextStepMs = (stepAt() + 1) * STEP_SECONDS * 1000;
    await new Promise((resolve) => setTimeout(resolve, nextStepMs - Date.now() + 50));
  }
}

module.exports = { STEP_SECONDS, decodeBase32, stepAt, codeForStep, currentCode, wrongCode, waitForStepAfter };
