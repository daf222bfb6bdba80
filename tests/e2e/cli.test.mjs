// End-to-end: the real, unmodified `apilocker` CLI 1.1.0 against a running
// vaultedge dev server (`tools/dev`, started by tests/e2e/run).
//
//   E2E_BASE_URL   http://127.0.0.1:<port> of the server (required)
//   E2E_STATE_DIR  the server's wrangler --persist-to directory (required for
//                  the final leak scan)
//   E2E_WORK_DIR   scratch directory (HOMEs, browser reports); default: a temp dir
//   E2E_SERVER_LOG the server's stdout/stderr (wrangler + the Worker's log
//                  lines), also scanned for secrets when set
//
// Steps run in order and share state (the CLI's config in a temporary HOME);
// a step whose prerequisite failed is skipped with the reason. Every secret
// value is generated here at run time with a clearly fake prefix.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { api, registerDevice } from './lib/api.mjs';
import { apilocker, describeRun, readConfig } from './lib/cli.mjs';
import { scanForLeaks } from './lib/leaks.mjs';

const BASE = process.env.E2E_BASE_URL?.replace(/\/+$/, '');
const STATE_DIR = process.env.E2E_STATE_DIR;
const SERVER_LOG = process.env.E2E_SERVER_LOG;
const WORK = process.env.E2E_WORK_DIR ?? mkdtempSync(join(tmpdir(), 've-e2e-'));
mkdirSync(WORK, { recursive: true });

const rand = (n = 16) => randomBytes(n).toString('hex');
const RUN = rand(4);
const EMAIL = `e2e-${RUN}@example.test`;
const S = {
  openai: `sk-test-e2e-${rand(20)}`,
  openaiRotated: `sk-test-e2e-rot-${rand(20)}`,
  clientId: `e2e-client-${rand(8)}.apps.example.test`,
  clientSecret: `gocspx-test-e2e-${rand(16)}`,
  clientSecretRotated: `gocspx-test-e2e-rot-${rand(16)}`,
  refreshToken: `1//test-e2e-refresh-${rand(16)}`,
  canary: `sk-test-e2e-canary-${rand(20)}`,
};
const CANARY_NAME = `E2E_CANARY_${RUN.toUpperCase()}`;
/** Everything that must never be found in the server's state, by label. */
const needles = [
  { label: 'api key value', value: S.openai },
  { label: 'rotated api key value', value: S.openaiRotated },
  { label: 'oauth client_secret', value: S.clientSecret },
  { label: 'rotated oauth client_secret', value: S.clientSecretRotated },
  { label: 'oauth refresh_token', value: S.refreshToken },
  { label: 'canary api key value (never deleted)', value: S.canary },
];

const HOME1 = join(WORK, 'home-main');
const HOME2 = join(WORK, 'home-second');
const HOME3 = join(WORK, 'home-denied');
const HOME4 = join(WORK, 'home-badtoken');
const PROJECT = join(HOME1, 'project');

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

// ---- step bookkeeping ------------------------------------------------------

const passed = new Set();
const ids = {}; // key ids learnt along the way

/**
 * A test that runs only when the named earlier steps passed.
 * @param {string} key   this step's name for later `needs`
 * @param {string} title
 * @param {string[]} needs
 * @param {(t: import('node:test').TestContext) => Promise<void>} fn
 * @param {number} [timeout]
 */
