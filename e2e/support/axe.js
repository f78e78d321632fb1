// Accessibility check with axe-core: WCAG 2.0/2.1 A and AA plus WCAG 2.2 AA rules.
// Serious and critical violations fail the test; lesser ones are printed as warnings.
const { expect } = require('@playwright/test');
const { default: AxeBuilder } = require('@axe-core/playwright');

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const BLOCKING = new Set(['serious', 'critical']);

function describe(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `      at ${n.target.join(' ')}\n        ${(n.failureSummary || '').replace(/\n/g, '\n        ')}`)
        .join('\n');
      const more = v.nodes.length > 5 ? `\n      … and ${v.nodes.length - 5} more` : '';
      return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes}${more}`;
    })
    .join('\n');
}

/**
 * Run axe on the page as it is now and fail on serious or critical violations.
 * @param {import('@playwright/test').Page} page  a page from browser.newContext() (the `page` fixture is)
 * @param {import('@playwright/test').TestInfo} testInfo
 * @param {string} label  what is being checked, for the messages
 */
async function expectNoSeriousA11yViolations(page, testInfo, label) {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const blocking = results.violations.filter((v) => BLOCKING.has(v.impact));
  const minor = results.violations.filter((v) => !BLOCKING.has(v.impact));

  if (results.violations.length > 0) {
    await testInfo.attach(`axe-violations-${label.replace(/[^a-z0-9]+/gi, '_')}.json`, {
      body: JSON.stringify(results.violations, null, 2),
      contentType: 'application/json',
    });
  }
  if (minor.length > 0) {
    console.log(`axe: ${minor.length} minor/moderate violation(s) on ${label} (not failing):\n${describe(minor)}`);
  }
  expect(
    blocking.length,
    `axe found ${blocking.length} serious/critical violation(s) on ${label}:\n${describe(blocking)}`,
  ).toBe(0);
}

module.exports = { expectNoSeriousA11yViolations, WCAG_TAGS };
