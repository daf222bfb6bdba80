// Many requests overlapping in ONE worker instance: each request is a
// coroutine suspended on its own KV/D1 effects while the others run, so any
// mix-up of tasks or results shows as a wrong answer here. Afterwards the core
// must hold no task (GET /healthz reports the tasks other than itself).

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import { startWorker } from './harness.mjs';

/** @type {import('./harness.mjs').StartedWorker} */
let worker;
let token;

before(async () => {
  worker = await startWorker();
  const userId = `usr_${randomBytes(16).toString('hex')}`;
  const deviceId = `dev_${randomBytes(16).toString('hex')}`;
  token = `vk_master_${randomBytes(32).toString('base64url')}`;
  const now = Date.now();
  await worker.db.batch([
    worker.db.prepare('INSERT INTO users (id, email, created_at) VALUES (?1, ?2, ?3)')
      .bind(userId, 'overlap@example.test', now),
    worker.db.prepare('INSERT INTO devices (id, user_id, name, created_at) VALUES (?1, ?2, ?3, ?4)')
      .bind(deviceId, userId, 'concurrency test', now),
    worker.db.prepare(
      'INSERT INTO master_tokens (token_hash, device_id, user_id, created_at) VALUES (?1, ?2, ?3, ?4)',
    ).bind(createHash('sha256').update(token).digest('hex'), deviceId, userId, now),
  ]);
});
after(async () => {
  await worker?.stop();
});

function call(method, path, body) {
  return fetch(`${worker.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (res) => ({ status: res.status, body: await res.json() }));
}

test('60 overlapping stores, then 60 overlapping reveals, each get their own answer', async () => {
  const n = 60;
  const values = Array.from({ length: n }, (_, i) => `sk-test-overlap-${i}-${randomBytes(12).toString('hex')}`);
  const stored = await Promise.all(values.map((key, i) => call('POST', '/v1/keys', {
    name: `OVERLAP_${i}`, provider: 'openai', credential_type: 'api_key', key,
  })));
  stored.forEach((r, i) => {
    assert.equal(r.status, 201, `store ${i}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.name, `OVERLAP_${i}`);
  });

  // Reveals, lists and no-I/O requests interleaved.
  const mixed = await Promise.all(values.flatMap((_, i) => [
    call('POST', '/v1/keys/reveal', { keys: [`OVERLAP_${i}`] }),
    i % 10 === 0 ? call('GET', '/v1/keys') : fetch(`${worker.url}/healthz`).then(async (r) => ({ status: r.status, body: await r.json() })),
  ]));
  for (let i = 0; i < n; i++) {
    const reveal = mixed[2 * i];
    assert.equal(reveal.status, 200);
    assert.equal(reveal.body.keys.length, 1);
    assert.equal(reveal.body.keys[0].value, values[i], `reveal ${i} got another request's value`);
    const other = mixed[2 * i + 1];
    assert.equal(other.status, 200);
    if (i % 10 === 0) assert.equal(other.body.keys.length, n);
  }

  const health = await fetch(`${worker.url}/healthz`).then((r) => r.json());
  assert.equal(health.tasks_in_flight, 0, 'finished requests left tasks behind in the core');
});
