// End-to-end: vaultedge's OAuth 2.1 authorization server (docs/oauth.md) with
// real remote-MCP clients, against the running dev server (started by
// tests/e2e/run):
//
//   1. `mcp-remote` 0.15.1 (the stdio bridge Claude Desktop users run) signs in
//      on its own: discovery, dynamic registration, PKCE, the authorization
//      URL opened through BROWSER=tests/e2e/bin/browser-approve (the headless
//      browser signs in through the development form, approves the consent
//      page, and follows the 303 to mcp-remote's loopback callback), the code
//      exchange; then initialize, tools/list and tools/call list_keys on its
//      stdin/stdout.
//   2. The MCP Inspector CLI with `--header "Authorization: Bearer <the access
//      token mcp-remote stored>"`: tools/list and tools/call list_keys.
//   3. `apilocker oauth grants list` shows the client; `apilocker oauth grants
//      revoke <id> --yes` cuts it off: the same Inspector call fails with 401,
//      and so do the access and refresh tokens.
//   4. The wrangler state and the server log hold none of those tokens.
//
// How mcp-remote is made headless: it calls the `open` package (10.2.0, its own
// copy), which on Linux spawns its bundled `xdg-open` script; with no desktop
// (no DISPLAY / WAYLAND_DISPLAY / XDG_CURRENT_DESKTOP / D-Bus session), that
// script's generic path runs `$BROWSER <url>`. Its token store is
// $MCP_REMOTE_CONFIG_DIR/mcp-remote-v1/<md5 of the server URL>_tokens.json; it
// is pointed at a scratch directory (and HOME too).
//
//   E2E_BASE_URL, E2E_STATE_DIR, E2E_WORK_DIR, E2E_SERVER_LOG: see cli.test.mjs
//   E2E_MCP_REMOTE_BROWSER  the BROWSER given to mcp-remote (default
//                           tests/e2e/bin/browser-approve; e.g. a wrapper that logs)
//
// No credential is ever printed: failure messages go through redact().

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';

import { api, registerDevice } from './lib/api.mjs';
import { ROOT, apilocker, describeRun } from './lib/cli.mjs';
import { scanForLeaks } from './lib/leaks.mjs';
import { discover, tokenRequest } from './lib/oauth.mjs';

const BASE = process.env.E2E_BASE_URL?.replace(/\/+$/, '');
const STATE_DIR = process.env.E2E_STATE_DIR;
const SERVER_LOG = process.env.E2E_SERVER_LOG;
const WORK = process.env.E2E_WORK_DIR ?? mkdtempSync(join(tmpdir(), 've-e2e-oauth-'));
mkdirSync(WORK, { recursive: true });

const MCP_REMOTE_JS = join(ROOT, 'node_modules', 'mcp-remote', 'dist', 'proxy.js');
const INSPECTOR_JS = join(ROOT, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'cli', 'build', 'index.js');
const BROWSER_APPROVE = process.env.E2E_MCP_REMOTE_BROWSER ?? join(ROOT, 'tests', 'e2e', 'bin', 'browser-approve');
/** mcp-remote's client_name in its RFC 7591 registration (dist/proxy.js runProxy). */
const MCP_REMOTE_CLIENT_NAME = 'MCP CLI Proxy';

const RUN = randomBytes(4).toString('hex');
const EMAIL = `e2e-oauth-${RUN}@example.test`;
const HOME = join(WORK, 'home-oauth'); // the registered device's apilocker HOME
/** mcp-remote's HOME and MCP_REMOTE_CONFIG_DIR, and the browser's report, per run. */
const REMOTE = {
  approve: { home: join(WORK, 'home-mcp-remote'), config: join(WORK, 'mcp-remote-config'), out: join(WORK, 'browser-mcp-remote.json') },
  deny: { home: join(WORK, 'home-mcp-remote-deny'), config: join(WORK, 'mcp-remote-config-deny'), out: join(WORK, 'browser-mcp-remote-deny.json') },
};
const INSPECTOR_HOME = join(WORK, 'home-inspector');
const KEY = `E2E_OAUTH_KEY_${RUN.toUpperCase()}`;
const VALUE = `sk-test-e2e-oauth-${randomBytes(20).toString('hex')}`;

