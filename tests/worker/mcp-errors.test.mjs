// Bad input to POST /v1/mcp over raw fetch, against the real worker in
// Miniflare. Each case asserts the HTTP status, the JSON-RPC error code where
// the spec fixes one, and that there is a message a person can act on.
// Sources: MCP 2025-11-25 basic/transports (Streamable HTTP: Origin → 403,
// unsupported MCP-Protocol-Version → 400, notifications → 202 with no body,
// GET without SSE → 405), basic/lifecycle (version negotiation), server/tools
// (unknown tool → -32602; bad arguments → isError result), JSON-RPC 2.0
// (-32700/-32600/-32601), the 2026-07-28 revision (missing `_meta` envelope →
// 400/-32602, header/_meta version mismatch → 400/-32020 HeaderMismatch),
// docs/architecture.md (1 MiB body limit → 413; 401 with WWW-Authenticate: Bearer).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { addUser, startWorker } from './harness.mjs';
import {
  MCP_TOOLS, REVISIONS, STATELESS, argsFor, assertToolError, fakeSecret, mcpPost, redact, registerSecret, statelessMeta,
} from './mcp-support.mjs';

/** @type {import('./harness.mjs').StartedWorker} */
let worker;
/** @type {{userId: string, token: string}} */
let user;

before(async () => {
  worker = await startWorker();
  user = await addUser(worker, `mcp-errors-${randomBytes(3).toString('hex')}@example.test`);
  registerSecret(user.token);
});
after(async () => {
  await worker?.stop();
});

const V = '2025-11-25';

/** A request under 2025-11-25 (the MCP-Protocol-Version header a client sends after initialize). */
function post(body, headers = {}, token = user.token) {
  return mcpPost(worker.url, { token: token ?? undefined, body, headers: { 'MCP-Protocol-Version': V, ...headers } });
}

/**
 * Asserts a JSON-RPC error response: HTTP `status`, `error.code` (when `code`
 * is given), a non-empty `error.message` matching `re`, and the echoed `id`.
 */
