// The activity and health routes over real HTTP against the built worker
// (js-shim + core.wasm) in Miniflare with real D1: GET /v1/activity filters
// and the since cursor, the export's download headers and CSV/JSON lines
// bodies, the stats' day buckets (D1 binds JS numbers), GET /v1/doctor with
// the fix of each finding, and tenant isolation throughout.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { addUser as harnessAddUser, request, startWorker } from './harness.mjs';

/** @type {import('./harness.mjs').StartedWorker} */
let worker;
let alice;
let bob;
let keyId;

before(async () => {
  worker = await startWorker();
  alice = await harnessAddUser(worker, 'alice@example.com');
  bob = await harnessAddUser(worker, 'bob@example.com');
  const stored = await api(alice, 'POST', '/v1/keys', {
    name: 'OPENAI_API_KEY', provider: 'openai', credential_type: 'api_key', key: 'sk-activity-secret-1',
  });
  assert.equal(stored.status, 201, stored.text);
  keyId = stored.body.id;
  assert.equal((await api(alice, 'POST', '/v1/keys/reveal', { keys: ['OPENAI_API_KEY'] })).status, 200);
  assert.equal((await api(alice, 'POST', `/v1/keys/${keyId}/pause`)).status, 200);
  const bobs = await api(bob, 'POST', '/v1/keys', {
    name: 'BOB_KEY', provider: 'openai', credential_type: 'api_key', key: 'sk-bob-secret-1',
  });
  assert.equal(bobs.status, 201);
  // A row whose key name would be a formula in a spreadsheet.
  await worker.db.prepare(
    `INSERT INTO audit_log (user_id, created_at, actor_kind, actor_id, action, key_name, status, detail)
     VALUES (?1, ?2, 'master', ?3, 'key.delete', '=HYPERLINK("http://evil.example","x")', 200, 'a,b')`,
  ).bind(alice.userId, Date.now(), alice.deviceId).run();
});
after(async () => {
  await worker?.stop();
});

const api = (user, method, path, body) => request(worker.url, user?.token, method, path, body);

test('activity: filters, latest_id and the since cursor', async () => {
  const all = await api(alice, 'GET', '/v1/activity');
  assert.equal(all.status, 200, all.text);
  assert.deepEqual(all.body.logs.map((l) => l.action), ['key.delete', 'key.pause', 'key.reveal', 'key.create']);
  assert.equal(all.body.latest_id, all.body.logs[0].id);
  assert.equal(all.body.next_before, null);

  const reveals = await api(alice, 'GET', `/v1/activity?action=key.&status=ok&device_id=${alice.deviceId}&key_id=${keyId}`);
  assert.deepEqual(reveals.body.logs.map((l) => l.action), ['key.pause', 'key.reveal', 'key.create']);
  const from = encodeURIComponent(new Date(Date.now() - 60_000).toISOString());
  assert.equal((await api(alice, 'GET', `/v1/activity?from=${from}`)).body.logs.length, 4);

  const since = all.body.latest_id;
  assert.deepEqual((await api(alice, 'GET', `/v1/activity?since=${since}`)).body.logs, []);
  assert.equal((await api(alice, 'POST', `/v1/keys/${keyId}/resume`)).status, 200);
  const fresh = await api(alice, 'GET', `/v1/activity?since=${since}`);
  assert.deepEqual(fresh.body.logs.map((l) => l.action), ['key.resume']);
  assert.ok(fresh.body.latest_id > since);

  const bad = await api(alice, 'GET', '/v1/activity?status=sometimes');
  assert.equal(bad.status, 400);
  assert.match(bad.body.error, /'status'/);

  const bobs = await api(bob, 'GET', '/v1/activity?since=0');
  assert.deepEqual(bobs.body.logs.map((l) => l.key_name), ['BOB_KEY']);
});

test('activity export: download headers, CSV neutralised, JSON lines', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const csv = await api(alice, 'GET', `/v1/activity/export?format=csv&from=${today}`);
  assert.equal(csv.status, 200, csv.text);
  assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.equal(csv.headers.get('cache-control'), 'no-store');
  const tomorrowOrToday = csv.headers.get('content-disposition');
  assert.match(tomorrowOrToday, new RegExp(`^attachment; filename="vaultedge-activity-${today}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
  const lines = csv.text.split('\r\n');
  assert.equal(lines.at(-1), '');  // every record ends with CRLF
  assert.ok(lines[0].startsWith('id,created_at,action,status,'));
  assert.deepEqual(lines.slice(1, -1).map((l) => l.split(',')[2]), ['key.create', 'key.reveal', 'key.pause', 'key.delete', 'key.resume']);
  assert.ok(csv.text.includes(`"'=HYPERLINK(""http://evil.example"",""x"")"`), csv.text);
  assert.ok(csv.text.includes('"a,b"'));
  assert.ok(!csv.text.includes('BOB_KEY'));
  assert.ok(!csv.text.includes('sk-activity-secret-1'));

  const jsonl = await api(alice, 'GET', '/v1/activity/export?format=jsonl&action=key.reveal');
  assert.equal(jsonl.status, 200);
  assert.equal(jsonl.headers.get('content-type'), 'application/x-ndjson');
  assert.match(jsonl.headers.get('content-disposition'), /^attachment; filename="vaultedge-activity-.*\.jsonl"$/);
  const rows = jsonl.text.trimEnd().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(rows.map((r) => [r.action, r.key_id]), [['key.reveal', keyId]]);

  const bad = await api(alice, 'GET', '/v1/activity/export?format=xml');
  assert.equal(bad.status, 400);
  assert.match(bad.body.error, /'format'/);
});

test('activity stats: today\'s bucket from real D1', async () => {
  const r = await api(alice, 'GET', '/v1/activity/stats?days=7');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.days.length, 7);
  assert.equal(r.body.days[6], new Date().toISOString().slice(0, 10));
  assert.equal(r.body.by_key.length, 1);
  assert.equal(r.body.by_key[0].key_id, keyId);
  assert.deepEqual(r.body.by_key[0].reveals, [0, 0, 0, 0, 0, 0, 1]);
  assert.equal(r.body.by_app.reduce((n, a) => n + a.reveals[6], 0), 1);
});

test('doctor: findings with the REST call that fixes them', async () => {
  assert.equal((await api(alice, 'POST', `/v1/keys/${keyId}/pause`)).status, 200);
  const r = await api(alice, 'GET', '/v1/doctor');
  assert.equal(r.status, 200, r.text);
  const paused = r.body.findings.find((f) => f.kind === 'paused');
  assert.ok(paused, r.text);
  assert.deepEqual(paused.fix, { action: 'resume', method: 'POST', path: `/v1/keys/${keyId}/resume` });
  assert.ok(!r.text.includes('BOB_KEY'));
  assert.equal((await api(alice, paused.fix.method, paused.fix.path)).status, 200);
  const after = await api(alice, 'GET', '/v1/doctor');
  assert.equal(after.body.findings.filter((f) => f.kind === 'paused').length, 0);
  assert.equal(after.body.summary.healthy, true);

  const bad = await api(alice, 'GET', '/v1/doctor?unused_after_days=0');
  assert.equal(bad.status, 400);
  assert.match(bad.body.error, /'unused_after_days'/);
  assert.equal((await api(null, 'GET', '/v1/doctor')).status, 401);
});