// ---- secrets and redaction ---------------------------------------------------

/** Every credential seen, by label: scanned for at the end, hidden in messages. */
const secrets = [{ label: 'stored api key value', value: VALUE }];
const addSecret = (label, value) => {
  if (typeof value === 'string' && value.length >= 8 && !secrets.some((s) => s.value === value)) secrets.push({ label, value });
};

/** Hides every known secret, anything shaped like one of our tokens, and OAuth codes. */
function redact(text) {
  let s = String(text);
  for (const { label, value } of secrets) s = s.split(value).join(`[${label}]`);
  return s
    .replace(/\bvk_[a-z]+_[A-Za-z0-9_-]{16,}/g, (m) => `${m.slice(0, m.indexOf('_', 3) + 1)}[redacted]`)
    .replace(/([?&](?:code|access_token|refresh_token)=)[^&\s"']+/g, '$1[redacted]')
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/g, '$1[redacted]');
}

// ---- step bookkeeping (as in cli.test.mjs) ----------------------------------

const passed = new Set();
/** Shared state between steps. */
const S = { master: '', tokens: null, clientInfo: null, grant: null, shortId: '' };

/**
 * A test that runs only when the named earlier steps passed.
 * @param {string} key
 * @param {string} title
 * @param {string[]} needs
 * @param {(t: import('node:test').TestContext) => Promise<void>} fn
 * @param {number} [timeout]
 */
function step(key, title, needs, fn, timeout = 60_000) {
  it(title, { timeout }, async (t) => {
    const missing = needs.filter((n) => !passed.has(n));
    if (missing.length) {
      t.skip(`needs ${missing.join(', ')}`);
      return;
    }
    await fn(t);
    passed.add(key);
  });
}

// ---- helpers -----------------------------------------------------------------

/** A free TCP port on 127.0.0.1 (for mcp-remote's OAuth callback listener). */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** A minimal environment: no desktop, no D-Bus, no proxies; node first on PATH. */
function baseEnv(home, extra = {}) {
  return {
    PATH: `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    HOME: home,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    CI: '1',
    ...extra,
  };
}

/**
 * mcp-remote as a subprocess speaking newline-delimited JSON-RPC on stdio.
 * @param {number} callbackPort
 * @param {'approve'|'deny'} [action] what the browser presses on the consent page
 * @returns {{request: (msg: object, ms?: number) => Promise<any>, notify: (msg: object) => void,
 *   stderr: () => string, exit: (ms: number) => Promise<number|null|'timeout'>, close: () => Promise<number|null>}}
 */
function startMcpRemote(callbackPort, action = 'approve') {
  const r = REMOTE[action];
  mkdirSync(r.home, { recursive: true, mode: 0o700 });
  mkdirSync(r.config, { recursive: true, mode: 0o700 });
  const args = [MCP_REMOTE_JS, `${BASE}/v1/mcp`, String(callbackPort), '--host', '127.0.0.1', '--auth-timeout', '60'];
  const child = spawn(process.execPath, args, {
    cwd: r.home,
    env: baseEnv(r.home, {
      MCP_REMOTE_CONFIG_DIR: r.config,
      BROWSER: BROWSER_APPROVE,
      E2E_BROWSER_EMAIL: EMAIL,
      E2E_BROWSER_ACTION: action,
      E2E_BROWSER_OUT: r.out,
    }),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const replies = new Map(); // id → message
  const waiters = new Map(); // id → resolve
  let buf = '';
  let err = '';
  let exitCode;
  child.stderr.setEncoding('utf8').on('data', (d) => {
    err += d;
    if (err.length > 200_000) err = err.slice(-100_000);
  });
  child.stdout.setEncoding('utf8').on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i).trim();
      buf = buf.slice(i + 1);
      if (!line) continue;
      let msg;
      try {
        msg = JSON.parse(line);
      } catch {
        continue; // not a JSON-RPC line (mcp-remote logs to stderr; be lenient)
      }
      if (msg.id !== undefined && (msg.result !== undefined || msg.error !== undefined)) {
        replies.set(msg.id, msg);
        waiters.get(msg.id)?.();
      }
    }
  });
  const exitP = new Promise((resolve) => child.on('close', (code) => { exitCode = code; resolve(code); }));
  return {
    stderr: () => err,
    /** Waits (at most `ms`) for the process to end by itself. */
    async exit(ms) {
      let timer;
      const r = await Promise.race([exitP, new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), ms); })]);
      clearTimeout(timer);
      return r;
    },
    notify: (msg) => child.stdin.write(`${JSON.stringify(msg)}\n`),
    async request(msg, ms = 30_000) {
      child.stdin.write(`${JSON.stringify(msg)}\n`);
      if (!replies.has(msg.id)) {
        let timer;
        await Promise.race([
          new Promise((resolve) => waiters.set(msg.id, resolve)),
          exitP.then((code) => { throw new Error(`mcp-remote exited (${code}) before answering ${msg.method}`); }),
          new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no reply to ${msg.method} within ${ms} ms`)), ms); }),
        ]).finally(() => { clearTimeout(timer); waiters.delete(msg.id); });
      }
      return replies.get(msg.id);
    },
    async close() {
      if (exitCode !== undefined) return exitCode;
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exitP;
      clearTimeout(timer);
      return code;
    },
  };
}

