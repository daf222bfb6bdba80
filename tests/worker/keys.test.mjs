// The vault's key routes over real HTTP against the built worker (js-shim +
// core.wasm) in Miniflare, with real KV and D1: store, list, reveal, rotate,
// rename, pause/resume, delete, activity; bad input; tenant isolation;
// concurrency on real D1; no plaintext at rest. The last suite drives the
// unmodified `apilocker` 1.1.0 CLI against the same worker.
//
// Users are created by inserting rows through Miniflare's D1 binding (the
// device flow is tested elsewhere): a user, a device and a master token stored
// as its SHA-256, exactly as the device flow leaves them.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ROOT, cliHome, addUser as harnessAddUser, request, startWorker } from './harness.mjs';

/** @type {import('./harness.mjs').StartedWorker} */
let worker;

before(async () => {
  worker = await startWorker();
});
after(async () => {
  await worker?.stop();
});

/** A user with a device and master token (harness.addUser). */
const addUser = (email) => harnessAddUser(worker, email);

/** A request as the apilocker CLI makes it, as `user` (harness.request). */
const api = (user, method, path, body) => request(worker.url, user?.token, method, path, body);

/** Every KV entry as [name, bytes]. */
async function kvEntries() {
  const out = [];
  let cursor;
  do {
    const page = await worker.kv.list({ cursor });
    for (const k of page.keys) {
      out.push([k.name, new Uint8Array(await worker.kv.get(k.name, 'arrayBuffer'))]);
    }
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out;
}

/**
 * Every cell of every table, as text — except `devices` (last_used_at moves on
 * every request) and `rate_limits` (every reveal attempt counts, refused or not).
 */
async function d1Dump() {
  const tables = await worker.db.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT IN ('devices', 'rate_limits')",
  ).all();
  let dump = '';
  for (const { name } of tables.results) {
    const rows = await worker.db.prepare(`SELECT * FROM "${name}"`).all();
    dump += JSON.stringify(rows.results);
  }
  return dump;
}

