// End-to-end: the hourly Cron Trigger (wrangler.toml [triggers]) under the
// running dev server. tools/dev starts wrangler with --test-scheduled, so
// GET /__scheduled runs the Worker's `scheduled` handler as the trigger would:
// the core's retention purge (docs/storage.md "Retention") answers and logs
// what it purged.
//
//   E2E_BASE_URL, E2E_SERVER_LOG: see cli.test.mjs

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const BASE = process.env.E2E_BASE_URL?.replace(/\/+$/, '');
const SERVER_LOG = process.env.E2E_SERVER_LOG;

/** The purge log lines in the server log so far, parsed. */
function purgeLines() {
  return readFileSync(SERVER_LOG, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"route":"(scheduled)"'))
    .map((l) => JSON.parse(l.slice(l.indexOf('{'))));
}

test('tools/dev runs the Cron Trigger on GET /__scheduled; the purge logs its counts', { timeout: 60_000 }, async (t) => {
  assert.ok(BASE, 'E2E_BASE_URL is set (run through tests/e2e/run)');
  const before = SERVER_LOG ? purgeLines().length : 0;
  const res = await fetch(`${BASE}/__scheduled?cron=17+*+*+*+*`, { signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  assert.equal(res.status, 200, `wrangler ran the scheduled handler: ${text.slice(0, 200)}`);
  if (!SERVER_LOG) {
    t.diagnostic('E2E_SERVER_LOG not set: the log line is not checked');
    return;
  }
  // wrangler flushes the Worker's console output asynchronously.
  let lines = purgeLines();
  for (let i = 0; i < 50 && lines.length === before; i++) {
    await new Promise((r) => setTimeout(r, 100));
    lines = purgeLines();
  }
  assert.equal(lines.length, before + 1, 'one purge log line for the run');
  const line = lines.at(-1);
  assert.equal(line.status, 200);
  assert.equal(line.cron, '17 * * * *');
  for (const table of ['sessions', 'oauth_tokens', 'oauth_grants', 'scoped_token_credentials', 'rate_limits']) {
    assert.equal(typeof line.purged[table], 'number', `counts rows of ${table}`);
  }
});
