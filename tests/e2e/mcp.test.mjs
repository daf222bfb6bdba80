// End-to-end: the real `apilocker` 1.1.0 CLI's MCP stdio bridge (`apilocker
// mcp`) against the running dev server (`tools/dev`, started by tests/e2e/run),
// the way Claude Desktop or Cursor run it: a device registered through the real
// device flow (the headless browser approves it), a key stored with
// `apilocker store`, then newline-delimited JSON-RPC on the bridge's stdin:
// initialize, notifications/initialized, tools/list, tools/call list_keys and
// reveal_key. Every reply is one line of JSON on stdout. Finally the wrangler
// state is scanned: the stored value is nowhere in it, although reveal_key
// returned it through MCP (and audit-logged the call).
//
//   E2E_BASE_URL, E2E_STATE_DIR, E2E_WORK_DIR: see cli.test.mjs

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { registerDevice } from './lib/api.mjs';
import { apilocker, describeRun } from './lib/cli.mjs';
import { scanForLeaks } from './lib/leaks.mjs';

const BASE = process.env.E2E_BASE_URL?.replace(/\/+$/, '');
const STATE_DIR = process.env.E2E_STATE_DIR;
const WORK = process.env.E2E_WORK_DIR ?? mkdtempSync(join(tmpdir(), 've-e2e-mcp-'));
mkdirSync(WORK, { recursive: true });

const RUN = randomBytes(4).toString('hex');
const HOME = join(WORK, 'home-mcp');
const KEY = `E2E_MCP_KEY_${RUN.toUpperCase()}`;
const VALUE = `sk-test-e2e-mcp-${randomBytes(20).toString('hex')}`;

/** Hides the stored value and the master token in failure output. */
let token = '';
const redact = (s) => String(s).split(VALUE).join('[value]').split(token || '\0').join('[token]');

describe('apilocker mcp against tools/dev', { concurrency: false }, () => {
  it('register a device and store a key', { timeout: 90_000 }, async () => {
    assert.ok(BASE, 'E2E_BASE_URL is set (run through tests/e2e/run)');
    const dev = await registerDevice(BASE, { email: `e2e-mcp-${RUN}@example.test`, name: 'e2e-mcp' });
    token = dev.master_token;
    mkdirSync(join(HOME, '.apilocker'), { recursive: true, mode: 0o700 });
    // The config `apilocker register` writes (dist/api.js saveConfig).
    writeFileSync(join(HOME, '.apilocker', 'config.json'), JSON.stringify({
      api_url: BASE, master_token: dev.master_token, user_id: dev.user_id, email: dev.email, device_id: dev.device_id,
    }), { mode: 0o600 });
    const r = await apilocker(['store', '--name', KEY, '--provider', 'openai', '--key', VALUE], { home: HOME });
    assert.equal(r.code, 0, redact(describeRun(r)));
  });

  it('initialize, notification, tools/list, tools/call: one JSON line per reply', { timeout: 60_000 }, async () => {
    assert.ok(token, 'the previous step registered a device');
    const lines = [
      { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'e2e', version: '1' } } },
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_keys', arguments: {} } },
      { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'reveal_key', arguments: { key: KEY } } },
    ].map((m) => JSON.stringify(m)).join('\n');
    // The bridge forwards lines concurrently and drains them when stdin closes;
    // replies are matched by id.
    const r = await apilocker(['mcp'], { home: HOME, input: `${lines}\n`, timeoutMs: 45_000 });
    assert.equal(r.code, 0, redact(describeRun(r)));
    const out = r.rawStdout.split('\n').filter((l) => l.length > 0);
    assert.equal(out.length, 4, redact(`4 reply lines (none for the notification)\n${describeRun(r)}`));
    const byId = new Map();
    for (const l of out) {
      let msg;
      assert.doesNotThrow(() => { msg = JSON.parse(l); }, redact(`one JSON message per line: ${l.slice(0, 200)}`));
      assert.equal(msg.jsonrpc, '2.0');
      assert.ok(!msg.error, redact(`reply ${msg.id} is not an error: ${JSON.stringify(msg.error)}`));
      byId.set(msg.id, msg);
    }
    assert.equal(byId.get(1)?.result?.protocolVersion, '2025-06-18', 'initialize');
    const names = byId.get(2)?.result?.tools?.map((t) => t.name) ?? [];
    for (const n of ['list_keys', 'reveal_key', 'rotate_key', 'run_doctor']) assert.ok(names.includes(n), `tools/list has ${n}`);
    const listed = byId.get(3)?.result?.structuredContent?.keys ?? [];
    assert.ok(listed.some((k) => k.name === KEY), 'list_keys shows the stored key');
    assert.ok(!out[0].includes(VALUE) && !JSON.stringify(byId.get(3)).includes(VALUE), 'list_keys carries no value');
    assert.ok(JSON.stringify(byId.get(4)?.result?.structuredContent ?? {}).includes(VALUE), 'reveal_key returns the stored value');
  });

  it('the wrangler state holds neither the value nor the master token', { timeout: 60_000 }, async () => {
    assert.ok(token, 'a device was registered');
    assert.ok(STATE_DIR && existsSync(STATE_DIR), 'E2E_STATE_DIR is the server state');
    const { files, hits } = scanForLeaks(STATE_DIR, [
      { label: 'api key value stored and revealed through MCP', value: VALUE },
      { label: 'master token used by the MCP bridge', value: token },
    ]);
    assert.ok(files > 0, 'files scanned');
    // Positive control: the key's name (plain metadata in D1) is found, so the
    // scan looks where the server writes.
    const control = scanForLeaks(STATE_DIR, [{ label: 'key name', value: KEY }]);
    assert.ok(control.hits.length > 0, `the key name ${KEY} is nowhere under ${STATE_DIR}: wrong directory?`);
    assert.deepEqual(hits.map((h) => `${h.label} (${h.encoding}) in ${h.file.slice(STATE_DIR.length + 1)} at ${h.offset}`), []);
  });
});
