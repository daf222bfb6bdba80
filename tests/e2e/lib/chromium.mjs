// A real browser for the dashboard tests: Debian's `chromium`, headless,
// driven by playwright-core (no browser download: the executable is the one
// `tools/lib/setup.sh` installs with apt).
//
// What it adds to a plain Playwright page:
//   - every console error, page error and failed same-origin request is
//     recorded (a CSP violation is a console error in Chromium), so a test
//     can assert that a whole journey produced none;
//   - axe-core (npm) is evaluated into the page on demand and its violations
//     returned (evaluate runs through the DevTools protocol, so the page's
//     CSP, which forbids inline script, stays on while the scan runs);
//   - screenshots of the current page at 1280 and 360 px wide into one folder.

import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

/** Chromium's path: $VE_CHROMIUM, else Debian's. */
export const CHROMIUM = process.env.VE_CHROMIUM || '/usr/bin/chromium';

/** Widths (CSS px) every page is screenshotted at: desktop and a small phone. */
export const WIDTHS = Object.freeze([1280, 360]);

let axeSource;

/**
 * Starts headless Chromium with one context for `origin`: clipboard access
 * granted (the pages' Copy buttons), downloads accepted.
 * @param {string} origin e.g. `http://127.0.0.1:8787`
 * @returns {Promise<{browser: import('playwright-core').Browser, context: import('playwright-core').BrowserContext}>}
 */
export async function launch(origin) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const context = await browser.newContext({
    viewport: { width: WIDTHS[0], height: 900 },
    acceptDownloads: true,
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  return { browser, context };
}

/**
 * Records what went wrong in `page` while it lives.
 * @param {import('playwright-core').Page} page
 * @param {string} origin only requests to this origin count as failures
 * @returns {{errors: string[]}} the list grows as problems happen
 */
export function watch(page, origin) {
  const problems = { errors: [] };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium logs every 4xx answer to fetch as a console error; the pages
    // meet those on purpose (the signed-out probe's 401, a refused form). A
    // 5xx, a CSP violation or a script error is still a problem.
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) return;
    problems.errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A navigation away aborts the page's outstanding polls; that is not a failure.
    const failure = r.failure()?.errorText ?? '';
    if (r.url().startsWith(origin) && !/ERR_ABORTED/.test(failure)) {
      problems.errors.push(`request failed: ${r.method()} ${new URL(r.url()).pathname} ${failure}`);
    }
  });
  return problems;
}

/**
 * Runs axe-core on the page as it is now (WCAG 2.0/2.1 A and AA rules).
 * @param {import('playwright-core').Page} page
 * @returns {Promise<Array<{id: string, impact: string, help: string, targets: string[]}>>} violations
 */
export async function axe(page) {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    }));
  });
}

/**
 * Where the pages show a secret (a revealed value, a new token and the
 * snippets that carry it): masked in every screenshot, so test output never
 * holds one, even of a scratch server.
 */
export const SECRET_SELECTORS = Object.freeze([
  '[data-testid="secret-value"]',
  '[data-testid="new-token"]',
  '[data-testid="token-snippets"] pre',
]);

/**
 * Screenshots the whole page at each of WIDTHS into `dir` as
 * `<name>-<width>.png` (SECRET_SELECTORS masked), then restores the first width.
 * @returns {Promise<string[]>} the files written
 */
export async function screenshots(page, dir, name) {
  mkdirSync(dir, { recursive: true });
  const files = [];
  const height = page.viewportSize()?.height ?? 900;
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height });
    // Let layout settle (media queries, charts resizing to their container).
    await page.waitForTimeout(150);
    const file = join(dir, `${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true, mask: SECRET_SELECTORS.map((sel) => page.locator(sel)) });
    files.push(file);
  }
  await page.setViewportSize({ width: WIDTHS[0], height });
  return files;
}

/**
 * True when the page's content stays wider than its viewport (horizontal
 * scrolling), the usual failure of a layout at 360 px. Layout is given up to
 * `settleMs` to catch up with a viewport change first: a chart redraws for its
 * new width on a ResizeObserver callback, a frame or two after the resize.
 */
export async function overflowsHorizontally(page, settleMs = 3000) {
  try {
    await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth + 1, null, {
      timeout: settleMs,
      polling: 'raf',
    });
    return false;
  } catch {
    return true;
  }
}