const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('keys over HTTP (Miniflare, real KV and D1)', () => {
  let alice;
  let mallory;
  before(async () => {
    alice = await addUser('alice@example.com');
    mallory = await addUser('mallory@example.com');
  });

  test('providers catalog is open', async () => {
    const r = await api(null, 'GET', '/v1/providers');
    assert.equal(r.status, 200);
    const ids = r.body.providers.map((p) => p.id);
    for (const id of ['openai', 'anthropic', 'google-ai', 'stripe', 'google-oauth', 'custom']) {
      assert.ok(ids.includes(id), id);
    }
  });

  test('store, list, reveal, rotate, rename, pause, delete, activity', async () => {
    const created = await api(alice, 'POST', '/v1/keys', {
      name: 'OPENAI_API_KEY', provider: 'openai', credential_type: 'api_key', key: 'sk-http-1',
      tags: ['prod'],
    });
    assert.equal(created.status, 201, created.text);
    const id = created.body.id;
    assert.match(id, /^key_[0-9a-f]{32}$/);
    assert.equal(created.body.category, 'llm');
    assert.equal(created.body.proxy_endpoint, `${worker.url}/v1/proxy/${id}`);

    const dup = await api(alice, 'POST', '/v1/keys', { name: 'OPENAI_API_KEY', provider: 'openai', key: 'x-duplicate' });
    assert.equal(dup.status, 409);
    assert.equal(typeof dup.body.error, 'string');

    const oauth = await api(alice, 'POST', '/v1/keys', {
      name: 'google-oauth', provider: 'google-oauth', credential_type: 'oauth2',
      client_id: 'cid-1', client_secret: 'cs-secret-1', scopes: 'openid email',
    });
    assert.equal(oauth.status, 201, oauth.text);

    const list = await api(alice, 'GET', '/v1/keys');
    assert.equal(list.status, 200);
    assert.equal(list.body.keys.length, 2);
    const k = list.body.keys.find((x) => x.id === id);
    assert.deepEqual(k.tags, ['prod']);
    assert.match(k.created_at, ISO_Z);
    assert.equal(k.rotated_at, null);
    assert.equal(k.paused_at, null);
    assert.ok(!list.text.includes('sk-http-1'));

    let rev = await api(alice, 'POST', '/v1/keys/reveal', { keys: ['OPENAI_API_KEY', 'google-oauth', 'nope'] });
    assert.equal(rev.status, 200, rev.text);
    assert.deepEqual(rev.body.missing, ['nope']);
    assert.equal(rev.body.keys[0].value, 'sk-http-1');
    assert.equal(rev.body.keys[0].env_name, 'OPENAI_API_KEY');
    assert.equal(rev.body.keys[1].fields.client_secret, 'cs-secret-1');
    assert.equal(rev.body.keys[1].env_names.client_secret, 'GOOGLE_OAUTH_CLIENT_SECRET');

    const rot = await api(alice, 'POST', `/v1/keys/${id}/rotate`, { key: 'sk-http-2' });
    assert.equal(rot.status, 200, rot.text);
    assert.equal(rot.body.version, 2);
    assert.match(rot.body.rotated_at, ISO_Z);
    const rot3 = await api(alice, 'POST', `/v1/keys/${id}/rotate`, { key: 'sk-http-3' });
    assert.equal(rot3.status, 200, rot3.text);
    const stages = await worker.db.prepare(
      'SELECT version, stage, retired_at FROM key_versions WHERE key_id = ?1 ORDER BY version',
    ).bind(id).all();
    assert.deepEqual(stages.results.map((v) => v.stage), [null, 'previous', 'current']);
    assert.ok(stages.results[0].retired_at > 0);
    assert.equal(await worker.kv.get(`blob/${alice.userId}/${id}/1`), null, 'retired blob deleted');
    assert.notEqual(await worker.kv.get(`blob/${alice.userId}/${id}/3`), null);

    const oauthRot = await api(alice, 'POST', '/v1/keys/google-oauth/rotate', { refresh_token: 'rt-secret-2' });
    assert.equal(oauthRot.status, 200, oauthRot.text);
    assert.deepEqual(oauthRot.body.rotated_fields, ['refresh_token']);

    const ren = await api(alice, 'POST', `/v1/keys/${id}/rename`, { new_name: 'openai-prod' });
    assert.equal(ren.status, 200, ren.text);
    rev = await api(alice, 'POST', '/v1/keys/reveal', { keys: ['OPENAI_API_KEY', 'google-oauth'] });
    assert.equal(rev.body.keys[0].name, 'openai-prod');
    assert.equal(rev.body.keys[0].deprecated_alias, true);
    assert.equal(rev.body.keys[0].requested_as, 'OPENAI_API_KEY');
    assert.equal(rev.body.keys[0].env_name, 'OPENAI_API_KEY');
    assert.equal(rev.body.keys[0].value, 'sk-http-3');
    assert.equal(rev.body.keys[1].fields.refresh_token, 'rt-secret-2');
    assert.equal(rev.body.keys[1].fields.client_secret, 'cs-secret-1');

    assert.equal((await api(alice, 'POST', `/v1/keys/${id}/pause`)).status, 200);
    const again = await api(alice, 'POST', `/v1/keys/${id}/pause`);
    assert.equal(again.status, 409);
    assert.match(again.body.error, /already paused/);
    assert.equal((await api(alice, 'POST', `/v1/keys/${id}/resume`)).status, 200);
    assert.equal((await api(alice, 'POST', `/v1/keys/${id}/resume`)).status, 409);

    const del = await api(alice, 'DELETE', '/v1/keys/openai-prod');
    assert.equal(del.status, 200, del.text);
    assert.equal((await api(alice, 'DELETE', `/v1/keys/${id}`)).status, 404);
    const left = (await kvEntries()).map(([name]) => name).filter((n) => n.includes(id));
    assert.deepEqual(left, [], 'blobs of a deleted key are gone');

    const act = await api(alice, 'GET', '/v1/activity?limit=100');
    assert.equal(act.status, 200);
    const actions = act.body.logs.map((l) => l.action);
    assert.equal(actions[0], 'key.delete');
    assert.equal(actions.at(-1), 'key.create');
    for (const a of ['key.reveal', 'key.rotate', 'key.rename', 'key.pause', 'key.resume']) {
      assert.ok(actions.includes(a), a);
    }
    const ids = act.body.logs.map((l) => l.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
    const reveal = act.body.logs.find((l) => l.action === 'key.reveal');
    assert.equal(reveal.country, 'NL');
    assert.equal(reveal.status_code, 200);
    assert.match(reveal.timestamp, ISO_Z);
    assert.equal(typeof reveal.latency_ms, 'number');
    assert.ok(!act.text.includes('sk-http'));
    assert.equal((await api(alice, 'GET', '/v1/activity?limit=0')).status, 400);
    assert.equal((await api(alice, 'GET', '/v1/activity?limit=501')).status, 400);
    assert.equal((await api(alice, 'GET', '/v1/activity?limit=1')).body.logs.length, 1);
  });

  test('bad input: clear 4xx in the CLI error shape, nothing written', async () => {
    const before = await d1Dump();
    const kvBefore = (await kvEntries()).length;
    const cases = [
      ['POST', '/v1/keys', '{"name": ', 400],
      ['POST', '/v1/keys', { name: 'A' }, 400],
      ['POST', '/v1/keys', { name: 'A', provider: 'nope', key: 'k' }, 400],
      ['POST', '/v1/keys', { name: 'A', provider: 'openai', key: 'x'.repeat(64 * 1024 + 1) }, 400],
      ['POST', '/v1/keys', { name: 'A', provider: 'custom', key: 'k', base_url: 'http://x.example' }, 400],
      ['POST', '/v1/keys/reveal', { keys: [] }, 400],
      ['POST', '/v1/keys/reveal', '[', 400],
      ['POST', '/v1/keys/key_00000000000000000000000000000000/rotate', { key: 'v-secret' }, 404],
      ['POST', '/v1/keys/nope/rename', { new_name: 'B' }, 404],
      ['POST', '/v1/keys/nope/pause', undefined, 404],
      ['DELETE', '/v1/keys/nope', undefined, 404],
      ['GET', '/v1/keys/nope', undefined, 404],
    ];
    for (const [method, path, body, status] of cases) {
      const r = await api(alice, method, path, body);
      assert.equal(r.status, status, `${method} ${path}: ${r.text}`);
      assert.equal(typeof r.body.error, 'string', r.text);
      assert.equal(typeof r.body.code, 'string', r.text);
    }
    const anon = await api(null, 'GET', '/v1/keys');
    assert.equal(anon.status, 401);
    assert.equal(typeof anon.body.error, 'string');
    const big = await api(alice, 'POST', '/v1/keys', `{"name":"A","key":"${'x'.repeat(1024 * 1024)}"}`);
    assert.equal(big.status, 413);
    assert.equal(await d1Dump(), before, 'D1 unchanged');
    assert.equal((await kvEntries()).length, kvBefore, 'KV unchanged');
    assert.equal((await api(null, 'GET', '/healthz')).status, 200, 'still serving');
  });

  test("another user's key: 404 on every route, invisible in lists", async () => {
    const mine = await api(alice, 'POST', '/v1/keys', { name: 'ALICE_ONLY', provider: 'stripe', key: 'rk-alice' });
    assert.equal(mine.status, 201);
    const id = mine.body.id;
    const before = await d1Dump();
    for (const ref of [id, 'ALICE_ONLY']) {
      assert.equal((await api(mallory, 'GET', `/v1/keys/${ref}`)).status, 404);
      assert.equal((await api(mallory, 'POST', `/v1/keys/${ref}/rotate`, { key: 'evil-value' })).status, 404);
      assert.equal((await api(mallory, 'POST', `/v1/keys/${ref}/rename`, { new_name: 'M' })).status, 404);
      assert.equal((await api(mallory, 'POST', `/v1/keys/${ref}/pause`)).status, 404);
      assert.equal((await api(mallory, 'DELETE', `/v1/keys/${ref}`)).status, 404);
      const rev = await api(mallory, 'POST', '/v1/keys/reveal', { keys: [ref] });
      assert.deepEqual(rev.body, { keys: [], missing: [ref] });
    }
    assert.deepEqual((await api(mallory, 'GET', '/v1/keys')).body.keys, []);
    assert.deepEqual((await api(mallory, 'GET', '/v1/activity')).body.logs, []);
    assert.equal(await d1Dump(), before);
  });

  test('concurrent requests on real D1: one winner, losers 409, no orphan blobs', async () => {
    const same = await Promise.all(Array.from({ length: 6 }, () => api(alice, 'POST', '/v1/keys', {
      name: 'RACE', provider: 'openai', key: 'race-value',
    })));
    const statuses = same.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 409, 409, 409, 409, 409], JSON.stringify(same.map((r) => r.text)));
    const id = same.find((r) => r.status === 201).body.id;

    const rotations = await Promise.all(Array.from({ length: 6 }, (_, i) => api(
      alice, 'POST', `/v1/keys/${id}/rotate`, { key: `race-value-${i}` },
    )));
    for (const r of rotations) assert.ok([200, 409].includes(r.status), r.text);
    assert.ok(rotations.some((r) => r.status === 200));
    const versions = (await worker.db.prepare(
      'SELECT version, stage, blob_key FROM key_versions WHERE key_id = ?1',
    ).bind(id).all()).results;
    assert.equal(versions.filter((v) => v.stage === 'current').length, 1);
    assert.ok(versions.filter((v) => v.stage === 'previous').length <= 1);
    assert.equal(versions.filter((v) => v.stage === 'pending').length, 0);
    const live = versions.filter((v) => v.stage !== null).map((v) => v.blob_key).sort();
    const blobs = (await kvEntries()).map(([n]) => n).filter((n) => n.includes(id)).sort();
    assert.deepEqual(blobs, live, 'KV holds exactly the live versions');
    const current = versions.find((v) => v.stage === 'current');
    const winner = rotations.findIndex((r) => r.status === 200 && r.body.version === current.version);
    const rev = await api(alice, 'POST', '/v1/keys/reveal', { keys: ['RACE'] });
    assert.equal(rev.body.keys[0].value, `race-value-${winner}`);
  });

  test('no value, no token in the clear anywhere in KV or D1', async () => {
    const canary = `sk-canary-${randomBytes(12).toString('hex')}`;
    assert.equal((await api(alice, 'POST', '/v1/keys', { name: 'CANARY', provider: 'openai', key: canary })).status, 201);
    assert.equal((await api(alice, 'POST', '/v1/keys/CANARY/rotate', { key: `${canary}-2` })).status, 200);
    assert.equal((await api(alice, 'POST', '/v1/keys/reveal', { keys: ['CANARY'] })).status, 200);
    const dump = await d1Dump();
    const needles = [canary, Buffer.from(canary).toString('base64'), alice.token];
    for (const n of needles) assert.ok(!dump.includes(n), `D1 holds ${n.slice(0, 12)}…`);
    for (const [name, bytes] of await kvEntries()) {
      const text = Buffer.from(bytes).toString('latin1');
      for (const n of needles) assert.ok(!text.includes(n) && !name.includes(n), `KV ${name}`);
      assert.equal(text.slice(0, 4), 'VEB\x01', `KV ${name} is an envelope`);
    }
  });
});