/** mcp-remote's stored files for our server: {tokens, clientInfo} (parsed), or nulls. */
function readMcpRemoteStore(action = 'approve') {
  const dir = join(REMOTE[action].config, 'mcp-remote-v1');
  if (!existsSync(dir)) return { tokens: null, clientInfo: null, files: [] };
  const files = readdirSync(dir);
  const read = (suffix) => {
    const f = files.find((n) => n.endsWith(suffix));
    return f ? JSON.parse(readFileSync(join(dir, f), 'utf8')) : null;
  };
  return { tokens: read('_tokens.json'), clientInfo: read('_client_info.json'), files };
}

/** The headless browser's report (written by bin/browser-approve), or null. */
function readBrowserReport(action = 'approve') {
  try {
    return JSON.parse(readFileSync(REMOTE[action].out, 'utf8'));
  } catch {
    return null;
  }
}

function describeBrowser(report) {
  if (!report) return '--- browser: no report (BROWSER never ran, or it crashed) ---';
  return `--- browser (${report.ok ? 'ok' : 'FAILED'}) ---\n${report.error ?? ''}\n` +
    `${(report.steps ?? []).map((s) => `${s.method} ${s.url} → ${s.status}`).join('\n')}\n${report.finalText ?? ''}`;
}

/**
 * Runs the MCP Inspector CLI (HTTP transport, bearer header) to completion.
 * @param {string} token
 * @param {string[]} args e.g. ['--method', 'tools/list']
 * @returns {Promise<{code: number|null, stdout: string, stderr: string, timedOut: boolean}>}
 */
function inspector(token, args, timeoutMs = 45_000) {
  mkdirSync(INSPECTOR_HOME, { recursive: true, mode: 0o700 });
  // --stored-auth-only: on a 401 the Inspector fails (exit 3, auth_required)
  // instead of starting its own OAuth flow; with a working header it is a no-op.
  const argv = [INSPECTOR_JS, '--transport', 'http', '--server-url', `${BASE}/v1/mcp`,
    '--header', `Authorization: Bearer ${token}`, '--stored-auth-only', ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, {
      cwd: INSPECTOR_HOME,
      env: baseEnv(INSPECTOR_HOME, {
        MCP_CATALOG_PATH: join(INSPECTOR_HOME, 'inspector-catalog.json'),
        MCP_AUTO_OPEN_ENABLED: 'false', // never try to open a browser for OAuth
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, timedOut }); });
  });
}

