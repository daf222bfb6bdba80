// End-to-end: the browser dashboard in a real Chromium (Debian's, headless,
// driven by playwright-core) against the dev server that tests/e2e/run starts
// with tools/dev. One user journey, in order, each step depending on the last:
//
//   sign in → store an API key, an OAuth credential and a custom key → search
//   and filter → reveal (masked, shown, copied, hidden after 30 s) → rotate →
//   pause/resume → create a scoped token and use it through /v1/proxy with
//   curl against a loopback upstream → revoke it (curl gets 401) → register a
//   device with the real apilocker CLI, revoke it in the page (the CLI's next
//   call fails) → connect an OAuth client (the MCP SDK client, consent given
//   in this Chromium), revoke it under Connected apps (its next MCP call gets
//   401) → activity updates live and exports as CSV and JSON lines → Test
//   connection → sign out another session → delete the account (the user's
//   D1 rows and KV blobs are gone from the local state).
//
// Every page is screenshotted at 1280 and 360 px, light and dark, into $E2E_ARTIFACTS_DIR
// (default build/test-output/dashboard), axe-core reports no violations on
// any of them in either colour scheme, and the browser reports no console error (CSP violations are
// console errors) during the whole journey. Bad input through the forms shows
// the server's message and writes nothing. Step timings go to timings.json.
//
//   E2E_BASE_URL, E2E_STATE_DIR, E2E_WORK_DIR: see tests/e2e/run

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';

import { startUpstream } from '../worker/upstream.mjs';
import { visit } from './browser.mjs';
import { apilocker, describeRun, ROOT } from './lib/cli.mjs';
import { axe, launch, overflowsHorizontally, screenshots, SECRET_SELECTORS, watch } from './lib/chromium.mjs';
import { userRowsAndBlobs } from './lib/state.mjs';

const run = promisify(execFile);
const BASE = process.env.E2E_BASE_URL?.replace(/\/+$/, '');
const STATE_DIR = process.env.E2E_STATE_DIR;
const WORK = process.env.E2E_WORK_DIR ?? join(tmpdir(), `ve-e2e-dash-${process.pid}`);
const ARTIFACTS = process.env.E2E_ARTIFACTS_DIR ?? join(ROOT, 'build', 'test-output', 'dashboard');
mkdirSync(WORK, { recursive: true });

const RUN = randomBytes(4).toString('hex');
const EMAIL = `dash-${RUN}@example.test`;
const HOME = join(WORK, 'home-dashboard');
const API_KEY = `OPENAI_DASH_${RUN.toUpperCase()}`;
const OAUTH_KEY = `google-oauth-dash-${RUN}`;
const CUSTOM_KEY = `LOOPBACK_API_${RUN.toUpperCase()}`;
const VALUE = `sk-test-dash-${randomBytes(20).toString('hex')}`;
const VALUE2 = `sk-test-dash-rotated-${randomBytes(20).toString('hex')}`;
const CUSTOM_VALUE = `lb-test-dash-${randomBytes(20).toString('hex')}`;
const CLIENT_SECRET = `gcs-test-dash-${randomBytes(16).toString('hex')}`;
const secrets = [VALUE, VALUE2, CUSTOM_VALUE, CLIENT_SECRET];

/** Hides every secret of this run in failure output. */
const redact = (s) => secrets.reduce((t, v) => t.split(v).join('[secret]'), String(s));

const state = {};
const timings = [];
const shots = [];
const a11y = {};
let browser;
let context;
let page;
let problems;
let upstream;

/** One step of the journey: skipped when an earlier step failed, timed. */
let failed = false;
function step(name, fn, timeout = 60_000) {
  it(name, { timeout }, async (t) => {
    if (failed) {
      t.skip('an earlier step failed');
      return;
    }
    const started = Date.now();
    try {
      await fn();
    } catch (e) {
      failed = true;
      await page
        ?.screenshot({ path: join(ARTIFACTS, `failed-${name.replace(/\W+/g, '-')}.png`), fullPage: true, mask: SECRET_SELECTORS.map((sel) => page.locator(sel)) })
        .catch(() => {});
      throw new Error(redact(e?.stack ?? e));
    } finally {
      timings.push({ step: name, ms: Date.now() - started });
    }
  });
}

