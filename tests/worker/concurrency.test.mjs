// Many requests overlapping in ONE worker instance: each request is a
// coroutine suspended on its own KV/D1 effects while the others run, so any
// mix-up of tasks or results shows as a wrong answer here. Afterwards the core
// must hold no task (GET /healthz reports the tasks other than itself).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import { addUser, startWorker } from './harness.mjs';

/** @type {import('./harness.mjs').StartedWorker} */
let worker;
let token;

before(async () => {
  worker = await startWorker();
  ({ token } = await addUser(worker, 'overlap@example.test'));
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
