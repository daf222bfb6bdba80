// The Cron Trigger (wrangler.toml [triggers]) through the real shim and
// core.wasm in workerd: Miniflare fires the Worker's `scheduled` handler, the
// core purges what can never be used again (docs/storage.md "Retention"), and
// what is live keeps working.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { addUser, request, startWorker } from './harness.mjs';
import { registerSecret } from './mcp-support.mjs';

/** @type {import('./harness.mjs').StartedWorker} */
let worker;

before(async () => {
  worker = await startWorker();
});
after(async () => {
  await worker?.stop();
});

/** Fires the Worker's `scheduled` handler the way the Cron Trigger does. */
async function fireCron(cron = '17 * * * *') {
  const handle = await worker.mf.getWorker();
  return handle.scheduled({ cron, scheduledTime: new Date() });
}

async function rows(sql, ...binds) {
  const { results } = await worker.db.prepare(sql).bind(...binds).all();
  return results;
}

test('a scheduled run purges dead credentials and stale windows, logs counts, keeps what is live', { timeout: 60_000 }, async () => {
  const alice = await addUser(worker, 'scheduled@example.com');
  registerSecret(alice.token);
  const key = await request(worker.url, alice.token, 'POST', '/v1/keys', { name: 'CRON_KEY', provider: 'openai', key: 'sk-cron-test-value-0001' });
  assert.equal(key.status, 201, key.text.slice(0, 200));
  const make = async (rotation) => {
    const r = await request(worker.url, alice.token, 'POST', '/v1/tokens', { name: rotation, allowed_keys: ['CRON_KEY'], rotation_type: rotation });
    assert.equal(r.status, 201, r.text.slice(0, 200));
    registerSecret(r.body.token);
    if (r.body.refresh_token) registerSecret(r.body.refresh_token);
    return r.body;
  };
  const kept = await make('static');
  const revoked = await make('daily');
  assert.equal((await request(worker.url, alice.token, 'DELETE', `/v1/tokens/${revoked.id}`)).status, 200);
  const minute = Date.now() - (Date.now() % 60_000);
  await worker.db.prepare(
    "INSERT INTO rate_limits (bucket, window_start, count) VALUES ('reveal:user:gone', 60000, 3), ('proxy:user:now', ?1, 1)",
  ).bind(minute).run();
  await worker.db.prepare(
    "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('00'||hex(randomblob(31)), ?1, 1, 2)",
  ).bind(alice.userId).run();

  const logsBefore = worker.logs.length;
  const outcome = await fireCron();
  assert.equal(outcome.outcome, 'ok', `the scheduled run succeeded (${JSON.stringify(outcome)})`);

  assert.equal((await rows('SELECT COUNT(*) AS n FROM scoped_token_credentials WHERE token_id = ?1', revoked.id))[0].n, 0,
    "the revoked token's credentials are gone");
  assert.equal((await rows('SELECT COUNT(*) AS n FROM scoped_token_credentials WHERE token_id = ?1', kept.id))[0].n, 1,
    "the live token's credential stays");
  assert.deepEqual((await rows('SELECT bucket FROM rate_limits')).map((r) => r.bucket), ['proxy:user:now'],
    "only this minute's window stays");
  assert.equal((await rows('SELECT COUNT(*) AS n FROM sessions WHERE expires_at = 2'))[0].n, 0, 'the expired session is gone');
  assert.equal((await request(worker.url, kept.token, 'GET', '/v1/keys')).status, 200, 'the live scoped token still works');
  assert.equal((await request(worker.url, alice.token, 'GET', '/v1/keys')).status, 200, 'the master token still works');

  // One log line from the core, naming what it purged (counts only).
  const lines = worker.logs.slice(logsBefore).map((l) => l.message).filter((m) => m.includes('"purged"'));
  assert.equal(lines.length, 1, `one purge log line (${JSON.stringify(worker.logs.slice(logsBefore))})`);
  const line = JSON.parse(lines[0]);
  assert.equal(line.route, '(scheduled)');
  assert.equal(line.cron, '17 * * * *');
  assert.equal(line.status, 200);
  assert.equal(line.purged.scoped_token_credentials, 2);
  assert.equal(line.purged.rate_limits, 1);
  assert.equal(line.purged.sessions, 1);

  // A second run purges nothing more.
  assert.equal((await fireCron()).outcome, 'ok');
  const again = JSON.parse(worker.logs.slice(logsBefore).map((l) => l.message).filter((m) => m.includes('"purged"')).at(-1));
  assert.ok(Object.values(again.purged).every((n) => n === 0), `nothing left to purge: ${JSON.stringify(again.purged)}`);
});
