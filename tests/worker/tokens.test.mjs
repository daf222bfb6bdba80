// Scoped tokens (docs/proxy.md "Scoped tokens") against the built worker
// (js-shim + core.wasm in Miniflare, real KV and D1):
//   REST: create (every rotation type), list, pause/resume/revoke, refresh
//         rotation and reuse detection, expiry, what a scoped token may read
//         (GET /v1/keys, /v1/keys/allowed, reveal) and that every write route
//         refuses it with 403 and writes nothing;
//   the unmodified apilocker 1.1.0 CLI: token create/list/revoke, doctor;
//   MCP (@modelcontextprotocol/sdk): as a scoped token list_keys, store_key,
//         proxy_request; as a master token create/list/pause/resume/revoke_token
//         and run_doctor;
//   at rest: no token (nor anything shaped like one) in any D1 table.
//
// Nothing here prints a token or a secret: every assertion message that could
// hold one goes through redact() (mcp-support.mjs) and compares values with
// assert.ok(a === b) rather than assert.equal (which would print them).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { apilocker } from '../e2e/lib/cli.mjs';
import { addUser, cliHome, request, startWorker } from './harness.mjs';
import { assertToolError, assertToolOk, firstArray, redact, registerSecret, textOf } from './mcp-support.mjs';
import { headerValues, startUpstream } from './upstream.mjs';

/** @type {import('./harness.mjs').StartedWorker} */
let worker;
/** @type {import('./upstream.mjs').Upstream} */
let upstream;

before(async () => {
  [worker, upstream] = await Promise.all([startWorker(), startUpstream()]);
});
after(async () => {
  await Promise.all([worker?.stop(), upstream?.stop()]);
});

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const HOUR = 3600_000;
const DAY = 24 * HOUR;
const LIFETIME = { hourly: HOUR, daily: DAY, weekly: 7 * DAY, monthly: 30 * DAY };
/** Every credential the tests were given; scanned for in D1 at the end. */
const issued = [];

/** A bearer credential: a master token or a scoped access token. */
const bearer = (t) => (typeof t === 'string' ? t : t?.token);

/**
 * One JSON request as the apilocker CLI makes it.
 * @returns {Promise<{status: number, body: any, text: string, headers: Headers}>}
 */
function api(who, method, path, body) {
  return request(worker.url, bearer(who), method, path, body);
}

/** Asserts a status; the message shows the (redacted) body. */
function expectStatus(r, status, what) {
  assert.ok(r.status === status, redact(`${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 400)}`));
}

/** Asserts a REST error in the CLI's shape with this status (and code when given). */
function expectError(r, status, what, code) {
  expectStatus(r, status, what);
  assert.equal(typeof r.body?.error, 'string', `${what}: an error message`);
  assert.ok(r.body.error.length > 0, `${what}: a non-empty error message`);
  if (code) assert.equal(r.body.code, code, `${what}: code`);
}

/** Stores an api_key; returns {id, name, value}. */
async function storeKey(user, name, extra = {}) {
  const value = registerSecret(`sk-test-tok-${randomBytes(12).toString('hex')}`);
  const r = await api(user, 'POST', '/v1/keys', { name, provider: 'openai', key: value, ...extra });
  expectStatus(r, 201, `store ${name}`);
  return { id: r.body.id, name, value };
}

/** POST /v1/tokens; registers the credentials as secrets. */
async function createToken(user, name, keys, rotation) {
  const body = { name, allowed_keys: keys };
  if (rotation !== undefined) body.rotation_type = rotation;
  const r = await api(user, 'POST', '/v1/tokens', body);
  expectStatus(r, 201, `create token ${name}`);
  for (const f of ['token', 'access_token', 'refresh_token']) {
    if (typeof r.body[f] === 'string') {
      registerSecret(r.body[f]);
      issued.push(r.body[f]);
    }
  }
  return r.body;
}

/** Every cell of every D1 table (the harness's tables, not SQLite's), as text. */
async function d1Dump({ except = [] } = {}) {
  const tables = await worker.db.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' ORDER BY name",
  ).all();
  let dump = '';
  for (const { name } of tables.results) {
    if (except.includes(name)) continue;
    const rows = await worker.db.prepare(`SELECT * FROM "${name}"`).all();
    dump += `${name}:${JSON.stringify(rows.results)}\n`;
  }
  return dump;
}

/**
 * D1 minus what authenticating a request legitimately touches (last_used_at,
 * rate-limit counters); `withAudit: false` also leaves out audit_log (an MCP
 * tools/call is audited even when the tool refuses).
 */
