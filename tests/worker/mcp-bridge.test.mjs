// Real command-line MCP clients against the worker in Miniflare:
//   - `apilocker mcp` (apilocker 1.1.0's stdio bridge) as a subprocess speaking
//     newline-delimited JSON-RPC on stdin/stdout; it POSTs each line to /v1/mcp
//     with the device's master token from ~/.apilocker/config.json (HOME is a
//     fresh temp dir) and no Accept or MCP-Protocol-Version header;
//   - the MCP Inspector CLI (@modelcontextprotocol/inspector 2.12.0,
//     clients/cli/build/index.js) over Streamable HTTP with `--header
//     "Authorization: Bearer …"`: tools/list and tools/call. Its postinstall
//     (which installs per-client dependencies from source checkouts) does not
//     run under `npm ci --ignore-scripts`; the published CLI is a self-contained
//     bundle and needs none of it.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ROOT, addUser, startWorker } from './harness.mjs';
import { auditRows, fakeSecret, keyName, redact, registerSecret } from './mcp-support.mjs';

const APILOCKER_JS = join(ROOT, 'node_modules', 'apilocker', 'dist', 'index.js');
const INSPECTOR_JS = join(ROOT, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'cli', 'build', 'index.js');

/** @type {import('./harness.mjs').StartedWorker} */
let worker;
let user;
let home;
const stored = { name: keyName('BRIDGE_OPENAI_KEY'), secret: fakeSecret() };

before(async () => {
  worker = await startWorker();
  user = await addUser(worker, `mcp-bridge-${randomBytes(3).toString('hex')}@example.test`);
  registerSecret(user.token);
  const res = await fetch(`${worker.url}/v1/keys`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${user.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: stored.name, provider: 'openai', credential_type: 'api_key', key: stored.secret }),
    signal: AbortSignal.timeout(10_000),
  });
  assert.equal(res.status, 201, 'seed key stored');
  home = mkdtempSync(join(tmpdir(), 'vaultedge-mcp-bridge-'));
  mkdirSync(join(home, '.apilocker'), { mode: 0o700 });
  // The file `apilocker register` writes (dist/api.js saveConfig).
  writeFileSync(join(home, '.apilocker', 'config.json'), JSON.stringify({
    api_url: worker.url, master_token: user.token, user_id: user.userId, email: user.email, device_id: user.deviceId,
  }), { mode: 0o600 });
});
after(async () => {
  await worker?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** A clean environment for a CLI subprocess: our HOME, no proxies, no colour. */
function cliEnv() {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    CI: '1',
    MCP_CATALOG_PATH: join(home, 'inspector-catalog.json'),
  };
}

/**
 * `apilocker mcp` as a line-oriented JSON-RPC peer.
 * @returns {{send: (msg: object) => void, next: (ms?: number) => Promise<any>, rawLines: string[],
 *   close: () => Promise<{code: number|null, stderr: string}>}}
 */
function startBridge() {
  const child = spawn(process.execPath, [APILOCKER_JS, 'mcp'], { cwd: home, env: cliEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  const rawLines = [];
  const waiting = [];
  let buf = '';
  let stderr = '';
  let exited = null;
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  child.stdout.setEncoding('utf8').on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      rawLines.push(line);
      waiting.shift()?.();
    }
  });
  const exitP = new Promise((resolve) => child.on('close', (code) => { exited = code; resolve(code); }));
  let read = 0;
  return {
    rawLines,
    send: (msg) => child.stdin.write(`${JSON.stringify(msg)}\n`),
    async next(ms = 10_000) {
      if (read >= rawLines.length) {
        let timer;
        await Promise.race([
          new Promise((resolve) => waiting.push(resolve)),
          new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(redact(`no reply line within ${ms} ms; stderr: ${stderr.slice(-500)}`))), ms); }),
        ]).finally(() => clearTimeout(timer));
      }
      const line = rawLines[read++];
      let msg;
      assert.doesNotThrow(() => { msg = JSON.parse(line); }, redact(`a line of JSON: ${line.slice(0, 200)}`));
      return msg;
    },
    async close() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = exited ?? await exitP;
      clearTimeout(timer);
      return { code, stderr };
    },
  };
}