/** Navigates inside the app with its own nav (a client-side route change). */
async function openPage(linkName, heading) {
  await page.getByRole('navigation').getByRole('link', { name: linkName, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Screenshots the page at both widths and runs axe on it (once per page name). */
async function record(name) {
  await page.waitForLoadState('networkidle').catch(() => {});
  shots.push(...(await screenshots(page, ARTIFACTS, name)));
  // Both colour schemes (dark mode follows prefers-color-scheme): contrast
  // is checked in each.
  a11y[name] = await axe(page);
  await page.emulateMedia({ colorScheme: 'dark' });
  shots.push(...(await screenshots(page, ARTIFACTS, `${name}-dark`)));
  a11y[`${name} (dark)`] = await axe(page);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 360, height: 800 });
  const overflow = await overflowsHorizontally(page);
  await page.setViewportSize({ width: 1280, height: 900 });
  assert.equal(overflow, false, `${name}: no horizontal scrolling at 360 px`);
}

/** The table row (or list item) that mentions `text`. */
function rowOf(text) {
  return page.getByRole('row').filter({ hasText: text });
}

/** A dialog by its accessible name. */
function dialog(name) {
  return page.getByRole('dialog', { name });
}

async function curl(args) {
  try {
    const { stdout } = await run('curl', ['-sS', '-o', '-', '-w', '\n%{http_code}', ...args], { timeout: 30_000 });
    const i = stdout.lastIndexOf('\n');
    return { status: Number(stdout.slice(i + 1)), body: stdout.slice(0, i) };
  } catch (e) {
    throw new Error(redact(`curl failed: ${e.message}`));
  }
}

before(async () => {
  assert.ok(BASE, 'E2E_BASE_URL is set (run through tests/e2e/run)');
  mkdirSync(ARTIFACTS, { recursive: true });
  upstream = await startUpstream();
  ({ browser, context } = await launch(BASE));
  page = await context.newPage();
  problems = watch(page, BASE);
});

after(async () => {
  writeFileSync(join(ARTIFACTS, 'timings.json'), `${JSON.stringify({ timings, screenshots: shots.length, a11y }, null, 2)}\n`);
  await browser?.close();
  await upstream?.stop();
});

describe('the dashboard in Chromium', { concurrency: false }, () => {
  step('sign in: / sends a signed-out visitor to sign-in and back', async () => {
    await page.goto(`${BASE}/`);
    await page.waitForURL(/\/auth\/(login|dev)/);
    // Locally the sign-in page carries the development form (one email field).
    await page.getByLabel('Email').fill(EMAIL);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Keys' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    const headers = (await page.request.get(`${BASE}/`)).headers();
    assert.match(headers['content-security-policy'] ?? '', /default-src 'self'/);
    assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    assert.equal(headers['referrer-policy'], 'no-referrer');
    assert.equal(headers['x-content-type-options'], 'nosniff');
    await record('keys-empty');
  });

  step('bad input: the server\'s message next to the field, nothing written', async () => {
    await page.getByRole('button', { name: 'Store key' }).click();
    const d = dialog(/store/i);
    await d.getByLabel('Name').fill('x'.repeat(200));
    await d.getByLabel('Provider').selectOption('openai');
    await d.getByLabel(/^(Key|Value|API key)$/).fill(VALUE);
    await d.getByRole('button', { name: 'Store key' }).click();
    await d.getByText(/name/i).and(d.locator('[role=alert], .error, [id$=-error]')).first().waitFor();
    await d.getByLabel('Name').fill('BAD_BASE_URL');
    await d.getByLabel('Provider').selectOption('custom');
    await d.getByLabel('Base URL').fill('http://10.0.0.1/api');
    await d.getByRole('button', { name: 'Store key' }).click();
    await d.getByText(/https|private|not allowed|base_url|base URL/i).and(d.locator('[role=alert], .error, [id$=-error]')).first().waitFor();
    await d.getByRole('button', { name: 'Cancel' }).click();
    const keys = await page.request.get(`${BASE}/v1/keys`);
    assert.equal((await keys.json()).keys.length, 0, 'no key was written');
  });

  step('store an API key, an OAuth credential and a custom key', async () => {
    await page.getByRole('button', { name: 'Store key' }).click();
    let d = dialog(/store/i);
    await d.getByLabel('Name').fill(API_KEY);
    await d.getByLabel('Provider').selectOption('openai');
    await d.getByText(/api\.openai\.com/).first().waitFor(); // the catalog shows the base URL
    await d.getByLabel(/^(Key|Value|API key)$/).fill(VALUE);
    await d.getByLabel('Tags').fill('prod, llm');
    await d.getByRole('button', { name: 'Store key' }).click();
    await rowOf(API_KEY).waitFor();

    await page.getByRole('button', { name: 'Store key' }).click();
    d = dialog(/store/i);
    await d.getByLabel(/OAuth/).check();
    await d.getByLabel('Name').fill(OAUTH_KEY);
    await d.getByLabel('Provider').selectOption('google-oauth');
    await d.getByLabel('Client ID').fill(`client-${RUN}.apps.example.test`);
    await d.getByLabel('Client secret').fill(CLIENT_SECRET);
    await d.getByRole('button', { name: 'Store key' }).click();
    await rowOf(OAUTH_KEY).waitFor();

    await page.getByRole('button', { name: 'Store key' }).click();
    d = dialog(/store/i);
    await d.getByLabel('Name').fill(CUSTOM_KEY);
    await d.getByLabel('Provider').selectOption('custom');
    await d.getByLabel('Base URL').fill(upstream.url);
    await d.getByLabel(/injection|auth header|how the key is sent/i).selectOption('bearer');
    await d.getByLabel(/^(Key|Value|API key)$/).fill(CUSTOM_VALUE);
    await d.getByRole('button', { name: 'Store key' }).click();
    await rowOf(CUSTOM_KEY).waitFor();

    // A duplicate name: the server's 409 in the dialog, no second row.
    await page.getByRole('button', { name: 'Store key' }).click();
    d = dialog(/store/i);
    await d.getByLabel('Name').fill(API_KEY);
    await d.getByLabel('Provider').selectOption('openai');
    await d.getByLabel(/^(Key|Value|API key)$/).fill(VALUE2);
    await d.getByRole('button', { name: 'Store key' }).click();
    await d.getByText(/already/i).first().waitFor();
    await d.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await rowOf(API_KEY).count(), 1);
    const keys = (await (await page.request.get(`${BASE}/v1/keys`)).json()).keys;
    state.keys = Object.fromEntries(keys.map((k) => [k.name, k]));
    assert.equal(keys.length, 3);
    await record('keys');
  });

  step('search and filter', async () => {
    const search = page.getByRole('searchbox');
    await search.fill('LOOPBACK');
    await rowOf(CUSTOM_KEY).waitFor();
    assert.equal(await rowOf(API_KEY).count(), 0, 'search hides non-matching keys');
    await search.fill('');
    await page.getByLabel(/^Provider/).last().selectOption('openai');
    await rowOf(API_KEY).waitFor();
    assert.equal(await rowOf(CUSTOM_KEY).count(), 0, 'the provider filter hides other providers');
    await page.getByLabel(/^Provider/).last().selectOption('');
    await page.getByLabel(/^Category/).selectOption('oauth');
    await rowOf(OAUTH_KEY).waitFor();
    assert.equal(await rowOf(API_KEY).count(), 0);
    await page.getByLabel(/^Category/).selectOption('');
    await page.getByLabel(/^Tag/).selectOption('prod');
    await rowOf(API_KEY).waitFor();
    assert.equal(await rowOf(OAUTH_KEY).count(), 0);
    await page.getByLabel(/^Tag/).selectOption('');
    await rowOf(CUSTOM_KEY).waitFor();
  });

  step('reveal: masked until asked, copied, hidden after 30 s, nowhere in storage or URL', async () => {
    await page.clock.install();
    await rowOf(API_KEY).getByRole('link', { name: API_KEY }).click();
    await page.getByRole('heading', { level: 1, name: API_KEY }).waitFor();
    assert.ok(!(await page.content()).includes(VALUE), 'the value is not in the page before a reveal');
    await page.getByRole('button', { name: 'Reveal' }).click();
    const shown = page.getByTestId('secret-value');
    await shown.waitFor();
    assert.ok(!(await shown.textContent()).includes(VALUE), 'revealed, but masked until asked');
    await page.getByRole('button', { name: 'Show' }).click();
    assert.equal((await shown.textContent()).trim(), VALUE);
    await page.getByRole('button', { name: 'Copy' }).first().click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), VALUE);
    const stored = await page.evaluate(() => JSON.stringify({ l: { ...localStorage }, s: { ...sessionStorage } }));
    assert.ok(!stored.includes(VALUE) && !page.url().includes(VALUE), 'not in storage or the URL');
    await page.clock.fastForward(31_000);
    await shown.waitFor({ state: 'detached' });
    assert.ok(!(await page.content()).includes(VALUE), 'gone from the page after 30 s');
    await page.evaluate(() => navigator.clipboard.writeText(''));
    await record('key-detail');
  });

  step('rotate to a new value, then pause and resume', async () => {
    await page.getByRole('button', { name: 'Rotate' }).click();
    const d = dialog(/rotate/i);
    await d.getByLabel(/new value|key|value/i).first().fill(VALUE2);
    await d.getByRole('button', { name: 'Rotate' }).click();
    await d.waitFor({ state: 'detached' });
    const reveal = await page.request.post(`${BASE}/v1/keys/reveal`, {
      headers: { 'content-type': 'application/json', 'x-csrf-token': await csrf(), origin: BASE },
      data: { keys: [API_KEY] },
    });
    assert.equal((await reveal.json()).keys[0].value, VALUE2, 'the rotated value is current');
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByText(/blocks the proxy only|proxy only/i).first().waitFor();
    await confirmIfAsked('Pause');
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
  });

  step('create a scoped token, use it through the proxy with curl, revoke it', async () => {
    await openPage('Tokens', 'Tokens');
    await page.getByRole('button', { name: 'Create token' }).click();
    let d = dialog(/token/i);
    await d.getByLabel('Name').fill(`dash-token-${RUN}`);
    await d.getByRole('button', { name: 'Create token' }).click();
    await d.getByText(/at least one key|allowed_keys|no keys/i).first().waitFor(); // a token with no keys
    await d.getByLabel(CUSTOM_KEY).check();
    await d.getByLabel(/cadence|rotation/i).selectOption('static');
    await d.getByRole('button', { name: 'Create token' }).click();
    const tokenBox = page.getByTestId('new-token');
    await tokenBox.waitFor();
    const token = (await tokenBox.textContent()).trim();
    secrets.push(token);
    assert.match(token, /^vk_/);
    await page.getByText(/shown (only )?once/i).first().waitFor();
    const snippets = await page.getByTestId('token-snippets').textContent();
    assert.ok(snippets.includes(`${BASE}/v1/proxy/${state.keys[CUSTOM_KEY].id}`), 'snippets call the proxy URL');
    for (const lang of [/curl/, /fetch\(/, /requests\./]) assert.match(snippets, lang);
    await record('tokens-created');
    await page.getByRole('button', { name: /done|close/i }).click();
    assert.ok(!(await page.content()).includes(token), 'the token is gone once closed');

    const ok = await curl(['-H', `Authorization: Bearer ${token}`, `${BASE}/v1/proxy/${state.keys[CUSTOM_KEY].id}/_echo`]);
    assert.equal(ok.status, 200, redact(ok.body));
    const seen = (await upstream.requestsUnder('/_echo')).at(-1);
    assert.ok(seen.headers.some(([n, v]) => n === 'authorization' && v === `Bearer ${CUSTOM_VALUE}`), 'the upstream got the key');

    await rowOf(`dash-token-${RUN}`).getByRole('button', { name: 'Revoke' }).click();
    await confirmIfAsked('Revoke');
    await rowOf(`dash-token-${RUN}`).getByText(/revoked/i).waitFor();
    const denied = await curl(['-H', `Authorization: Bearer ${token}`, `${BASE}/v1/proxy/${state.keys[CUSTOM_KEY].id}/_echo`]);
    assert.equal(denied.status, 401);
    await record('tokens');
  });

  step('register a device with the apilocker CLI, revoke it in the page', async () => {
    const out = join(WORK, 'browser-dashboard-device.json');
    const r = await apilocker(['register', '--url', BASE, '--name', `dash-device-${RUN}`], {
      home: HOME,
      env: { E2E_BROWSER_EMAIL: EMAIL, E2E_BROWSER_ACTION: 'approve', E2E_BROWSER_OUT: out },
      timeoutMs: 90_000,
    });
    assert.equal(r.code, 0, redact(describeRun(r)));
    const listed = await apilocker(['list'], { home: HOME });
    assert.equal(listed.code, 0, redact(describeRun(listed)));
    await openPage('Devices', 'Devices');
    await rowOf(`dash-device-${RUN}`).waitFor();
    await record('devices');
    await rowOf(`dash-device-${RUN}`).getByRole('button', { name: 'Revoke' }).click();
    await confirmIfAsked('Revoke');
    await rowOf(`dash-device-${RUN}`).waitFor({ state: 'detached' });
    const after = await apilocker(['list'], { home: HOME });
    assert.notEqual(after.code, 0, 'the revoked device\'s CLI is refused');
  }, 120_000);

  step('connect the MCP SDK client through consent in this browser, revoke it', async () => {
    const provider = new ChromiumOAuthProvider(`mcp-dash-${RUN}`);
    await provider.start();
    try {
      const url = new URL(`${BASE}/v1/mcp`);
      const first = new Client({ name: 'dash-agent', version: '1.0.0' });
      await assert.rejects(first.connect(new StreamableHTTPClientTransport(url, { authProvider: provider })), UnauthorizedError);
      const transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
      await transport.finishAuth(provider.code);
      const client = new Client({ name: 'dash-agent', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
      const listed = await client.callTool({ name: 'list_keys', arguments: {} });
      assert.ok(!listed.isError, 'list_keys works for the connected app');
      await openPage('Connected apps', 'Connected apps');
      await rowOf(`mcp-dash-${RUN}`).waitFor();
      await rowOf(`mcp-dash-${RUN}`).getByText(/declared by the app/i).waitFor();
      await record('apps');
      await rowOf(`mcp-dash-${RUN}`).getByRole('button', { name: 'Revoke' }).click();
      await confirmIfAsked('Revoke');
      await rowOf(`mcp-dash-${RUN}`).waitFor({ state: 'detached' });
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${provider.tokens().access_token}`,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-11-25',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list' }),
      });
      assert.equal(res.status, 401, 'the revoked app is cut off at its next request');
      await client.close().catch(() => {});
    } finally {
      await provider.stop();
    }
  }, 90_000);

  step('activity updates live, filters, exports CSV and JSON lines', async () => {
    await openPage('Activity', 'Activity');
    await page.getByRole('row').filter({ hasText: 'key.create' }).first().waitFor();
    const before = await page.getByRole('row').count();
    // An action elsewhere (the API, as the CLI would) shows up without a reload.
    await page.request.post(`${BASE}/v1/keys/${state.keys[OAUTH_KEY].id}/pause`, {
      headers: { 'content-type': 'application/json', 'x-csrf-token': await csrf(), origin: BASE },
      data: {},
    });
    // The earlier pause of the API key left a key.pause row: wait for this one's.
    await page.getByRole('row').filter({ hasText: 'key.pause' }).filter({ hasText: OAUTH_KEY }).first().waitFor({ timeout: 20_000 });
    assert.ok((await page.getByRole('row').count()) > before);
    await page.getByLabel(/^Action/).selectOption({ label: /reveal/i }).catch(async () => {
      await page.getByLabel(/^Action/).fill('key.reveal');
    });
    await page.getByRole('row').filter({ hasText: 'key.reveal' }).first().waitFor();
    assert.equal(await page.getByRole('row').filter({ hasText: 'key.pause' }).count(), 0, 'the action filter applies');
    await page.getByRole('img', { name: /calls per day/i }).first().waitFor();
    await record('activity');
    const csv = await download('Export CSV');
    assert.match(csv.split('\n')[0], /created_at|timestamp/);
    assert.ok(csv.includes('key.reveal'));
    const jsonl = await download('Export JSON lines');
    const lines = jsonl.trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(lines.some((l) => l.action === 'key.reveal'));
    for (const s of secrets) assert.ok(!csv.includes(s) && !jsonl.includes(s), 'exports carry no secret');
  });

  step('health: the doctor report with a fix per finding', async () => {
    await openPage('Health', 'Health');
    // The OAuth credential was paused in the activity step: a finding with a Resume fix.
    const finding = page.locator('.cards li').filter({ hasText: OAUTH_KEY });
    await finding.waitFor();
    await record('doctor');
    const fix = finding.getByRole('button', { name: 'Resume' });
    await fix.click();
    await confirmIfAsked('Resume');
    await fix.waitFor({ state: 'detached' });
  });

  step('connect an AI client: the MCP URL and Test connection', async () => {
    await openPage('Connect an AI client', 'Connect an AI client');
    await page.getByText(`${BASE}/v1/mcp`).first().waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('list_keys').first().waitFor();
    await page.getByText(/2025-11-25/).first().waitFor();
    await record('connect');
  });

  step('account: sign out another session', async () => {
    // A second browser (the e2e suite's headless one) signs in as the same user.
    await visit(`${BASE}/auth/dev`, { email: EMAIL, action: 'approve' });
    await openPage('Account', 'Account');
    const others = page.getByRole('row').filter({ hasNotText: /this browser/i }).filter({ has: page.getByRole('button', { name: 'Sign out' }) });
    await others.first().waitFor();
    const count = await others.count();
    await record('account');
    await others.first().getByRole('button', { name: 'Sign out' }).click();
    await confirmIfAsked('Sign out');
    await page.waitForFunction((n) => document.querySelectorAll('tr button').length < n + 1 || true, count);
    await page.getByRole('button', { name: 'Sign out all other sessions' }).click();
    await confirmIfAsked('Sign out');
    const sessions = await (await page.request.get(`${BASE}/v1/sessions`)).json();
    assert.equal(sessions.sessions.length, 1, 'only this browser\'s session is left');
    assert.equal(sessions.sessions[0].current, true);
  });

  step('delete the account: every D1 row and KV blob of the user is gone', async () => {
    const me = await (await page.request.get(`${BASE}/v1/auth/me`)).json();
    const beforeDelete = userRowsAndBlobs(STATE_DIR, me.user_id);
    assert.ok(beforeDelete.rows > 0 && beforeDelete.blobs > 0, `the user has rows and blobs: ${JSON.stringify(beforeDelete)}`);
    await page.getByRole('button', { name: 'Delete account' }).click();
    const d = dialog(/delete/i);
    await d.getByLabel(/email/i).fill('wrong@example.test');
    assert.ok(await d.getByRole('button', { name: 'Delete account' }).isDisabled(), 'disabled until the email is typed');
    await d.getByLabel(/email/i).fill(EMAIL);
    await d.getByRole('button', { name: 'Delete account' }).click();
    await page.waitForURL(/\/auth\//);
    const afterDelete = userRowsAndBlobs(STATE_DIR, me.user_id);
    assert.deepEqual({ rows: afterDelete.rows, blobs: afterDelete.blobs }, { rows: 0, blobs: 0 }, JSON.stringify(afterDelete.where));
  });

  step('the journey: no console error, no CSP violation, no accessibility violation', async () => {
    assert.deepEqual(problems.errors, [], 'the browser reported problems');
    const violations = Object.entries(a11y).filter(([, v]) => v.length > 0);
    assert.deepEqual(violations, [], 'axe-core violations');
    assert.ok(shots.length >= 20, `screenshots taken: ${shots.length}`);
  });
});

/** The signed-in page's CSRF token, as the app gets it. */
async function csrf() {
  return (await (await page.request.get(`${BASE}/v1/auth/me`)).json()).csrf_token;
}

/** Presses the confirming button of a confirmation dialog when one opened. */
async function confirmIfAsked(name) {
  const d = page.getByRole('dialog');
  if (await d.isVisible().catch(() => false)) {
    await d.getByRole('button', { name, exact: true }).click();
    await d.waitFor({ state: 'detached' });
  }
}

/** Clicks a download button and returns the downloaded file's text. */
async function download(name) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name }).click()]);
  const file = join(WORK, `${RUN}-${dl.suggestedFilename()}`);
  await dl.saveAs(file);
  return readFileSync(file, 'utf8');
}

/**
 * An OAuthClientProvider (@modelcontextprotocol/sdk) whose consent is given
 * by a person in the dashboard's Chromium: redirectToAuthorization opens the
 * authorization URL in a new tab of the signed-in context, presses Approve,
 * and catches the redirect to the loopback callback (answered by Playwright,
 * so no listener is needed).
 */
class ChromiumOAuthProvider {
  constructor(clientName) {
    this.clientName = clientName;
    this.port = 0;
    this._tokens = undefined;
    this._info = undefined;
  }
  async start() {
    this.port = 40_000 + Math.floor(Math.random() * 20_000);
  }
  async stop() {}
  get redirectUrl() {
    return `http://127.0.0.1:${this.port}/callback`;
  }
  get clientMetadata() {
    return {
      client_name: this.clientName,
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  clientInformation() {
    return this._info;
  }
  saveClientInformation(info) {
    this._info = info;
  }
  tokens() {
    return this._tokens;
  }
  saveTokens(t) {
    secrets.push(t.access_token, t.refresh_token);
    this._tokens = t;
  }
  saveCodeVerifier(v) {
    this._verifier = v;
  }
  codeVerifier() {
    return this._verifier;
  }
  async redirectToAuthorization(url) {
    const tab = await context.newPage();
    const tabProblems = watch(tab, BASE);
    try {
      let callback;
      await tab.route(`${this.redirectUrl}**`, (route) => {
        callback = new URL(route.request().url());
        return route.fulfill({ status: 200, contentType: 'text/plain', body: 'ok' });
      });
      await tab.goto(url.href);
      await tab.getByText(this.clientName).first().waitFor();
      await tab.getByRole('button', { name: /approve|allow/i }).click();
      await tab.waitForURL(`${this.redirectUrl}**`);
      this.code = callback.searchParams.get('code');
      assert.ok(this.code, 'the consent redirect carries a code');
      problems.errors.push(...tabProblems.errors);
    } finally {
      await tab.close();
    }
  }
}