function step(key, title, needs, fn, timeout = 45_000) {
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

const cli = (home, args, o = {}) => apilocker(args, { home, ...o });
const run1 = (args, o) => cli(HOME1, args, o);
const token1 = () => readConfig(HOME1).master_token;

/** Exit 0 with the expected stdout, or a failure message showing the run. */
function ok(r, ...patterns) {
  assert.equal(r.code, 0, `expected exit 0\n${describeRun(r)}`);
  for (const p of patterns) assert.match(r.stdout, p, describeRun(r));
}

/** The CLI printed a server error: non-zero exit and a readable message (a string `error`). */
function failsWith(r, prefix) {
  assert.notEqual(r.code, 0, `expected failure\n${describeRun(r)}`);
  assert.match(r.stderr, prefix, describeRun(r));
  assert.doesNotMatch(r.stderr, /\[object Object\]/, `REST error must be {"error": "<string>"} (the CLI prints data.error)\n${describeRun(r)}`);
}

function noSecretsIn(text, what) {
  for (const n of needles) {
    assert.ok(!text.includes(n.value), `${what} contains the ${n.label}`);
  }
}

/** `apilocker register`, with the headless browser approving or denying. */
async function register(home, { label, action = 'approve', name }) {
  const out = join(WORK, `browser-${label}.json`);
  let child;
  let report = null;
  const readReport = () => {
    try {
      report = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      /* not written yet, or being written */
    }
  };
  // Stop waiting as soon as the browser reports a failure (the CLI itself
  // would keep polling until the device code expires).
  const watch = setInterval(() => {
    readReport();
    if (report && !report.ok) child?.kill('SIGKILL');
  }, 250);
  const args = ['register', '--url', BASE];
  if (name) args.push('--name', name);
  let r;
  try {
    r = await cli(home, args, {
      env: { E2E_BROWSER_EMAIL: EMAIL, E2E_BROWSER_ACTION: action, E2E_BROWSER_OUT: out },
      timeoutMs: 90_000,
      onSpawn: (c) => (child = c),
    });
  } finally {
    clearInterval(watch);
  }
  readReport();
  for (const c of report?.cookies ?? []) {
    if (c.value.length >= 16 && !/csrf|xsrf/i.test(c.name)) needles.push({ label: `browser cookie ${c.name}`, value: c.value });
  }
  const browserInfo = report
    ? `--- browser (${report.ok ? 'ok' : 'FAILED'}) ---\n${report.error ?? ''}\n` +
      `${(report.steps ?? []).map((s) => `${s.method} ${s.url} → ${s.status}`).join('\n')}\n${report.finalText ?? ''}`
    : '--- browser: no report (xdg-open never ran, or crashed) ---';
  return { r, report, why: `${describeRun(r)}\n${browserInfo}` };
}

// ---- the run ----------------------------------------------------------------

describe('apilocker CLI 1.1.0 against vaultedge', { concurrency: false }, () => {
  step('server', 'the server answers GET /healthz', [], async () => {
    assert.ok(BASE, 'E2E_BASE_URL is not set (run tests/e2e/run)');
    const h = await api(BASE, 'GET', '/healthz');
    assert.equal(h.status, 200, h.text);
  });

  step('register', 'register: device flow approved in the (headless) browser', ['server'], async () => {
    const { r, report, why } = await register(HOME1, { label: 'approve' });
    assert.ok(report?.ok, `the browser did not get through sign-in + Approve\n${why}`);
    assert.equal(r.code, 0, why);
    assert.match(r.stdout, new RegExp(`Registered as ${EMAIL.replace(/\./g, '\\.')}`), why);
    const cfg = readConfig(HOME1);
    assert.ok(cfg, 'no ~/.apilocker/config.json');
    assert.equal(cfg.api_url, BASE);
    assert.equal(cfg.email, EMAIL);
    assert.ok(cfg.device_id, 'poll did not return device_id');
    assert.match(cfg.master_token ?? '', /^vk_[a-z]+_[A-Za-z0-9_-]{40,}$/, 'master token: kind prefix + ≥256 random bits');
    assert.equal(statSync(join(HOME1, '.apilocker', 'config.json')).mode & 0o777, 0o600);
    needles.push({ label: 'master token (device 1)', value: cfg.master_token });
  }, 120_000);

  step('register-again', 'register again without --force: "Already registered"', ['register'], async () => {
    ok(await run1(['register', '--url', BASE]), new RegExp(`Already registered as ${EMAIL.replace(/\./g, '\\.')}`));
  });

  step('me', 'the master token authenticates (GET /v1/auth/me)', ['register'], async () => {
    const me = await api(BASE, 'GET', '/v1/auth/me', { token: token1() });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.email, EMAIL);
  });

  step('store', 'store --name OPENAI_API_KEY --provider openai --key …', ['register'], async () => {
    const r = await run1(['store', '--name', 'OPENAI_API_KEY', '--provider', 'openai', '--key', S.openai]);
    ok(r, /Stored: OPENAI_API_KEY/, /Provider: openai/, /Type:\s+api_key/, /ID:\s+\S+/);
    ids.openai = r.stdout.match(/ID:\s+(\S+)/)[1];
    noSecretsIn(r.stdout + r.stderr, 'store output');
  });

  step('store-dup', 'store with a taken name fails with a readable error (409)', ['store'], async () => {
    failsWith(await run1(['store', '--name', 'OPENAI_API_KEY', '--provider', 'openai', '--key', `sk-test-e2e-${rand(8)}`]),
      /Failed to store credential: \S/);
  });

  step('store-oauth', 'store --oauth --name google-oauth --provider google-oauth --client-id … --client-secret …', ['register'], async () => {
    const r = await run1(['store', '--oauth', '--name', 'google-oauth', '--provider', 'google-oauth',
      '--client-id', S.clientId, '--client-secret', S.clientSecret, '--refresh-token', S.refreshToken,
      '--scopes', 'openid email']);
    ok(r, /Stored: google-oauth/, /Provider: google-oauth/, /Type:\s+oauth2/);
    ids.oauth = r.stdout.match(/ID:\s+(\S+)/)[1];
    noSecretsIn(r.stdout + r.stderr, 'store output');
  });

  step('list', 'list: grouped table, no values', ['store', 'store-oauth'], async () => {
    const r = await run1(['list']);
    ok(r, /LLM API Keys/, /OPENAI_API_KEY\s+openai\s+key/, /OAuth Credentials/, /google-oauth\s+google-oauth\s+oauth/, /2 credentials\./);
    noSecretsIn(r.stdout, 'list output');
  });

  step('list-json', 'list --json: the /v1/keys fields the CLI reads', ['store', 'store-oauth'], async () => {
    const r = await run1(['list', '--json']);
    ok(r);
    const keys = JSON.parse(r.stdout).keys;
    const byName = Object.fromEntries(keys.map((k) => [k.name, k]));
    const o = byName.OPENAI_API_KEY;
    const g = byName['google-oauth'];
    assert.ok(o && g, r.stdout);
    assert.equal(o.id, ids.openai);
    assert.equal(o.category, 'llm');
    assert.equal(o.credential_type, 'api_key');
    assert.equal(g.category, 'oauth');
    assert.equal(g.credential_type, 'oauth2');
    for (const k of [o, g]) {
      assert.ok(Array.isArray(k.tags), `tags must be an array: ${JSON.stringify(k)}`);
      assert.match(k.created_at, ISO_Z);
      assert.equal(k.rotated_at ?? null, null);
      assert.equal(k.paused_at ?? null, null);
    }
    noSecretsIn(r.stdout, 'list --json');
  });

  step('get', 'get OPENAI_API_KEY prints the value', ['store'], async () => {
    const r = await run1(['get', 'OPENAI_API_KEY']);
    ok(r);
    assert.equal(r.stdout, S.openai);
  });

  step('get-oauth', 'get google-oauth (JSON) and --field client_secret', ['store-oauth'], async () => {
    const r = await run1(['get', 'google-oauth']);
    ok(r);
    const fields = JSON.parse(r.stdout);
    assert.equal(fields.client_id, S.clientId);
    assert.equal(fields.client_secret, S.clientSecret);
    assert.equal(fields.refresh_token, S.refreshToken);
    const f = await run1(['get', 'google-oauth', '--field', 'client_secret']);
    ok(f);
    assert.equal(f.stdout, S.clientSecret);
  });

  step('get-missing', 'get of an unknown name fails: "Credential not found"', ['register'], async () => {
    const r = await run1(['get', `NOPE_${RUN}`]);
    assert.equal(r.code, 1, describeRun(r));
    assert.match(r.stderr, /Credential not found/, describeRun(r));
  });

  step('run', 'run -- printenv OPENAI_API_KEY (.apilockerrc) and run --keys', ['store'], async () => {
    mkdirSync(PROJECT, { recursive: true });
    writeFileSync(join(PROJECT, '.apilockerrc'), 'keys:\n  - OPENAI_API_KEY\n');
    const r = await run1(['run', '--', 'printenv', 'OPENAI_API_KEY'], { cwd: PROJECT });
    ok(r);
    assert.equal(r.stdout, `${S.openai}\n`);
    const k = await run1(['run', '--keys', 'OPENAI_API_KEY', '--', 'printenv', 'OPENAI_API_KEY']);
    ok(k);
    assert.equal(k.stdout, `${S.openai}\n`);
    const code = await run1(['run', '--keys', 'OPENAI_API_KEY', '--', 'sh', '-c', 'exit 7']);
    assert.equal(code.code, 7, `the child's exit code is passed through\n${describeRun(code)}`);
  });

  step('run-oauth', 'run --keys google-oauth: one env var per field', ['store-oauth'], async () => {
    const r = await run1(['run', '--keys', 'google-oauth', '--', 'printenv']);
    ok(r);
    const env = Object.fromEntries(r.stdout.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    const names = (v) => Object.keys(env).filter((k) => env[k] === v);
    assert.ok(names(S.clientSecret).some((n) => /^[A-Z_][A-Z0-9_]*CLIENT_SECRET$/.test(n)), `client_secret env: ${names(S.clientSecret)}`);
    assert.ok(names(S.clientId).some((n) => /^[A-Z_][A-Z0-9_]*CLIENT_ID$/.test(n)), `client_id env: ${names(S.clientId)}`);
    assert.ok(names(S.refreshToken).length > 0, 'refresh_token env');
  });

  step('rename', 'rename OPENAI_API_KEY OPENAI_PRIMARY; the old name still resolves', ['store'], async () => {
    ok(await run1(['rename', 'OPENAI_API_KEY', 'OPENAI_PRIMARY']), /Renamed: OPENAI_API_KEY → OPENAI_PRIMARY/);
    const l = await run1(['list', '--json']);
    ok(l);
    const names = JSON.parse(l.stdout).keys.map((k) => k.name);
    assert.ok(names.includes('OPENAI_PRIMARY') && !names.includes('OPENAI_API_KEY'), names.join(','));
    const g = await run1(['get', 'OPENAI_API_KEY']);
    ok(g);
    assert.equal(g.stdout, S.openai);
    assert.match(g.stderr, /"OPENAI_API_KEY" was renamed to "OPENAI_PRIMARY"/, describeRun(g));
    // The project's .apilockerrc still says OPENAI_API_KEY: same env name, same value.
    if (existsSync(join(PROJECT, '.apilockerrc'))) {
      const r = await run1(['run', '--', 'printenv', 'OPENAI_API_KEY'], { cwd: PROJECT });
      ok(r);
      assert.equal(r.stdout, `${S.openai}\n`);
    }
    const n = await run1(['get', 'OPENAI_PRIMARY']);
    ok(n);
    assert.equal(n.stdout, S.openai);
  });

  step('rotate', 'rotate OPENAI_PRIMARY --value …: new value served, rotated_at set', ['rename'], async () => {
    const r = await run1(['rotate', 'OPENAI_PRIMARY', '--value', S.openaiRotated]);
    ok(r, /Rotated: OPENAI_PRIMARY/, /Rotated at: \d{4}-\d{2}-\d{2}T[\d:.]+Z/);
    noSecretsIn(r.stdout, 'rotate output');
    const g = await run1(['get', 'OPENAI_PRIMARY']);
    ok(g);
    assert.equal(g.stdout, S.openaiRotated);
    const k = JSON.parse((await run1(['list', '--json'])).stdout).keys.find((x) => x.name === 'OPENAI_PRIMARY');
    assert.match(k.rotated_at ?? '', ISO_Z);
  });

  step('rotate-oauth', 'rotate google-oauth --field client_secret: other fields unchanged', ['store-oauth'], async () => {
    ok(await run1(['rotate', 'google-oauth', '--field', 'client_secret', '--value', S.clientSecretRotated]), /Rotated: google-oauth/);
    const r = await run1(['get', 'google-oauth']);
    ok(r);
    const fields = JSON.parse(r.stdout);
    assert.equal(fields.client_secret, S.clientSecretRotated);
    assert.equal(fields.client_id, S.clientId);
    assert.equal(fields.refresh_token, S.refreshToken);
  });

  step('pause', 'pause OPENAI_PRIMARY; pausing twice fails (409); reveal still works', ['rename'], async () => {
    ok(await run1(['pause', 'OPENAI_PRIMARY']), /Paused: OPENAI_PRIMARY/);
    const l = await run1(['list']);
    ok(l, /OPENAI_PRIMARY.*paused/);
    const k = JSON.parse((await run1(['list', '--json'])).stdout).keys.find((x) => x.name === 'OPENAI_PRIMARY');
    assert.match(k.paused_at ?? '', ISO_Z);
    // The CLI checks paused_at itself and says so …
    ok(await run1(['pause', 'OPENAI_PRIMARY']), /already paused/);
    // … and the server refuses a second pause, with a string error as the CLI expects.
    const again = await api(BASE, 'POST', `/v1/keys/${encodeURIComponent(k.id)}/pause`, { token: token1() });
    assert.equal(again.status, 409, again.text);
    assert.equal(typeof again.json?.error, 'string', `error must be a string: ${again.text}`);
    const g = await run1(['get', 'OPENAI_PRIMARY']);
    ok(g);
    assert.equal(g.stdout, passed.has('rotate') ? S.openaiRotated : S.openai);
  });

  step('resume', 'resume OPENAI_PRIMARY; resuming twice fails (409)', ['pause'], async () => {
    ok(await run1(['resume', 'OPENAI_PRIMARY']), /Resumed: OPENAI_PRIMARY/);
    ok(await run1(['resume', 'OPENAI_PRIMARY']), /is not paused/);
    const again = await api(BASE, 'POST', `/v1/keys/${encodeURIComponent(ids.openai)}/resume`, { token: token1() });
    assert.equal(again.status, 409, again.text);
    assert.equal(typeof again.json?.error, 'string', `error must be a string: ${again.text}`);
  });

  step('activity', 'activity: audit rows, newest first, metadata only', ['store'], async () => {
    const r = await run1(['activity', '-n', '50']);
    ok(r, /TIME\s+PROVIDER\s+STATUS\s+LATENCY\s+PATH/, /\d+ entries\./);
    noSecretsIn(r.stdout, 'activity output');
    const a = await api(BASE, 'GET', '/v1/activity?limit=50', { token: token1() });
    assert.equal(a.status, 200, a.text);
    const logs = a.json.logs;
    assert.ok(Array.isArray(logs) && logs.length > 0, a.text);
    for (const log of logs) {
      assert.ok(log.id, JSON.stringify(log));
      assert.match(log.timestamp, ISO_Z);
    }
    const ts = logs.map((l) => Date.parse(l.timestamp));
    assert.deepEqual(ts, [...ts].sort((x, y) => y - x), 'newest first');
    noSecretsIn(a.text, '/v1/activity');
    const f = await run1(['activity', '--key', ids.openai, '-n', '10']);
    ok(f);
  });

  step('devices', 'devices list: this device, marked current', ['register'], async () => {
    const r = await run1(['devices', 'list']);
    ok(r, /ID\s+NAME\s+PLATFORM\s+LAST SEEN\s+CURRENT/, /linux.*\byes\b/);
    const d = await api(BASE, 'GET', '/v1/devices', { token: token1() });
    assert.equal(d.status, 200, d.text);
    const cur = d.json.devices.filter((x) => x.current);
    assert.equal(cur.length, 1, d.text);
    assert.equal(cur[0].id, readConfig(HOME1).device_id);
    assert.match(cur[0].last_used_at, ISO_Z);
  });

  step('doctor', 'doctor runs against our API', ['register'], async () => {
    ok(await run1(['doctor']), /API Locker Doctor/, /Local config — .*secure permissions/, /(All checks passing|\d+ warnings?, \d+ informational)/);
  });

  step('second-device', 'a second device registers; the first revokes it; its token stops working', ['register'], async () => {
    const { r, report, why } = await register(HOME2, { label: 'second', name: `e2e-second-${RUN}` });
    assert.ok(report?.ok, why);
    assert.equal(r.code, 0, why);
    const cfg2 = readConfig(HOME2);
    needles.push({ label: 'master token (device 2)', value: cfg2.master_token });
    assert.notEqual(cfg2.master_token, token1(), 'one master token per device');
    ok(await cli(HOME2, ['list']));
    const l = await run1(['devices', 'list']);
    ok(l, new RegExp(`e2e-second-${RUN}`));
    ok(await run1(['devices', 'revoke', cfg2.device_id, '--yes']), new RegExp(`Revoked device: e2e-second-${RUN}`));
    const after = await cli(HOME2, ['list']);
    failsWith(after, /Failed to list credentials: \S/);
    const me = await api(BASE, 'GET', '/v1/auth/me', { token: cfg2.master_token });
    assert.equal(me.status, 401, me.text);
    ok(await run1(['list']));
  }, 120_000);

  step('denied', 'register denied in the browser: exit 1 with "denied", nothing saved', ['server'], async () => {
    const { r, report, why } = await register(HOME3, { label: 'deny', action: 'deny' });
    assert.ok(report?.ok, `the browser did not get through sign-in + Deny\n${why}`);
    assert.equal(r.code, 1, why);
    assert.match(r.stdout, /Authorization denied/, why);
    assert.equal(readConfig(HOME3), null);
  }, 120_000);

  step('bad-token', 'a forged master token is refused with a readable error', ['server'], async () => {
    mkdirSync(join(HOME4, '.apilocker'), { recursive: true });
    writeFileSync(join(HOME4, '.apilocker', 'config.json'),
      JSON.stringify({ api_url: BASE, master_token: `vk_master_${rand(32)}` }), { mode: 0o600 });
    failsWith(await cli(HOME4, ['list']), /Failed to list credentials: \S/);
    const r = await api(BASE, 'GET', '/v1/keys', { token: 'not-a-token' });
    assert.equal(r.status, 401, r.text);
    const none = await api(BASE, 'GET', '/v1/keys');
    assert.equal(none.status, 401, none.text);
  });

  step('delete', 'delete by name and by id; deleted keys are gone', ['rename', 'store-oauth'], async () => {
    ok(await run1(['delete', 'OPENAI_PRIMARY']), /Key OPENAI_PRIMARY deleted\./);
    ok(await run1(['delete', ids.oauth]), new RegExp(`Key ${ids.oauth} deleted\\.`));
    ok(await run1(['list']), /No credentials stored yet\./);
    const g = await run1(['get', 'OPENAI_PRIMARY']);
    assert.equal(g.code, 1, describeRun(g));
    const again = await run1(['delete', 'OPENAI_PRIMARY']);
    failsWith(again, /Failed to delete key: \S/);
  });

  step('isolation', "another user cannot see, reveal, rotate or delete this user's key", ['register'], async () => {
    const stored = await api(BASE, 'POST', '/v1/keys', {
      token: token1(),
      body: { name: CANARY_NAME, provider: 'openai', credential_type: 'api_key', key: S.canary },
    });
    assert.equal(stored.status, 201, stored.text);
    ids.canary = stored.json.id;
    const other = await registerDevice(BASE, { email: `e2e-other-${RUN}@example.test`, name: 'e2e-other-user' });
    needles.push({ label: 'master token (other user)', value: other.master_token });
    for (const c of other.browser.cookies) {
      if (c.value.length >= 16 && !/csrf|xsrf/i.test(c.name)) needles.push({ label: `browser cookie ${c.name} (other user)`, value: c.value });
    }
    const t = other.master_token;
    const list = await api(BASE, 'GET', '/v1/keys', { token: t });
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.json.keys, [], 'a new user sees an empty vault');
    const reveal = await api(BASE, 'POST', '/v1/keys/reveal', { token: t, body: { keys: [ids.canary, CANARY_NAME] } });
    assert.equal(reveal.status, 200, reveal.text);
    assert.deepEqual(reveal.json.keys, [], reveal.text);
    assert.deepEqual(reveal.json.missing, [ids.canary, CANARY_NAME]);
    for (const [method, path, body] of [
      ['POST', `/v1/keys/${ids.canary}/rotate`, { key: `sk-test-e2e-${rand(8)}` }],
      ['POST', `/v1/keys/${ids.canary}/rename`, { new_name: 'STOLEN' }],
      ['POST', `/v1/keys/${ids.canary}/pause`, undefined],
      ['DELETE', `/v1/keys/${ids.canary}`, undefined],
      ['DELETE', `/v1/keys/${CANARY_NAME}`, undefined],
    ]) {
      const r = await api(BASE, method, path, { token: t, body });
      assert.equal(r.status, 404, `${method} ${path} by another user → ${r.status} ${r.text}`);
      assert.equal(typeof r.json?.error, 'string', r.text);
    }
    const mine = await run1(['get', CANARY_NAME]);
    ok(mine);
    assert.equal(mine.stdout, S.canary, "the owner's key is untouched");
  }, 90_000);

  // Last: after everything above, nothing secret may be in the server's state.
  step('leaks', 'no stored secret, master token or session cookie in the wrangler state', ['register'], async (t) => {
    assert.ok(STATE_DIR && existsSync(STATE_DIR), `E2E_STATE_DIR (${STATE_DIR}) must be the server's state directory`);
    const { files, bytes, hits } = scanForLeaks(STATE_DIR, needles);
    t.diagnostic(`scanned ${files} files, ${bytes} bytes, for ${needles.length} values`);
    assert.ok(files > 0, `no files under ${STATE_DIR}: is it really the server's --persist-to?`);
    // Positive control: the scan does see what the server wrote (key names are
    // plain metadata in D1), so an empty result means something.
    if (passed.has('isolation')) {
      const control = scanForLeaks(STATE_DIR, [{ label: 'canary key name', value: CANARY_NAME }]);
      assert.ok(control.hits.length > 0, `the canary key's name ${CANARY_NAME} is nowhere under ${STATE_DIR}: wrong directory?`);
    }
    assert.deepEqual(
      hits.map((h) => `${h.label} (${h.encoding}) in ${h.file.slice(STATE_DIR.length + 1)} at ${h.offset}`),
      [],
      `scanned ${files} files, ${bytes} bytes, for ${needles.length} values`,
    );
  });

  step('log-leaks', 'no secret value or token in the server log', ['register'], async (t) => {
    if (!SERVER_LOG) {
      t.skip('E2E_SERVER_LOG not set');
      return;
    }
    const text = readFileSync(SERVER_LOG, 'utf8');
    t.diagnostic(`${text.split('\n').length} log lines`);
    const found = needles.filter((n) => text.includes(n.value)).map((n) => n.label);
    assert.deepEqual(found, [], `found in ${SERVER_LOG}`);
  });
});