describe('apilocker mcp (the CLI stdio bridge)', { timeout: 60_000 }, () => {
  test('initialize, notifications/initialized, tools/list, tools/call list_keys', async () => {
    const b = startBridge();
    try {
      b.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'claude-desktop-like', version: '1.0' } } });
      const init = await b.next();
      assert.equal(init.id, 1, 'initialize reply id');
      assert.ok(!init.error, redact(`initialize: ${JSON.stringify(init.error)}`));
      assert.equal(init.result.protocolVersion, '2025-06-18', 'the offered version is accepted');
      assert.ok(init.result.capabilities?.tools, 'capabilities.tools');
      assert.equal(typeof init.result.serverInfo?.name, 'string', 'serverInfo.name');

      // A notification gets 202 and no body: the bridge writes nothing for it,
      // so the next line on stdout is the tools/list reply.
      b.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      b.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      const list = await b.next();
      assert.equal(list.id, 2, 'the next line answers tools/list (nothing was printed for the notification)');
      assert.ok(!list.error, redact(`tools/list: ${JSON.stringify(list.error)}`));
      const names = list.result.tools.map((t) => t.name);
      for (const n of ['list_keys', 'reveal_key', 'store_key', 'rotate_key', 'run_doctor']) assert.ok(names.includes(n), `tools/list has ${n}`);

      b.send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_keys', arguments: {} } });
      const call = await b.next();
      assert.equal(call.id, 3);
      assert.ok(!call.error, redact(`tools/call: ${JSON.stringify(call.error)}`));
      assert.notEqual(call.result.isError, true, 'list_keys: not an error');
      const keys = call.result.structuredContent?.keys;
      assert.ok(Array.isArray(keys), 'structuredContent.keys');
      assert.ok(keys.some((k) => k.name === stored.name), 'the seeded key is listed');
      assert.ok(!JSON.stringify(call).includes(stored.secret), 'list_keys never carries a value');

      const { code, stderr } = await b.close();
      assert.equal(code, 0, redact(`bridge exit code (stderr: ${stderr.slice(-300)})`));
      // Every stdout line was one JSON-RPC message, one per request (3 requests).
      assert.equal(b.rawLines.length, 3, `3 reply lines, got ${b.rawLines.length}`);
      for (const l of b.rawLines) assert.equal(JSON.parse(l).jsonrpc, '2.0');

      const rows = (await auditRows(worker, user.userId)).filter((r) => r.action === 'mcp.tool_call');
      assert.equal(rows.length, 1, 'one mcp.tool_call audit row');
      assert.match(rows[0].client ?? '', /apilocker/i, 'the audit row names the apilocker bridge as client');
      assert.equal(rows[0].status, 200);
    } finally {
      await b.close().catch(() => {});
    }
  });
});

/**
 * Runs the Inspector CLI to completion.
 * @param {string[]} args after the bearer header
 * @returns {Promise<{code: number|null, stdout: string, stderr: string, timedOut: boolean}>}
 */
function inspector(args, timeoutMs = 30_000) {
  const argv = [INSPECTOR_JS, '--transport', 'http', '--server-url', `${worker.url}/v1/mcp`,
    '--header', `Authorization: Bearer ${user.token}`, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: home, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr, timedOut }); });
  });
}

/** The JSON document the Inspector CLI prints (pretty-printed, one per run). */
function parseOut(r) {
  const where = redact(`exit ${r.code}${r.timedOut ? ' TIMED OUT' : ''}\n--- stdout ---\n${r.stdout.slice(0, 800)}\n--- stderr ---\n${r.stderr.slice(-800)}`);
  assert.equal(r.code, 0, where);
  const start = r.stdout.indexOf('{');
  let doc;
  assert.doesNotThrow(() => { doc = JSON.parse(r.stdout.slice(start)); }, `stdout is JSON\n${where}`);
  return doc;
}

describe('MCP Inspector CLI with a bearer header', { timeout: 90_000 }, () => {
  test('tools/list', async () => {
    const doc = parseOut(await inspector(['--method', 'tools/list']));
    const names = (doc.tools ?? []).map((t) => t.name);
    for (const n of ['list_keys', 'get_key_metadata', 'reveal_key', 'rotate_key', 'delete_key', 'revoke_device']) {
      assert.ok(names.includes(n), `tools/list has ${n} (got ${names.join(', ')})`);
    }
    const rotate = doc.tools.find((t) => t.name === 'rotate_key');
    assert.equal(rotate.annotations?.destructiveHint, true, 'rotate_key destructiveHint');
  });

  test('tools/call list_keys and get_key_metadata', async () => {
    const list = parseOut(await inspector(['--method', 'tools/call', '--tool-name', 'list_keys']));
    assert.notEqual(list.isError, true, 'list_keys not an error');
    assert.ok(list.structuredContent?.keys?.some((k) => k.name === stored.name), 'the seeded key is listed');
    assert.ok(!JSON.stringify(list).includes(stored.secret), 'no value in list_keys');
    const tools = parseOut(await inspector(['--method', 'tools/list'])).tools;
    const props = Object.keys(tools.find((t) => t.name === 'get_key_metadata').inputSchema.properties ?? {});
    const prop = ['key_name', 'name', 'key', 'name_or_id', 'key_or_id', 'identifier'].find((p) => props.includes(p));
    assert.ok(prop, `get_key_metadata takes a key name (properties: ${props.join(', ')})`);
    const meta = parseOut(await inspector(['--method', 'tools/call', '--tool-name', 'get_key_metadata', '--tool-arg', `${prop}=${stored.name}`]));
    assert.notEqual(meta.isError, true, 'get_key_metadata not an error');
    const sc = meta.structuredContent?.key ?? meta.structuredContent;
    assert.equal(sc?.name, stored.name, 'get_key_metadata name');
    assert.equal(sc?.provider, 'openai', 'get_key_metadata provider');
  });

  test('without the header: 401 and a non-zero exit', async () => {
    const r = await new Promise((resolve) => {
      const child = spawn(process.execPath, [INSPECTOR_JS, '--transport', 'http', '--server-url', `${worker.url}/v1/mcp`, '--method', 'tools/list'],
        { cwd: home, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('close', (code) => { clearTimeout(timer); resolve({ code, out }); });
    });
    assert.notEqual(r.code, 0, 'non-zero exit');
    assert.match(r.out, /401|unauthori[sz]ed|auth/i, 'reports the authentication failure');
  });
});