describe('the apilocker 1.1.0 CLI against the worker', () => {
  let home;
  let user;
  const cliPath = join(ROOT, 'node_modules', 'apilocker', 'dist', 'index.js');

  // eslint-disable-next-line no-control-regex
  const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*m/g, '');

  /** Runs the CLI; ANSI colours are stripped from its output. */
  function cli(...args) {
    return new Promise((resolve) => {
      execFile(process.execPath, [cliPath, ...args], {
        env: { ...process.env, HOME: home, NO_COLOR: '1' },
        timeout: 30_000,
      }, (err, stdout, stderr) => {
        resolve({
          code: err ? (typeof err.code === 'number' ? err.code : 1) : 0,
          stdout: stripAnsi(stdout),
          stderr: stripAnsi(stderr),
        });
      });
    });
  }

  before(async () => {
    user = await addUser('cli@example.com');
    home = cliHome(worker, user, 'vaultedge-cli-');
  });
  after(() => {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  test('store, list, get, run, rotate, rename, pause, resume, activity, delete', async () => {
    let r = await cli('store', '--name', 'OPENAI_API_KEY', '--provider', 'openai', '--key', 'sk-cli-1');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Stored: OPENAI_API_KEY/);
    assert.match(r.stdout, /Proxy: +http/);
    r = await cli('store', '--oauth', '--name', 'google-oauth', '--provider', 'google-oauth',
      '--client-id', 'cid-cli', '--client-secret', 'cs-cli-secret');
    assert.equal(r.code, 0, r.stderr);
    r = await cli('store', '--name', 'OPENAI_API_KEY', '--provider', 'openai', '--key', 'again-secret');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Failed to store credential: a key named 'OPENAI_API_KEY' already exists/);

    r = await cli('list');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /LLM API Keys/);
    assert.match(r.stdout, /OAuth Credentials/);
    assert.match(r.stdout, /2 credentials\./);

    r = await cli('get', 'OPENAI_API_KEY');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'sk-cli-1');
    r = await cli('get', 'google-oauth', '--field', 'client_secret');
    assert.equal(r.stdout, 'cs-cli-secret');
    r = await cli('run', '--keys', 'OPENAI_API_KEY,google-oauth', '--', 'printenv',
      'OPENAI_API_KEY', 'GOOGLE_OAUTH_CLIENT_ID');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'sk-cli-1\ncid-cli\n');
    r = await cli('get', 'nope');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Credential not found: nope/);

    r = await cli('rotate', 'OPENAI_API_KEY', '--value', 'sk-cli-2');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Rotated: OPENAI_API_KEY/);
    r = await cli('rotate', 'google-oauth', '--field', 'client_secret', '--value', 'cs-cli-secret-2');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Rotated: google-oauth \(client_secret\)/);
    assert.equal((await cli('get', 'google-oauth', '--field', 'client_id')).stdout, 'cid-cli');

    r = await cli('rename', 'OPENAI_API_KEY', 'openai-main');
    assert.equal(r.code, 0, r.stderr);
    r = await cli('get', 'OPENAI_API_KEY');
    assert.equal(r.stdout, 'sk-cli-2');
    assert.match(r.stderr, /"OPENAI_API_KEY" was renamed to "openai-main"/);
    r = await cli('run', '--keys', 'openai-main', '--', 'printenv', 'OPENAI_MAIN');
    assert.equal(r.stdout, 'sk-cli-2\n');

    r = await cli('pause', 'openai-main');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Paused: openai-main/);
    r = await cli('pause', 'openai-main');
    assert.match(r.stdout, /already paused/);
    r = await cli('resume', 'openai-main');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Resumed: openai-main/);

    r = await cli('activity', '-n', '50');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /key\.reveal openai-main/);
    assert.match(r.stdout, /\d+ entries\./);
    assert.ok(!r.stdout.includes('sk-cli'));

    r = await cli('delete', 'openai-main');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Key openai-main deleted\./);
    r = await cli('delete', 'openai-main');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Failed to delete key: no key 'openai-main'/);

    r = await cli('doctor');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Doctor/);
  });
});
