// The per-request log line and its LOG_REQUESTS setting (worker/config/config.hpp
// RequestLog, docs/architecture.md "The request log"): which requests get a
// line, what the line carries (route, status, principal kind, the D1/KV round
// trips the request waited for), and that a bad setting is a clear 500.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { addUser, request, startWorker } from './harness.mjs';

/**
 * The log lines (console.log, parsed) a worker wrote while `fn` ran.
 * @param {import('./harness.mjs').StartedWorker} w
 * @param {() => Promise<void>} fn
 * @returns {Promise<object[]>}
 */
async function linesDuring(w, fn) {
  const before = w.logs.length;
  await fn();
  return w.logs.slice(before).filter((l) => l.level === 'log').map((l) => JSON.parse(l.message));
}

/** GET `path` and drain the body; the status. */
async function get(w, path, token) {
  const res = await fetch(`${w.url}${path}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  await res.arrayBuffer();
  return res.status;
}

describe('LOG_REQUESTS unset in development: failures only', () => {
  let w;
  before(async () => {
    w = await startWorker();
  });
  after(async () => {
    await w?.stop();
  });

  test('a 200 writes no line; a 404 and a 401 write one each', async () => {
    const lines = await linesDuring(w, async () => {
      assert.equal(await get(w, '/healthz'), 200);
      assert.equal(await get(w, '/no/such/route'), 404);
      assert.equal(await get(w, '/v1/keys', 'vk_master_not-a-real-token'), 401);
    });
    assert.deepEqual(lines.map((l) => l.status), [404, 401]);
    assert.equal(lines[0].route, '(none)');
    assert.equal(lines[1].route, '/v1/keys');
    assert.equal(lines[1].principal, 'none');
  });
});

describe('LOG_REQUESTS=all', () => {
  let w;
  let user;
  before(async () => {
    w = await startWorker({ vars: { LOG_REQUESTS: 'all' } });
    user = await addUser(w, 'log@example.com');
  });
  after(async () => {
    await w?.stop();
  });

  test('every request writes one line with its round trips and no secret', async () => {
    const created = await request(w.url, user.token, 'POST', '/v1/keys', {
      name: 'LOG_TEST_KEY', provider: 'openai', key: 'sk-log-line-secret-value-0001',
    });
    assert.equal(created.status, 201);
    const lines = await linesDuring(w, async () => {
      assert.equal(await get(w, '/healthz'), 200);
      assert.equal((await request(w.url, user.token, 'POST', '/v1/keys/reveal', { keys: ['LOG_TEST_KEY'] })).status, 200);
    });
    assert.equal(lines.length, 2);
    const [health, reveal] = lines;
    assert.deepEqual([health.route, health.status, health.d1, health.kv], ['/healthz', 200, 0, 0]);
    assert.equal(reveal.route, '/v1/keys/reveal');
    assert.equal(reveal.principal, 'master');
    assert.ok(reveal.d1 >= 1, 'the reveal read D1');
    assert.equal(reveal.kv, 1, 'one KV round trip for the blob');
    assert.equal(typeof reveal.latency_ms, 'number');
    assert.ok(!JSON.stringify(lines).includes('sk-log-line-secret'), 'no value in the log');
    assert.ok(!JSON.stringify(lines).includes(user.token), 'no credential in the log');
  });
});

describe('LOG_REQUESTS=off and sample:N', () => {
  test('off writes nothing, even for a failure', async () => {
    const w = await startWorker({ vars: { LOG_REQUESTS: 'off' } });
    try {
      const lines = await linesDuring(w, async () => {
        assert.equal(await get(w, '/no/such/route'), 404);
        assert.equal(await get(w, '/healthz'), 200);
      });
      assert.deepEqual(lines, []);
    } finally {
      await w.stop();
    }
  });

  test('sample:1 logs every request; sample:1000000 logs failures and (almost surely) no success', async () => {
    const every = await startWorker({ vars: { LOG_REQUESTS: 'sample:1' } });
    try {
      const lines = await linesDuring(every, async () => {
        for (let i = 0; i < 3; i++) assert.equal(await get(every, '/healthz'), 200);
      });
      assert.equal(lines.length, 3);
    } finally {
      await every.stop();
    }
    const rare = await startWorker({ vars: { LOG_REQUESTS: 'sample:1000000' } });
    try {
      const lines = await linesDuring(rare, async () => {
        for (let i = 0; i < 20; i++) assert.equal(await get(rare, '/healthz'), 200);
        assert.equal(await get(rare, '/no/such/route'), 404);
      });
      // 20 draws at one in a million: a success line here has odds of 2e-5.
      assert.deepEqual(lines.map((l) => l.status), [404]);
    } finally {
      await rare.stop();
    }
  });

  for (const bad of ['sometimes', 'sample:0', 'sample:x', 'sample:2000000']) {
    test(`LOG_REQUESTS=${bad} is a 500 naming the variable`, async () => {
      const w = await startWorker({ vars: { LOG_REQUESTS: bad }, migrate: false });
      try {
        const res = await fetch(`${w.url}/healthz`);
        assert.equal(res.status, 500);
        const body = await res.json();
        assert.equal(body.code, 'misconfigured');
        assert.match(body.error, /LOG_REQUESTS/);
      } finally {
        await w.stop();
      }
    });
  }
});