const describeInspector = (r) =>
  redact(`exit ${r.code}${r.timedOut ? ' TIMED OUT' : ''}\n--- stdout ---\n${r.stdout.slice(0, 1500)}\n--- stderr ---\n${r.stderr.slice(-1500)}`);

/** The JSON document the Inspector CLI prints on success. */
function inspectorJson(r) {
  assert.equal(r.code, 0, describeInspector(r));
  const start = r.stdout.indexOf('{');
  let doc;
  assert.doesNotThrow(() => { doc = JSON.parse(r.stdout.slice(start)); }, `stdout is JSON\n${describeInspector(r)}`);
  return doc;
}

/** POST /v1/mcp tools/list with a bearer token, as an SDK client sends it. */
const mcpPost = (token) => api(BASE, 'POST', '/v1/mcp', {
  token,
  body: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
  headers: { Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-06-18' },
});

// ---- the run ----------------------------------------------------------------

describe('OAuth 2.1: mcp-remote, the Inspector CLI and apilocker oauth grants against tools/dev', { concurrency: false }, () => {
  step('setup', 'register a device (device flow) and store a key', [], async () => {
    assert.ok(BASE, 'E2E_BASE_URL is set (run through tests/e2e/run)');
    const dev = await registerDevice(BASE, { email: EMAIL, name: 'e2e-oauth' });
    S.master = dev.master_token;
    addSecret('master token', S.master);
    for (const c of dev.browser?.cookies ?? []) {
      if (c.value.length >= 16 && !/csrf|xsrf/i.test(c.name)) addSecret(`browser cookie ${c.name} (device flow)`, c.value);
    }
    mkdirSync(join(HOME, '.apilocker'), { recursive: true, mode: 0o700 });
    // The config `apilocker register` writes (dist/api.js saveConfig).
    writeFileSync(join(HOME, '.apilocker', 'config.json'), JSON.stringify({
      api_url: BASE, master_token: dev.master_token, user_id: dev.user_id, email: dev.email, device_id: dev.device_id,
    }), { mode: 0o600 });
    const stored = await api(BASE, 'POST', '/v1/keys', {
      token: S.master,
      body: { name: KEY, provider: 'openai', credential_type: 'api_key', key: VALUE },
    });
    assert.equal(stored.status, 201, redact(stored.text));
  }, 120_000);

  step('discovery', 'the MCP resource advertises its authorization server (RFC 9728, RFC 8414) and answers 401 with resource_metadata', ['setup'], async () => {
    const prm = await api(BASE, 'GET', '/.well-known/oauth-protected-resource/v1/mcp');
    assert.equal(prm.status, 200, prm.text.slice(0, 300));
    assert.equal(prm.json?.resource, `${BASE}/v1/mcp`, 'resource');
    assert.deepEqual(prm.json?.authorization_servers, [BASE], 'authorization_servers');
    const as = await api(BASE, 'GET', '/.well-known/oauth-authorization-server');
    assert.equal(as.status, 200, as.text.slice(0, 300));
    assert.equal(as.json?.issuer, BASE, 'issuer');
    assert.deepEqual(as.json?.code_challenge_methods_supported, ['S256']);
    const anon = await mcpPost(undefined);
    assert.equal(anon.status, 401, anon.text.slice(0, 300));
    assert.match(anon.headers.get('www-authenticate') ?? '', /^Bearer .*resource_metadata="[^"]*\/\.well-known\/oauth-protected-resource\/v1\/mcp"/);
  });

  step('mcp-remote', 'mcp-remote signs in through BROWSER (dev form + consent) and proxies initialize, tools/list, tools/call list_keys', ['discovery'], async (t) => {
    const port = await freePort();
    const remote = startMcpRemote(port);
    const why = () => redact(`--- mcp-remote stderr (tail) ---\n${remote.stderr().slice(-3000)}\n${describeBrowser(readBrowserReport())}`);
    try {
      let init;
      try {
        // mcp-remote signs in before it reads stdin: the reply comes after the
        // browser has approved and mcp-remote has exchanged the code.
        init = await remote.request({
          jsonrpc: '2.0', id: 1, method: 'initialize',
          params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e-claude-desktop-like', version: '1.0' } },
        }, 120_000);
      } catch (e) {
        assert.fail(`${e.message}\n${why()}`);
      }
      // Learn every credential first (so that any failure below is redacted
      // by value and the leak scan knows them), then check.
      let report = null;
      for (let i = 0; i < 40 && !(report = readBrowserReport()); i++) await new Promise((r) => setTimeout(r, 250));
      for (const c of report?.cookies ?? []) {
        if (c.value.length >= 16 && !/csrf|xsrf/i.test(c.name)) addSecret(`browser cookie ${c.name} (consent)`, c.value);
      }
      const callback = report?.steps?.find((s) => new URL(s.url).origin === `http://127.0.0.1:${port}`);
      const cb = callback ? new URL(callback.url) : null;
      addSecret('authorization code', cb?.searchParams.get('code'));
      const store = readMcpRemoteStore();
      S.tokens = store.tokens;
      S.clientInfo = store.clientInfo;
      addSecret('access token (mcp-remote)', S.tokens?.access_token);
      addSecret('refresh token (mcp-remote)', S.tokens?.refresh_token);

      // MCP through mcp-remote.
      assert.ok(!init.error, redact(`initialize: ${JSON.stringify(init.error)}\n${why()}`));
      assert.equal(init.result?.protocolVersion, '2025-06-18', 'initialize: the offered version is accepted');
      assert.ok(init.result?.capabilities?.tools, 'capabilities.tools');
      remote.notify({ jsonrpc: '2.0', method: 'notifications/initialized' });
      const list = await remote.request({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      assert.ok(!list.error, redact(`tools/list: ${JSON.stringify(list.error)}`));
      const names = (list.result?.tools ?? []).map((t) => t.name);
      assert.ok(names.includes('list_keys'), `tools/list has list_keys (got ${names.join(', ')})`);
      const call = await remote.request({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_keys', arguments: {} } });
      assert.ok(!call.error, redact(`tools/call: ${JSON.stringify(call.error)}`));
      assert.notEqual(call.result?.isError, true, redact(`list_keys is not an error: ${JSON.stringify(call.result).slice(0, 500)}`));
      const keys = call.result?.structuredContent?.keys;
      assert.ok(Array.isArray(keys), 'structuredContent.keys');
      assert.ok(keys.some((k) => k.name === KEY), `list_keys through mcp-remote shows ${KEY}`);
      assert.ok(!JSON.stringify(call).includes(VALUE), 'list_keys carries no value');

      // The browser did the sign-in and the consent, and delivered the code.
      assert.ok(report?.ok, `the headless browser got through sign-in + consent\n${why()}`);
      if (report.refusedRetries > 0) {
        // mcp-remote opened the browser before its callback listener was up
        // (it does when GET /v1/mcp without a token is not a 401).
        t.diagnostic(`the browser reached mcp-remote's callback after ${report.refusedRetries} refused connection(s)`);
      }
      assert.ok(report.steps.some((st) => new URL(st.url).pathname === '/oauth/authorize'), redact(`visited /oauth/authorize\n${describeBrowser(report)}`));
      assert.ok(report.signedIn, 'signed in through the development form');
      assert.ok(cb, redact(`the consent redirected to mcp-remote's callback on port ${port}\n${describeBrowser(report)}`));
      assert.equal(cb.pathname, '/oauth/callback');
      assert.equal(callback.status, 200, 'mcp-remote accepted the callback');
      assert.equal(cb.searchParams.get('iss'), BASE, 'RFC 9207 iss on the redirect');
      assert.match(cb.searchParams.get('code') ?? '', /^vk_code_/, 'the code has its kind prefix');

      // What mcp-remote stored.
      assert.ok(S.tokens, `mcp-remote stored tokens (files: ${store.files.join(', ')})`);
      assert.match(S.tokens.access_token ?? '', /^vk_at_[A-Za-z0-9_-]{40,}$/, 'access token: vk_at_ + ≥256 bits');
      assert.match(S.tokens.refresh_token ?? '', /^vk_rt_[A-Za-z0-9_-]{40,}$/, 'refresh token: vk_rt_ + ≥256 bits');
      assert.equal(S.tokens.token_type?.toLowerCase(), 'bearer');
      assert.ok(S.tokens.expires_in > 0 && S.tokens.expires_in <= 3600, `expires_in ${S.tokens.expires_in}`);
      assert.match(S.clientInfo?.client_id ?? '', /^vc_/, 'registered client id (RFC 7591)');
      assert.deepEqual(S.clientInfo.redirect_uris, [`http://127.0.0.1:${port}/oauth/callback`]);
    } finally {
      await remote.close(); // stdin closed: mcp-remote exits (SIGKILL after 10 s)
    }
  }, 180_000);

  step('inspector', 'the MCP Inspector CLI with mcp-remote\'s access token: tools/list and tools/call list_keys', ['mcp-remote'], async () => {
    const tools = inspectorJson(await inspector(S.tokens.access_token, ['--method', 'tools/list']));
    const names = (tools.tools ?? []).map((t) => t.name);
    assert.ok(names.includes('list_keys'), `tools/list has list_keys (got ${names.join(', ')})`);
    const call = inspectorJson(await inspector(S.tokens.access_token, ['--method', 'tools/call', '--tool-name', 'list_keys']));
    assert.notEqual(call.isError, true, 'list_keys is not an error');
    assert.ok(call.structuredContent?.keys?.some((k) => k.name === KEY), `list_keys shows ${KEY}`);
    assert.ok(!JSON.stringify(call).includes(VALUE), 'no value in list_keys');
  }, 120_000);

  step('grants-list', '`apilocker oauth grants list` shows the mcp-remote client', ['mcp-remote'], async () => {
    const r = await apilocker(['oauth', 'grants', 'list'], { home: HOME });
    const why = redact(describeRun(r));
    assert.equal(r.code, 0, why);
    const row = r.stdout.split('\n').find((l) => l.includes(MCP_REMOTE_CLIENT_NAME));
    assert.ok(row, `a row for "${MCP_REMOTE_CLIENT_NAME}"\n${why}`);
    assert.match(row, /vault:read/, `the row lists the scopes\n${why}`);
    S.shortId = row.trim().split(/\s+/)[0];
    // The same grant over the API, in full.
    const g = await api(BASE, 'GET', '/v1/oauth/grants', { token: S.master });
    assert.equal(g.status, 200, redact(g.text));
    const mine = (g.json?.grants ?? []).filter((x) => x.client_id === S.clientInfo.client_id);
    assert.equal(mine.length, 1, redact(`one grant for mcp-remote's client_id: ${g.text.slice(0, 800)}`));
    S.grant = mine[0];
    assert.ok(S.grant.id.startsWith(S.shortId), `the CLI's ID column (${S.shortId}) is the grant id's prefix`);
    assert.equal(S.grant.client_name, MCP_REMOTE_CLIENT_NAME);
    assert.match(S.grant.redirect_host ?? '', /^127\.0\.0\.1(:\d+)?$/, 'redirect_host');
    assert.equal(S.grant.resource, `${BASE}/v1/mcp`);
    assert.ok(S.grant.scopes.includes('vault:read'), `scopes ${S.grant.scopes}`);
    for (const f of ['authorized_at', 'last_active_at']) {
      assert.match(S.grant[f] ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/, `${f} is ISO 8601 with Z`);
    }
  });

  step('revoke', '`apilocker oauth grants revoke <id> --yes` cuts the client off: the Inspector gets 401', ['grants-list'], async (t) => {
    const r = await apilocker(['oauth', 'grants', 'revoke', S.shortId, '--yes'], { home: HOME });
    const why = redact(describeRun(r));
    assert.equal(r.code, 0, why);
    assert.match(r.stdout, new RegExp(`Revoked grant for ${MCP_REMOTE_CLIENT_NAME}`), why);
    assert.match(r.stdout, /[1-9]\d* token\(s\) invalidated/, why);

    // The Inspector, same token, same call as before.
    const after = await inspector(S.tokens.access_token, ['--method', 'tools/list']);
    assert.ok(!after.timedOut, describeInspector(after));
    // Exit 3 = the Inspector's AUTH_REQUIRED: it classified the answer as a 401
    // (its isUnauthorizedError) and, with --stored-auth-only, stopped there.
    assert.equal(after.code, 3, `the Inspector fails with AUTH_REQUIRED after the revoke\n${describeInspector(after)}`);
    assert.match(after.stderr, /"code":\s*"auth_required"/, `the Inspector reports auth_required\n${describeInspector(after)}`);
    t.diagnostic(`Inspector after the revoke: exit ${after.code}, ${redact(after.stderr.trim()).slice(0, 300)}`);

    // The server's answer itself: 401 + invalid_token + resource_metadata.
    const direct = await mcpPost(S.tokens.access_token);
    assert.equal(direct.status, 401, redact(direct.text.slice(0, 300)));
    const wa = direct.headers.get('www-authenticate') ?? '';
    assert.match(wa, /error="invalid_token"/, `WWW-Authenticate: ${wa}`);
    assert.match(wa, /resource_metadata="/, `WWW-Authenticate: ${wa}`);
    t.diagnostic(`POST /v1/mcp with the revoked token: ${direct.status}, WWW-Authenticate: ${wa}`);

    // The refresh token died with the grant.
    const { as } = await discover(BASE);
    const refreshed = await tokenRequest(as, {
      grant_type: 'refresh_token', refresh_token: S.tokens.refresh_token, client_id: S.clientInfo.client_id,
    });
    assert.equal(refreshed.status, 400, `refresh after revoke → ${refreshed.status} ${refreshed.json?.error ?? ''}`);
    assert.equal(refreshed.json?.error, 'invalid_grant');

    // And the grant is gone from the list.
    const list = await apilocker(['oauth', 'grants', 'list'], { home: HOME });
    assert.equal(list.code, 0, redact(describeRun(list)));
    assert.ok(!list.stdout.includes(MCP_REMOTE_CLIENT_NAME), redact(`the revoked grant is no longer listed\n${describeRun(list)}`));
    const again = await apilocker(['oauth', 'grants', 'revoke', S.shortId, '--yes'], { home: HOME });
    assert.notEqual(again.code, 0, redact(`revoking it again fails\n${describeRun(again)}`));
  }, 120_000);

  step('deny', 'Deny on the consent page: the denial is redirected to mcp-remote with error=access_denied, state and iss; no grant, no token', ['discovery'], async (t) => {
    const port = await freePort();
    const remote = startMcpRemote(port, 'deny');
    const why = () => redact(`--- mcp-remote stderr (tail) ---\n${remote.stderr().slice(-3000)}\n${describeBrowser(readBrowserReport('deny'))}`);
    try {
      // Never answered: mcp-remote signs in before it reads stdin, and the
      // sign-in fails.
      remote.notify({
        jsonrpc: '2.0', id: 1, method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e-deny', version: '1.0' } },
      });
      // What the server must do is redirect the denial to the client; what
      // mcp-remote then does is its own business: depending on timing it exits
      // non-zero or keeps waiting for another attempt. So wait for the browser
      // (bounded: 90 × 1 s), then give mcp-remote a moment and stop it.
      let report = null;
      for (let i = 0; i < 90 && !report?.decided; i += 1) {
        await new Promise((r) => setTimeout(r, 1000));
        report = readBrowserReport('deny');
      }
      const code = await remote.exit(10_000);
      t.diagnostic(`mcp-remote after the denial: ${code === 'timeout' ? 'still waiting (stopped by the test)' : `exit ${code}`}`);
      assert.notEqual(code, 0, `mcp-remote does not report success after a denial\n${why()}`);
      assert.ok(report?.decided, `the browser pressed Deny\n${why()}`);
      const callback = report.steps.find((s) => new URL(s.url).origin === `http://127.0.0.1:${port}`);
      assert.ok(callback, `the denial was redirected to mcp-remote's callback\n${why()}`);
      const cb = new URL(callback.url).searchParams;
      assert.equal(cb.get('error'), 'access_denied', why());
      assert.equal(cb.get('code'), null, 'no code on a denial');
      assert.equal(cb.get('iss'), BASE, 'RFC 9207 iss on the error redirect too');
      assert.equal(readMcpRemoteStore('deny').tokens, null, 'mcp-remote stored no tokens');
      const denied = readMcpRemoteStore('deny').clientInfo;
      const g = await api(BASE, 'GET', '/v1/oauth/grants', { token: S.master });
      assert.equal(g.status, 200, redact(g.text));
      assert.ok(denied?.client_id, 'mcp-remote registered a client before the denial');
      assert.deepEqual((g.json?.grants ?? []).filter((x) => x.client_id === denied.client_id), [], 'no grant for the denied client');
    } finally {
      await remote.close();
    }
  }, 120_000);

  step('audit', 'the activity log names the OAuth client on its MCP calls and records approve, token, revoke (and deny)', ['revoke'], async () => {
    const a = await api(BASE, 'GET', '/v1/activity?limit=200', { token: S.master });
    assert.equal(a.status, 200, redact(a.text.slice(0, 300)));
    const logs = a.json?.logs ?? [];
    const calls = logs.filter((l) => l.action === 'mcp.tool_call' && l.actor_kind === 'oauth');
    // One through mcp-remote, one through the Inspector.
    assert.ok(calls.length >= 2, redact(`≥ 2 mcp.tool_call rows with actor_kind oauth: ${JSON.stringify(logs.map((l) => [l.action, l.actor_kind, l.client])).slice(0, 800)}`));
    for (const c of calls) {
      assert.equal(c.actor_id, S.clientInfo.client_id, 'actor_id = client_id');
      assert.equal(c.client, MCP_REMOTE_CLIENT_NAME, 'client = client_name');
      assert.equal(c.token_id, S.grant.id, 'token_id = grant id');
    }
    const actions = new Set(logs.map((l) => l.action));
    const want = ['oauth.approve', 'oauth.token', 'oauth.grant_revoke', ...(passed.has('deny') ? ['oauth.deny'] : [])];
    assert.deepEqual(want.filter((w) => !actions.has(w)), [], `audit actions present (got ${[...actions].join(', ')})`);
    assert.ok(!a.text.includes(S.tokens.access_token) && !a.text.includes(S.tokens.refresh_token), 'no token in the activity log');
  });

  step('leaks', 'the wrangler state and the server log hold none of the tokens, codes or cookies', ['mcp-remote'], async () => {
    assert.ok(STATE_DIR && existsSync(STATE_DIR), 'E2E_STATE_DIR is the server state');
    const needles = secrets.filter((s) => s.value.length >= 8);
    assert.ok(needles.some((n) => n.label.startsWith('access token')), 'the access token is among the needles');
    const { files, hits } = scanForLeaks(STATE_DIR, needles);
    assert.ok(files > 0, 'files scanned');
    // Positive control: mcp-remote's client_name (plain metadata in D1) is
    // found, so the scan looks where the server writes.
    const control = scanForLeaks(STATE_DIR, [{ label: 'client name', value: MCP_REMOTE_CLIENT_NAME }]);
    assert.ok(control.hits.length > 0, `"${MCP_REMOTE_CLIENT_NAME}" is nowhere under ${STATE_DIR}: wrong directory?`);
    assert.deepEqual(hits.map((h) => `${h.label} (${h.encoding}) in ${h.file.slice(STATE_DIR.length + 1)} at ${h.offset}`), []);
    if (SERVER_LOG && existsSync(SERVER_LOG)) {
      const text = readFileSync(SERVER_LOG, 'utf8');
      assert.deepEqual(needles.filter((n) => text.includes(n.value)).map((n) => n.label), [], `found in ${SERVER_LOG}`);
    }
  });
});