async function d1State({ withAudit = true } = {}) {
  const except = ['devices', 'scoped_tokens', 'rate_limits', 'mcp_log_levels'];
  if (!withAudit) except.push('audit_log');
  let dump = await d1Dump({ except });
  const t = await worker.db.prepare(
    'SELECT id, user_id, name, rotation_type, created_at, paused_at, revoked_at, revoked_reason FROM scoped_tokens ORDER BY id',
  ).all();
  dump += `scoped_tokens:${JSON.stringify(t.results)}\n`;
  const d = await worker.db.prepare('SELECT id, user_id, name, created_at, revoked_at FROM devices ORDER BY id').all();
  dump += `devices:${JSON.stringify(d.results)}\n`;
  return dump;
}

/**
 * Asserts two d1State() dumps are equal; on failure names the tables that
 * changed (never their rows, which could hold a leaked credential).
 */
function assertSameState(after, before, what) {
  if (after === before) return;
  const tables = (d) => new Map(d.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf(':')), l]));
  const a = tables(after);
  const b = tables(before);
  const changed = [...new Set([...a.keys(), ...b.keys()])].filter((t) => a.get(t) !== b.get(t));
  assert.fail(`${what}: D1 changed in ${changed.join(', ')}`);
}

describe('scoped tokens over REST', () => {
  let alice;
  let bob;
  let k1;
  let k2;
  let k3;
  before(async () => {
    alice = await addUser(worker, 'alice-tokens@example.com');
    bob = await addUser(worker, 'bob-tokens@example.com');
    registerSecret(alice.token);
    registerSecret(bob.token);
    k1 = await storeKey(alice, 'TOK_ONE');
    k2 = await storeKey(alice, 'TOK_TWO');
    k3 = await storeKey(alice, 'TOK_THREE');
    await storeKey(bob, 'BOB_ONLY');
  });

  test('the worker serves the scoped-token routes', async () => {
    const r = await api(alice, 'GET', '/v1/tokens');
    expectStatus(r, 200, 'GET /v1/tokens (404 means js-shim/core.wasm predates worker/tokens: rebuild)');
  });

  test('create: every rotation type; token = access_token, refresh_token only when rotating', async () => {
    for (const rotation of [undefined, 'static', 'hourly', 'daily', 'weekly', 'monthly']) {
      const before = Date.now();
      const t = await createToken(alice, `app-${rotation ?? 'default'}`, [k1.name, k2.id], rotation);
      const after = Date.now();
      const what = `rotation ${rotation ?? '(default)'}`;
      assert.match(t.id, /^tok_[0-9a-f]{32}$/, `${what}: id`);
      assert.equal(t.name, `app-${rotation ?? 'default'}`, `${what}: name`);
      assert.equal(t.rotation_type, rotation ?? 'static', `${what}: rotation_type`);
      assert.deepEqual(
        [...t.allowed_keys].sort((a, b) => a.name.localeCompare(b.name)),
        [{ id: k1.id, name: k1.name }, { id: k2.id, name: k2.name }].sort((a, b) => a.name.localeCompare(b.name)),
        `${what}: allowed_keys as {id, name}, by id or by name`,
      );
      assert.ok(/^vk_scoped_[A-Za-z0-9_-]{43,}$/.test(t.token), `${what}: token is vk_scoped_ + >= 256 bits`);
      assert.ok(t.access_token === t.token, `${what}: access_token is the same value as token`);
      assert.match(t.created_at, ISO_Z, `${what}: created_at`);
      if ((rotation ?? 'static') === 'static') {
        assert.equal(t.expires_at, null, `${what}: expires_at null`);
        assert.ok(!('refresh_token' in t) || t.refresh_token === null, `${what}: no refresh_token`);
      } else {
        assert.ok(/^vk_srt_[A-Za-z0-9_-]{43,}$/.test(t.refresh_token), `${what}: refresh_token is vk_srt_…`);
        assert.match(t.expires_at, ISO_Z, `${what}: expires_at`);
        const exp = Date.parse(t.expires_at);
        assert.ok(exp >= before + LIFETIME[rotation] - 1_000 && exp <= after + LIFETIME[rotation] + 1_000,
          `${what}: expires_at is ${LIFETIME[rotation] / HOUR} h after creation`);
      }
      // The new token works at once.
      expectStatus(await api(t.token, 'GET', '/v1/keys'), 200, `${what}: GET /v1/keys with the new token`);
    }
  });

  test('create: bad input is a clear 400 and writes nothing', async () => {
    const before = await d1State();
    const cases = [
      [{ allowed_keys: [k1.id] }, 'no name'],
      [{ name: 'x' }, 'no allowed_keys'],
      [{ name: 'x', allowed_keys: [] }, 'empty allowed_keys'],
      [{ name: 'x', allowed_keys: 'TOK_ONE' }, 'allowed_keys not an array'],
      [{ name: 'x', allowed_keys: ['NOPE'] }, 'unknown key'],
      [{ name: 'x', allowed_keys: [k1.id, 'NOPE'] }, 'one unknown key'],
      [{ name: 'x', allowed_keys: ['BOB_ONLY'] }, "another user's key"],
      [{ name: 'x', allowed_keys: [k1.id], rotation_type: 'yearly' }, 'unknown rotation'],
      ['{"name": ', 'malformed JSON'],
    ];
    for (const [body, what] of cases) expectError(await api(alice, 'POST', '/v1/tokens', body), 400, what);
    expectError(await api(null, 'POST', '/v1/tokens', { name: 'x', allowed_keys: [k1.id] }), 401, 'anonymous');
    assertSameState(await d1State(), before, 'D1 unchanged');
  });

  test('list: every field, never a credential, only my tokens', async () => {
    const t = await createToken(alice, 'listed-daily', [k3.id], 'daily');
    const r = await api(alice, 'GET', '/v1/tokens');
    expectStatus(r, 200, 'GET /v1/tokens');
    assert.ok(!/vk_scoped_|vk_srt_/.test(r.text), 'the list holds no credential');
    const row = r.body.tokens.find((x) => x.id === t.id);
    assert.ok(row, 'the new token is listed');
    for (const f of ['id', 'name', 'rotation_type', 'allowed_keys', 'created_at', 'last_used_at', 'paused_at',
      'revoked', 'revoked_at', 'current_token_expires_at', 'expires_at']) {
      assert.ok(f in row, `list field ${f}`);
    }
    assert.equal(row.name, 'listed-daily');
    assert.equal(row.rotation_type, 'daily');
    assert.deepEqual(row.allowed_keys, [{ id: k3.id, name: k3.name }]);
    assert.equal(row.revoked, false);
    assert.equal(row.paused_at, null);
    assert.equal(row.revoked_at, null);
    assert.equal(row.current_token_expires_at, t.expires_at, 'current_token_expires_at = the credential expiry');
    const bobs = await api(bob, 'GET', '/v1/tokens');
    expectStatus(bobs, 200, 'bob lists');
    assert.deepEqual(bobs.body.tokens, [], "another user's tokens are invisible");
    // last_used_at is set once the token is used.
    expectStatus(await api(t.token, 'GET', '/v1/keys'), 200, 'use');
    const used = (await api(alice, 'GET', '/v1/tokens')).body.tokens.find((x) => x.id === t.id);
    assert.match(used.last_used_at ?? '', ISO_Z, 'last_used_at after use');
  });

  test('a scoped token sees only its allowed keys', async () => {
    const t = await createToken(alice, 'reader', [k1.name], 'static');
    for (const path of ['/v1/keys', '/v1/keys/allowed']) {
      const r = await api(t, 'GET', path);
      expectStatus(r, 200, path);
      assert.deepEqual(r.body.keys.map((k) => k.id), [k1.id], `${path}: only the allowed key`);
      assert.ok(!r.text.includes(k1.value), `${path}: no value`);
    }
    const all = await api(alice, 'GET', '/v1/keys/allowed');
    expectStatus(all, 200, 'master /v1/keys/allowed');
    assert.deepEqual(all.body.keys.map((k) => k.id).sort(), [k1.id, k2.id, k3.id].sort(), 'a master token: all keys');

    const rev = await api(t, 'POST', '/v1/keys/reveal', { keys: [k1.name, k2.name, k3.id, 'BOB_ONLY'] });
    expectStatus(rev, 200, 'reveal');
    assert.deepEqual(rev.body.keys.map((k) => k.id), [k1.id], 'reveal: only the allowed key');
    assert.ok(rev.body.keys[0].value === k1.value, 'reveal: the allowed value');
    assert.deepEqual(rev.body.missing, [k2.name, k3.id, 'BOB_ONLY'], 'reveal: the others are missing');
    assert.ok(!rev.text.includes(k2.value) && !rev.text.includes(k3.value), 'reveal: no other value');

    expectStatus(await api(t, 'GET', `/v1/keys/${k1.id}`), 200, 'metadata of the allowed key');
    expectError(await api(t, 'GET', `/v1/keys/${k2.id}`), 404, 'metadata of another key');
    expectError(await api(t, 'GET', `/v1/keys/${k2.name}`), 404, 'metadata of another key by name');
  });

  test('pause → 403 token_paused; resume; revoke → 401; twice → 409/404', async () => {
    const t = await createToken(alice, 'pausable', [k1.id], 'weekly');
    expectStatus(await api(t, 'GET', '/v1/keys'), 200, 'before pause');
    let r = await api(alice, 'POST', `/v1/tokens/${t.id}/pause`);
    expectStatus(r, 200, 'pause');
    expectError(await api(t, 'GET', '/v1/keys'), 403, 'request while paused', 'token_paused');
    expectError(await api(t, 'POST', '/v1/keys/reveal', { keys: [k1.id] }), 403, 'reveal while paused', 'token_paused');
    expectError(await api(alice, 'POST', `/v1/tokens/${t.id}/pause`), 409, 'pause twice');
    let row = (await api(alice, 'GET', '/v1/tokens')).body.tokens.find((x) => x.id === t.id);
    assert.match(row.paused_at ?? '', ISO_Z, 'paused_at listed');
    expectError(await api(t.refresh_token, 'GET', '/v1/keys'), 401, 'a refresh token is no access token');
    expectError(await api(null, 'POST', '/v1/tokens/refresh', { refresh_token: t.refresh_token }), 403,
      'refresh while paused', 'token_paused');

    r = await api(alice, 'POST', `/v1/tokens/${t.id}/resume`);
    expectStatus(r, 200, 'resume');
    expectStatus(await api(t, 'GET', '/v1/keys'), 200, 'after resume');
    expectError(await api(alice, 'POST', `/v1/tokens/${t.id}/resume`), 409, 'resume twice');
    row = (await api(alice, 'GET', '/v1/tokens')).body.tokens.find((x) => x.id === t.id);
    assert.equal(row.paused_at, null, 'paused_at cleared');

    expectError(await api(bob, 'POST', `/v1/tokens/${t.id}/pause`), 404, "bob cannot pause alice's token");
    expectError(await api(bob, 'DELETE', `/v1/tokens/${t.id}`), 404, "bob cannot revoke alice's token");
    expectStatus(await api(t, 'GET', '/v1/keys'), 200, 'still alive');

    r = await api(alice, 'DELETE', `/v1/tokens/${t.id}`);
    expectStatus(r, 200, 'revoke');
    expectError(await api(t, 'GET', '/v1/keys'), 401, 'request after revoke');
    expectError(await api(t, 'POST', '/v1/keys/reveal', { keys: [k1.id] }), 401, 'reveal after revoke');
    expectError(await api(null, 'POST', '/v1/tokens/refresh', { refresh_token: t.refresh_token }), 401,
      'refresh after revoke');
    expectError(await api(alice, 'DELETE', `/v1/tokens/${t.id}`), 404, 'revoke twice');
    expectError(await api(alice, 'POST', `/v1/tokens/${t.id}/resume`), 404, 'resume a revoked token');
    row = (await api(alice, 'GET', '/v1/tokens')).body.tokens.find((x) => x.id === t.id);
    assert.equal(row.revoked, true, 'listed as revoked');
    assert.match(row.revoked_at ?? '', ISO_Z, 'revoked_at');
  });

  test('refresh rotates the pair and ends the replaced access token; a reused refresh token revokes the token (live access dies too)', async () => {
    const t = await createToken(alice, 'rotating', [k1.id], 'hourly');
    const before = Date.now();
    const r1 = await api(null, 'POST', '/v1/tokens/refresh', { refresh_token: t.refresh_token });
    expectStatus(r1, 200, 'refresh');
    for (const f of ['token', 'access_token', 'refresh_token']) {
      registerSecret(r1.body[f]);
      issued.push(r1.body[f]);
    }
    assert.ok(/^vk_scoped_/.test(r1.body.token), 'a new access token');
    assert.ok(r1.body.access_token === r1.body.token, 'access_token = token');
    assert.ok(/^vk_srt_/.test(r1.body.refresh_token), 'a new refresh token');
    assert.ok(r1.body.token !== t.token, 'the access token changed');
    assert.ok(r1.body.refresh_token !== t.refresh_token, 'the refresh token rotated');
    const exp = Date.parse(r1.body.expires_at);
    assert.match(r1.body.expires_at, ISO_Z);
    assert.ok(Math.abs(exp - (before + HOUR)) < 60_000, 'expires_at one hour on');
    expectStatus(await api(r1.body.token, 'GET', '/v1/keys'), 200, 'the new access token works');
    // The replaced access token ends at the refresh, not at its own expiry.
    expectError(await api(t.token, 'GET', '/v1/keys'), 401, 'the access token the refresh replaced');
    const listed = (await api(alice, 'GET', '/v1/tokens')).body.tokens.find((x) => x.id === t.id);
    assert.equal(listed.current_token_expires_at, r1.body.expires_at, 'list shows the new expiry');

    // A second, legitimate refresh with the new refresh token works too.
    const r2 = await api(null, 'POST', '/v1/tokens/refresh', { refresh_token: r1.body.refresh_token });
    expectStatus(r2, 200, 'second refresh');
    for (const f of ['token', 'refresh_token']) {
      registerSecret(r2.body[f]);
      issued.push(r2.body[f]);
    }
    expectStatus(await api(r2.body.token, 'GET', '/v1/keys'), 200, 'the newest access token works');
    expectError(await api(r1.body.token, 'GET', '/v1/keys'), 401, 'the access token of the first refresh');

    // Replay the first (spent) refresh token: the whole token is revoked.
    const replay = await api(null, 'POST', '/v1/tokens/refresh', { refresh_token: t.refresh_token });
    expectError(replay, 401, 'replayed refresh token');
    assert.ok(!/vk_scoped_|vk_srt_/.test(replay.text), 'no credential in the refusal');
    for (const [cred, what] of [[r2.body.token, 'newest access'], [r1.body.token, 'previous access'], [t.token, 'first access']]) {
      expectError(await api(cred, 'GET', '/v1/keys'), 401, `${what} after reuse detection`);
    }
    expectError(await api(null, 'POST', '/v1/tokens/refresh', { refresh_token: r2.body.refresh_token }), 401,
      'the live refresh token after reuse detection');
    const row = (await api(alice, 'GET', '/v1/tokens')).body.tokens.find((x) => x.id === t.id);
    assert.equal(row.revoked, true, 'listed as revoked');
    const reason = await worker.db.prepare('SELECT revoked_reason FROM scoped_tokens WHERE id = ?1').bind(t.id).first();
    assert.equal(reason.revoked_reason, 'refresh_reuse');

    expectError(await api(null, 'POST', '/v1/tokens/refresh', { refresh_token: 'vk_srt_nope' }), 401, 'unknown refresh token');
    expectError(await api(null, 'POST', '/v1/tokens/refresh', {}), 400, 'no refresh_token');
    const st = await createToken(alice, 'static-one', [k1.id], 'static');
    expectError(await api(null, 'POST', '/v1/tokens/refresh', { refresh_token: st.token }), 401,
      'an access token is no refresh token');
  });

  test('an expired access credential is 401; refreshing gives a working one', async () => {
    const t = await createToken(alice, 'expiring', [k1.id], 'daily');
    await worker.db.prepare(
      "UPDATE scoped_token_credentials SET expires_at = ?1 WHERE token_id = ?2 AND kind = 'access'",
    ).bind(Date.now() - 1_000, t.id).run();
    expectError(await api(t, 'GET', '/v1/keys'), 401, 'expired access token');
    const r = await api(null, 'POST', '/v1/tokens/refresh', { refresh_token: t.refresh_token });
    expectStatus(r, 200, 'refresh after expiry');
    registerSecret(r.body.token);
    registerSecret(r.body.refresh_token);
    issued.push(r.body.token, r.body.refresh_token);
    expectStatus(await api(r.body.token, 'GET', '/v1/keys'), 200, 'the refreshed token works');
  });

  test('every write route (and every full-access read) refuses a scoped token: 403, nothing written', async () => {
    const t = await createToken(alice, 'no-writes', [k1.id, k2.id], 'static');
    const victim = await createToken(alice, 'victim', [k1.id], 'static');
    expectStatus(await api(t, 'GET', '/v1/keys'), 200, 'warm-up (sets last_used_at)');
    const before = await d1State();
    const kvBefore = (await worker.kv.list()).keys.length;
    const routes = [
      ['POST', '/v1/keys', { name: 'EVIL', provider: 'openai', key: 'sk-evil' }],
      ['POST', `/v1/keys/${k1.id}/rotate`, { key: 'sk-evil-value' }],
      ['POST', `/v1/keys/${k1.name}/rotate`, { key: 'sk-evil-value' }],
      ['POST', `/v1/keys/${k1.id}/rename`, { new_name: 'EVIL' }],
      ['POST', `/v1/keys/${k1.id}/pause`, undefined],
      ['POST', `/v1/keys/${k1.id}/resume`, undefined],
      ['DELETE', `/v1/keys/${k1.id}`, undefined],
      ['DELETE', `/v1/keys/${k1.name}`, undefined],
      ['POST', '/v1/tokens', { name: 'child', allowed_keys: [k1.id] }],
      ['GET', '/v1/tokens', undefined],
      ['POST', `/v1/tokens/${victim.id}/pause`, undefined],
      ['POST', `/v1/tokens/${t.id}/pause`, undefined],
      ['POST', `/v1/tokens/${victim.id}/resume`, undefined],
      ['DELETE', `/v1/tokens/${victim.id}`, undefined],
      ['GET', '/v1/devices', undefined],
      ['POST', '/v1/devices/register', { name: 'evil', fingerprint: 'x'.repeat(32) }],
      ['POST', `/v1/devices/${alice.deviceId}/revoke`, undefined],
      ['GET', '/v1/oauth/grants', undefined],
      ['POST', '/v1/oauth/grants/grant_x/revoke', undefined],
      ['DELETE', '/v1/oauth/grants/grant_x', undefined],
      ['GET', '/v1/activity', undefined],
      ['GET', '/v1/auth/me', undefined],
    ];
    for (const [method, path, body] of routes) {
      const r = await api(t, method, path, body);
      expectError(r, 403, `${method} ${path} as a scoped token`);
    }
    assertSameState(await d1State(), before, 'D1 unchanged by the refused requests');
    assert.equal((await worker.kv.list()).keys.length, kvBefore, 'KV unchanged');
    expectStatus(await api(victim, 'GET', '/v1/keys'), 200, 'the other token still works');
    const keys = (await api(alice, 'GET', '/v1/keys')).body.keys;
    assert.ok(keys.some((k) => k.id === k1.id && k.name === k1.name && k.paused_at === null), 'key 1 untouched');
  });

  test('cross-tenant: a token never sees another user\'s keys even by id', async () => {
    const bobKey = (await api(bob, 'GET', '/v1/keys')).body.keys[0];
    const t = await createToken(alice, 'tenant', [k1.id], 'static');
    const rev = await api(t, 'POST', '/v1/keys/reveal', { keys: [bobKey.id] });
    expectStatus(rev, 200, 'reveal of a foreign id');
    assert.equal(rev.body.keys.length, 0, 'no foreign key revealed');
    assert.deepEqual(rev.body.missing, [bobKey.id]);
    expectError(await api(t, 'GET', `/v1/keys/${bobKey.id}`), 404, 'metadata of a foreign key');
    expectError(await api(alice, 'POST', '/v1/tokens', { name: 'x', allowed_keys: [bobKey.id] }), 400,
      "a token for bob's key by id");
  });
});