function assertRpcError(r, { status, code, re, id }) {
  const where = redact(`HTTP ${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(r.status, status, `HTTP status (${where})`);
  assert.ok(r.json && typeof r.json === 'object' && !Array.isArray(r.json), `a JSON object body (${where})`);
  assert.equal(r.json.jsonrpc, '2.0', `jsonrpc "2.0" (${where})`);
  assert.ok(r.json.error && typeof r.json.error === 'object', `an error member (${where})`);
  if (code !== undefined) assert.equal(r.json.error.code, code, `error.code (${where})`);
  else assert.ok(Number.isInteger(r.json.error.code), `an integer error.code (${where})`);
  assert.equal(typeof r.json.error.message, 'string', `error.message (${where})`);
  assert.ok(r.json.error.message.length >= 8, `a message a person can act on (${where})`);
  if (re) assert.ok(re.test(r.json.error.message), `error.message matches ${re} (${where})`);
  if (id !== undefined) assert.equal(r.json.id, id, `id (${where})`);
  assert.ok(!('result' in r.json), 'no result beside the error');
}

describe('JSON-RPC shape', () => {
  test('unknown method → -32601 naming the method', async () => {
    const r = await post({ jsonrpc: '2.0', id: 7, method: 'vault/explode', params: {} });
    assertRpcError(r, { status: 200, code: -32601, re: /vault\/explode|not found|unknown/i, id: 7 });
  });

  test('malformed JSON → 400, -32700, id null', async () => {
    const r = await post('{"jsonrpc":"2.0","id":1,"method":"tools/list",');
    assertRpcError(r, { status: 400, code: -32700, re: /parse|json/i, id: null });
  });

  test('a batch array → 400, -32600 (batching was removed in 2025-06-18)', async () => {
    for (const v of REVISIONS) {
      const batch = [
        { jsonrpc: '2.0', id: 1, method: 'ping' },
        { jsonrpc: '2.0', id: 2, method: 'tools/list', params: v === STATELESS ? { _meta: statelessMeta() } : {} },
      ];
      const r = await post(batch, { 'MCP-Protocol-Version': v });
      assertRpcError(r, { status: 400, code: -32600, re: /batch|array/i, id: null });
    }
  });

  test('a request without method → 400, -32600', async () => {
    const r = await post({ jsonrpc: '2.0', id: 3, params: {} });
    assertRpcError(r, { status: 400, code: -32600 });
  });

  test('jsonrpc other than "2.0" → 400, -32600', async () => {
    const r = await post({ jsonrpc: '1.0', id: 4, method: 'ping' });
    assertRpcError(r, { status: 400, code: -32600 });
  });

  test('ping → empty result', async () => {
    const r = await post({ jsonrpc: '2.0', id: 'p', method: 'ping' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { jsonrpc: '2.0', id: 'p', result: {} });
  });

  test('a notification → 202 with an empty body', async () => {
    const r = await post({ jsonrpc: '2.0', method: 'notifications/initialized' });
    assert.equal(r.status, 202, redact(`HTTP ${r.status} ${r.text.slice(0, 200)}`));
    assert.equal(r.text, '', 'empty body');
  });
});

describe('tools/call input', () => {
  /** @type {Map<string, any>} */
  let tools;
  before(async () => {
    tools = new Map();
    let cursor;
    for (let i = 0; i < 20; i++) {
      const r = await post({ jsonrpc: '2.0', id: i, method: 'tools/list', params: cursor ? { cursor } : {} });
      assert.equal(r.status, 200, 'tools/list');
      for (const t of r.json.result.tools) tools.set(t.name, t);
      cursor = r.json.result.nextCursor;
      if (!cursor) break;
    }
    for (const n of MCP_TOOLS) assert.ok(tools.has(n), `${n} listed`);
  });

  test('unknown tool → -32602 naming it', async () => {
    const r = await post({ jsonrpc: '2.0', id: 11, method: 'tools/call', params: { name: 'launch_missiles', arguments: {} } });
    assertRpcError(r, { status: 200, code: -32602, re: /launch_missiles/, id: 11 });
  });

  test('wrong argument type → isError result naming the field; nothing written', async () => {
    const store = tools.get('store_key');
    const secret = fakeSecret();
    const name = `MCP_BAD_${randomBytes(3).toString('hex').toUpperCase()}`;
    const good = argsFor(store, [
      [['name', 'key_name'], name],
      [['provider'], 'openai'],
      [['value', 'key', 'secret', 'api_key', 'key_value'], secret],
    ]);
    const field = Object.keys(good).find((k) => good[k] === name);
    assert.ok(field, 'store_key has a name property');
    const r = await post({ jsonrpc: '2.0', id: 12, method: 'tools/call', params: { name: 'store_key', arguments: { ...good, [field]: 12345 } } });
    assert.equal(r.status, 200, redact(r.text.slice(0, 300)));
    assert.equal(r.json.id, 12);
    const msg = assertToolError('store_key', r.json.result, new RegExp(field));
    assert.ok(!msg.includes(secret), 'the message does not echo the value');
    const list = await post({ jsonrpc: '2.0', id: 13, method: 'tools/call', params: { name: 'list_keys', arguments: {} } });
    assert.equal(list.status, 200);
    assert.ok(!list.text.includes(name) && !list.text.includes('12345'), 'no key was stored');
  });

  test('missing required argument → isError result naming it', async () => {
    const meta = tools.get('get_key_metadata');
    const req = meta.inputSchema.required ?? [];
    assert.ok(req.length >= 1, 'get_key_metadata requires a key reference');
    const r = await post({ jsonrpc: '2.0', id: 14, method: 'tools/call', params: { name: 'get_key_metadata', arguments: {} } });
    assert.equal(r.status, 200, redact(r.text.slice(0, 300)));
    assertToolError('get_key_metadata', r.json.result, new RegExp(req[0]));
  });

  test('arguments that are not an object → -32602', async () => {
    const r = await post({ jsonrpc: '2.0', id: 15, method: 'tools/call', params: { name: 'list_keys', arguments: 'all of them' } });
    assertRpcError(r, { status: 200, code: -32602, id: 15 });
  });

  test('an invalid tools/list cursor → -32602', async () => {
    const r = await post({ jsonrpc: '2.0', id: 16, method: 'tools/list', params: { cursor: 'not-a-cursor-we-issued' } });
    assertRpcError(r, { status: 200, code: -32602, re: /cursor/i, id: 16 });
  });
});

describe('HTTP transport checks', () => {
  test('oversized payload (> 1 MiB) → 413', async () => {
    const big = 'x'.repeat(1024 * 1024 + 16);
    const r = await post({ jsonrpc: '2.0', id: 21, method: 'tools/call', params: { name: 'store_key', arguments: { name: 'BIG', provider: 'openai', key: big } } });
    assertRpcError(r, { status: 413, re: /1 MiB|too large|exceeds/i });
  });

  test('wrong Origin → 403; our own origin is allowed', async () => {
    const bad = await post({ jsonrpc: '2.0', id: 22, method: 'ping' }, { Origin: 'https://evil.example' });
    assertRpcError(bad, { status: 403, re: /origin/i });
    const own = await post({ jsonrpc: '2.0', id: 23, method: 'ping' }, { Origin: worker.url });
    assert.equal(own.status, 200, redact(own.text.slice(0, 200)));
  });

  test('unsupported MCP-Protocol-Version → 400 naming the supported ones', async () => {
    for (const v of ['1999-01-01', '2025-03-26', '0.1']) {
      const r = await post({ jsonrpc: '2.0', id: 24, method: 'tools/list' }, { 'MCP-Protocol-Version': v });
      assertRpcError(r, { status: 400, re: /2025-11-25/ });
    }
    // Anything that sorts after 2026-07-28 (a future date, or "banana") reads as
    // a stateless revision, as in the reference SDKs: without the _meta
    // envelope it is refused with 400 and -32602 naming the envelope.
    for (const v of ['2099-01-01', 'banana']) {
      const r = await post({ jsonrpc: '2.0', id: 24, method: 'tools/list' }, { 'MCP-Protocol-Version': v });
      assertRpcError(r, { status: 400, re: new RegExp(`${v}|_meta|supported`) });
    }
  });

  test('initialize offering an unknown version → the server answers with one it speaks', async () => {
    const r = await mcpPost(worker.url, {
      token: user.token,
      body: { jsonrpc: '2.0', id: 25, method: 'initialize', params: { protocolVersion: '2024-01-01', capabilities: {}, clientInfo: { name: 't', version: '1' } } },
    });
    assert.equal(r.status, 200, redact(r.text.slice(0, 200)));
    assert.ok(['2025-06-18', '2025-11-25'].includes(r.json.result?.protocolVersion), `protocolVersion ${r.json.result?.protocolVersion}`);
    for (const v of ['2025-06-18', '2025-11-25']) {
      const same = await mcpPost(worker.url, {
        token: user.token,
        body: { jsonrpc: '2.0', id: 26, method: 'initialize', params: { protocolVersion: v, capabilities: {}, clientInfo: { name: 't', version: '1' } } },
      });
      assert.equal(same.json?.result?.protocolVersion, v, `initialize ${v} → ${v}`);
      assert.equal(typeof same.json.result.serverInfo?.name, 'string', 'serverInfo.name');
      assert.ok(same.json.result.capabilities?.tools, 'capabilities.tools');
    }
  });

  test('wrong Content-Type → 415', async () => {
    const r = await post(JSON.stringify({ jsonrpc: '2.0', id: 27, method: 'ping' }), { 'Content-Type': 'text/plain' });
    assertRpcError(r, { status: 415, re: /content-type|application\/json/i });
  });

  test('Accept without application/json → 406; no Accept at all is fine (the apilocker bridge)', async () => {
    const r = await post({ jsonrpc: '2.0', id: 28, method: 'ping' }, { Accept: 'text/html' });
    assertRpcError(r, { status: 406, re: /accept|application\/json/i });
    const none = await post({ jsonrpc: '2.0', id: 29, method: 'ping' }, { Accept: null });
    assert.equal(none.status, 200);
    assert.match(none.headers.get('content-type') ?? '', /^application\/json/);
  });

  test('no bearer and an invalid bearer → 401 with WWW-Authenticate: Bearer', async () => {
    for (const token of [null, `vk_master_${randomBytes(32).toString('base64url')}`]) {
      const r = await post({ jsonrpc: '2.0', id: 30, method: 'tools/list' }, {}, token);
      assert.equal(r.status, 401, `HTTP ${r.status}`);
      assert.match(r.headers.get('www-authenticate') ?? '', /^Bearer\b/, 'WWW-Authenticate: Bearer');
      const msg = r.json?.error?.message ?? r.json?.error;
      assert.equal(typeof msg, 'string', 'a message');
      assert.ok(msg.length >= 8, 'a message a person can act on');
    }
  });

  test('GET /v1/mcp → 405 with Allow: POST', async () => {
    const r = await mcpPost(worker.url, { token: user.token, method: 'GET', headers: { Accept: 'text/event-stream' } });
    assert.equal(r.status, 405);
    assert.match(r.headers.get('allow') ?? '', /POST/);
  });
});

describe('revision 2026-07-28 (stateless)', () => {
  // The revision's required headers: the version, and the method mirrored in Mcp-Method.
  const hdr = (method) => ({ 'MCP-Protocol-Version': STATELESS, 'Mcp-Method': method });
  const h = hdr('tools/list');

  test('server/discover lists every revision we speak', async () => {
    const r = await post({ jsonrpc: '2.0', id: 31, method: 'server/discover', params: { _meta: statelessMeta() } }, hdr('server/discover'));
    assert.equal(r.status, 200, redact(r.text.slice(0, 300)));
    for (const v of REVISIONS) assert.ok(r.json.result?.supportedVersions?.includes(v), `supportedVersions has ${v}`);
    assert.ok(r.json.result.capabilities?.tools, 'capabilities.tools');
  });

  test('tools/list with a full _meta envelope works', async () => {
    const r = await post({ jsonrpc: '2.0', id: 32, method: 'tools/list', params: { _meta: statelessMeta() } }, h);
    assert.equal(r.status, 200, redact(r.text.slice(0, 300)));
    assert.ok(Array.isArray(r.json.result?.tools) && r.json.result.tools.length > 0, 'tools');
  });

  test('missing _meta → 400, -32602 naming the envelope', async () => {
    const r = await post({ jsonrpc: '2.0', id: 33, method: 'tools/list', params: {} }, h);
    assertRpcError(r, { status: 400, code: -32602, re: /_meta|protocolVersion|envelope/, id: 33 });
  });

  test('_meta without clientCapabilities → 400, -32602', async () => {
    const meta = statelessMeta();
    delete meta['io.modelcontextprotocol/clientCapabilities'];
    const r = await post({ jsonrpc: '2.0', id: 34, method: 'tools/list', params: { _meta: meta } }, h);
    assertRpcError(r, { status: 400, code: -32602, re: /clientCapabilities/, id: 34 });
  });

  test('header and _meta disagree → 400, -32020 (HeaderMismatch)', async () => {
    const r = await post({ jsonrpc: '2.0', id: 35, method: 'tools/list', params: { _meta: statelessMeta() } }, { ...h, 'MCP-Protocol-Version': '2025-11-25' });
    assertRpcError(r, { status: 400, code: -32020, re: /2025-11-25|2026-07-28|mismatch|header/i, id: 35 });
  });

  test('Mcp-Method header and body method disagree → 400, -32020', async () => {
    const r = await post({ jsonrpc: '2.0', id: 36, method: 'tools/list', params: { _meta: statelessMeta() } }, { ...h, 'Mcp-Method': 'tools/call' });
    assertRpcError(r, { status: 400, code: -32020, re: /method|mismatch|header/i, id: 36 });
  });

  test('_meta naming a revision we do not speak → 400, -32022 (UnsupportedProtocolVersion) listing the supported ones', async () => {
    const r = await post({ jsonrpc: '2.0', id: 37, method: 'tools/list', params: { _meta: statelessMeta('2099-01-01') } }, { ...h, 'MCP-Protocol-Version': '2099-01-01' });
    assertRpcError(r, { status: 400, code: -32022, re: /2099-01-01/, id: 37 });
    assert.ok(r.json.error.data?.supported?.includes(STATELESS), 'error.data.supported names 2026-07-28');
  });

  test('a missing Mcp-Method header → 400, -32020', async () => {
    const r = await post({ jsonrpc: '2.0', id: 38, method: 'tools/list', params: { _meta: statelessMeta() } }, { 'MCP-Protocol-Version': STATELESS });
    assertRpcError(r, { status: 400, code: -32020, re: /Mcp-Method/i, id: 38 });
  });

  test('tools/call with _meta, Mcp-Method and Mcp-Name works', async () => {
    const r = await post({ jsonrpc: '2.0', id: 39, method: 'tools/call', params: { name: 'list_keys', arguments: {}, _meta: statelessMeta() } },
      { ...hdr('tools/call'), 'Mcp-Name': 'list_keys' });
    assert.equal(r.status, 200, redact(r.text.slice(0, 300)));
    assert.notEqual(r.json.result?.isError, true);
    assert.ok(Array.isArray(r.json.result?.structuredContent?.keys), 'structuredContent.keys');
  });
});