describe('the apilocker 1.1.0 CLI: token create/list/revoke, doctor', () => {
  let home;
  let user;
  let key;
  before(async () => {
    user = await addUser(worker, 'cli-tokens@example.com');
    registerSecret(user.token);
    key = await storeKey(user, 'CLI_TOKEN_KEY');
    await storeKey(user, 'CLI_OTHER_KEY');
    home = cliHome(worker, user, 'vaultedge-tokens-cli-');
  });
  after(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  /** Runs the CLI; fails (redacted) on a non-zero exit unless `code` says otherwise. */
  async function cli(args, code = 0) {
    const r = await apilocker(args, { home });
    assert.ok(!r.timedOut, `apilocker ${args[0]} ${args[1] ?? ''}: timed out`);
    assert.ok(r.code === code, redact(`apilocker ${args.slice(0, 2).join(' ')}: exit ${r.code}, stderr ${r.stderr.slice(0, 400)}`));
    return r;
  }
  const has = (text, re, what) => assert.ok(re.test(text), redact(`${what}: ${JSON.stringify(text.slice(0, 600))} should match ${re}`));

  test('token create --rotation daily, token list, doctor (expiring), token revoke', async () => {
    let r = await cli(['token', 'create', '--name', 'ci-runner', '--keys', `${key.name},CLI_OTHER_KEY`, '--rotation', 'daily']);
    const out = r.stdout;
    // Register the printed token before any assertion could print the output.
    const tokenLine = out.split('\n').map((l) => l.trim()).find((l) => l.startsWith('vk_scoped_'));
    if (tokenLine) {
      registerSecret(tokenLine);
      issued.push(tokenLine);
    }
    has(out, /Token created successfully\./, 'create');
    has(out, /ID: +tok_[0-9a-f]{32}/, 'create prints the id');
    has(out, /Name: +ci-runner/, 'create prints the name');
    has(out, /Rotation: +daily/, 'create prints the rotation');
    has(out, /Expires: +\S/, 'create prints the expiry (the CLI reads expires_at)');
    const id = out.match(/ID: +(tok_[0-9a-f]{32})/)[1];
    assert.ok(tokenLine && /^vk_scoped_[A-Za-z0-9_-]{43,}$/.test(tokenLine), 'create prints the token (the CLI reads `token`)');
    const listed = await api(tokenLine, 'GET', '/v1/keys');
    expectStatus(listed, 200, 'the printed token works');
    assert.deepEqual(listed.body.keys.map((k) => k.name).sort(), ['CLI_OTHER_KEY', key.name].sort());

    r = await cli(['token', 'list']);
    has(r.stdout, new RegExp(`ci-runner +daily +active +${id}`), 'list shows the token as active');
    has(r.stdout, /1 token\(s\)\./, 'list count');
    assert.ok(!r.stdout.includes('vk_scoped_'), 'list prints no credential');

    r = await cli(['doctor']);
    has(r.stdout, /Expiring tokens — 1 scoped token expiring in the next 48 hours/, 'doctor: expiring token finding');
    has(r.stdout, /ci-runner — expires in 2[34]h \(daily rotation\)/, 'doctor names the token and its expiry');

    r = await cli(['token', 'revoke', id]);
    has(r.stdout, new RegExp(`Token ${id} revoked\\.`), 'revoke');
    expectError(await api(tokenLine, 'GET', '/v1/keys'), 401, 'the revoked token');
    r = await cli(['token', 'list']);
    has(r.stdout, new RegExp(`ci-runner +daily +revoked +${id}`), 'list shows it revoked');
    r = await cli(['doctor']);
    assert.ok(!/Expiring tokens/.test(r.stdout), 'doctor: a revoked token is not expiring');
    r = await cli(['token', 'revoke', id], 1);
    has(r.stderr, /Failed to revoke token: /, 'revoking twice fails with the server message');
    r = await cli(['token', 'create', '--name', 'bad', '--keys', 'NO_SUCH_KEY'], 1);
    has(r.stderr, /Failed to create token: .*NO_SUCH_KEY/, 'an unknown key is named');
  });
});

describe('MCP (@modelcontextprotocol/sdk) with scoped and master tokens', () => {
  let user;
  let allowed;
  let other;
  let prefix;

  /** An SDK client with `Authorization: Bearer <token>`. */
  async function connect(token) {
    const transport = new StreamableHTTPClientTransport(new URL(`${worker.url}/v1/mcp`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    });
    const client = new Client({ name: 'tokens-test', version: '1.0.0' }, { capabilities: {} });
    await client.connect(transport, { timeout: 10_000 });
    const call = (name, args) => client.callTool({ name, arguments: args }, undefined, { timeout: 15_000 });
    return { client, call, close: () => client.close() };
  }

  before(async () => {
    user = await addUser(worker, 'mcp-tokens@example.com');
    registerSecret(user.token);
    prefix = upstream.freshPrefix();
    allowed = await storeKey(user, 'MCP_ALLOWED', { provider: 'custom', base_url: `${upstream.url}${prefix}` });
    other = await storeKey(user, 'MCP_OTHER', { provider: 'custom', base_url: `${upstream.url}${prefix}` });
  });

  test('as a scoped token: list_keys only allowed, store_key refused, proxy_request only on allowed keys', async () => {
    const t = await createToken(user, 'mcp-scoped', [allowed.name], 'static');
    const s = await connect(t.token);
    try {
      await s.client.listTools({}, { timeout: 10_000 });
      const list = assertToolOk('list_keys', await s.call('list_keys', {}));
      assert.deepEqual(firstArray(list, ['keys']).map((k) => k.name), [allowed.name], 'list_keys: only the allowed key');

      const before = await d1State({ withAudit: false });
      assertToolError('store_key', await s.call('store_key', {
        name: 'MCP_EVIL', provider: 'openai', key: registerSecret(`sk-test-evil-${randomBytes(8).toString('hex')}`),
      }), /scoped token|not allowed|may not|forbidden/i);
      assertSameState(await d1State({ withAudit: false }), before, 'store_key wrote nothing');

      const n0 = (await upstream.requestsUnder(prefix)).length;
      const ok = assertToolOk('proxy_request', await s.call('proxy_request', {
        key: allowed.name, method: 'GET', path: '/mcp/ping?x=1',
      }));
      assert.equal(ok.status, 200, 'proxy_request: the upstream status');
      const got = await upstream.requestsUnder(prefix);
      assert.equal(got.length, n0 + 1, 'one request at the upstream');
      const req = got.at(-1);
      assert.equal(req.path, `${prefix}/mcp/ping`);
      assert.equal(req.query, 'x=1');
      assert.ok(headerValues(req, 'authorization')[0] === `Bearer ${allowed.value}`, 'the allowed key injected as bearer');
      assert.ok(!JSON.stringify(req.headers).includes(t.token), 'the scoped token did not reach the upstream');

      const refused = await s.call('proxy_request', { key: other.name, method: 'GET', path: '/mcp/ping' });
      // The same answer as for a key that does not exist (nothing to learn about the vault).
      assertToolError('proxy_request (other key)', refused, /^no key 'MCP_OTHER' in your vault/);
      assert.ok(!textOf(refused).includes(other.value), 'no value in the refusal');
      assert.equal((await upstream.requestsUnder(prefix)).length, n0 + 1, 'nothing forwarded for the other key');
    } finally {
      await s.close();
    }
  });

  test('as a master token: create/list/pause/resume/revoke_token; run_doctor reports an expiring token', async () => {
    const s = await connect(user.token);
    try {
      await s.client.listTools({}, { timeout: 10_000 });
      const created = assertToolOk('create_token', await s.call('create_token', {
        name: 'mcp-made', keys: [allowed.name], rotation: 'weekly',
      }));
      registerSecret(created.token);
      issued.push(created.token);
      if (created.refresh_token) {
        registerSecret(created.refresh_token);
        issued.push(created.refresh_token);
      }
      assert.match(created.id, /^tok_/);
      assert.equal(created.rotation_type, 'weekly');
      assert.deepEqual(created.allowed_keys, [{ id: allowed.id, name: allowed.name }]);
      assert.ok(/^vk_scoped_/.test(created.token), 'create_token returns the token');
      expectStatus(await api(created.token, 'GET', '/v1/keys'), 200, 'the MCP-made token works over REST');

      let list = assertToolOk('list_tokens', await s.call('list_tokens', {}));
      let row = list.tokens.find((x) => x.id === created.id);
      assert.ok(row, 'list_tokens shows it');
      assert.ok(!JSON.stringify(list).includes('vk_scoped_') && !JSON.stringify(list).includes('vk_srt_'), 'list_tokens: no credential');

      assertToolOk('pause_token', await s.call('pause_token', { token_id: created.id }));
      expectError(await api(created.token, 'GET', '/v1/keys'), 403, 'paused through MCP', 'token_paused');
      assertToolError('pause_token twice', await s.call('pause_token', { token_id: created.id }), /already paused/);
      assertToolOk('resume_token', await s.call('resume_token', { token_id: created.id }));
      expectStatus(await api(created.token, 'GET', '/v1/keys'), 200, 'resumed through MCP');

      // Its current credential now expires in 5 hours: run_doctor must say so.
      await worker.db.prepare(
        "UPDATE scoped_token_credentials SET expires_at = ?1 WHERE token_id = ?2 AND kind = 'access'",
      ).bind(Date.now() + 5 * HOUR, created.id).run();
      const doctor = assertToolOk('run_doctor', await s.call('run_doctor', {}));
      const finding = (doctor.findings ?? []).find((f) => f.kind === 'expiring_token' && f.token_id === created.id);
      assert.ok(finding, redact(`run_doctor: an expiring_token finding for the token (${JSON.stringify(doctor.findings ?? []).slice(0, 600)})`));
      assert.equal(finding.name, 'mcp-made');
      assert.match(finding.detail, /expires in [45] h/);
      assert.ok(!/vk_scoped_|vk_srt_/.test(JSON.stringify(doctor)), 'run_doctor: no credential');

      assertToolOk('revoke_token', await s.call('revoke_token', { token_id: created.id }));
      expectError(await api(created.token, 'GET', '/v1/keys'), 401, 'revoked through MCP');
      list = assertToolOk('list_tokens', await s.call('list_tokens', {}));
      row = list.tokens.find((x) => x.id === created.id);
      assert.equal(row.revoked, true, 'list_tokens: revoked');
      assertToolError('revoke_token twice', await s.call('revoke_token', { token_id: created.id }), /no active scoped token/);
    } finally {
      await s.close();
    }
  });

  test('as a scoped token the token tools are refused', async () => {
    const t = await createToken(user, 'mcp-no-admin', [allowed.name], 'static');
    const s = await connect(t.token);
    try {
      const before = await d1State({ withAudit: false });
      for (const [name, args] of [
        ['create_token', { name: 'child', keys: [allowed.name] }],
        ['list_tokens', {}],
        ['pause_token', { token_id: t.id }],
        ['revoke_token', { token_id: t.id }],
      ]) {
        let result;
        try {
          result = await s.call(name, args);
        } catch (e) {
          assert.fail(`${name}: a tool result with isError expected, got a protocol error (${e.message})`);
        }
        assertToolError(name, result, /scoped token|may not|forbidden/i);
      }
      assertSameState(await d1State({ withAudit: false }), before, 'nothing written');
      expectStatus(await api(t, 'GET', '/v1/keys'), 200, 'the token itself is unaffected');
    } finally {
      await s.close();
    }
  });
});

describe('at rest', () => {
  test('no token in D1: only SHA-256 hashes, nothing shaped vk_scoped_/vk_srt_', async () => {
    assert.ok(issued.length >= 10, `the suite issued credentials to look for (got ${issued.length})`);
    const dump = await d1Dump();
    assert.ok(!dump.includes('vk_scoped_'), 'no vk_scoped_ string in any table');
    assert.ok(!dump.includes('vk_srt_'), 'no vk_srt_ string in any table');
    issued.forEach((v, i) => {
      assert.ok(!dump.includes(v), `credential #${i} found in D1`);
      assert.ok(!dump.includes(Buffer.from(v).toString('base64').replace(/=+$/, '')), `credential #${i} (base64) found in D1`);
      assert.ok(!dump.includes(Buffer.from(v).toString('hex')), `credential #${i} (hex) found in D1`);
    });
    const hashes = await worker.db.prepare('SELECT hash FROM scoped_token_credentials').all();
    assert.ok(hashes.results.length > 0, 'credentials are stored');
    for (const { hash } of hashes.results) assert.match(hash, /^[0-9a-f]{64}$/, 'a SHA-256 hex hash');
  });
});
