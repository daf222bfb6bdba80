// The official TypeScript MCP clients against the real worker (js-shim +
// core.wasm in Miniflare, real KV and D1), once per protocol revision:
//   @modelcontextprotocol/sdk 1.32.2   Client + StreamableHTTPClientTransport,
//                                       negotiating 2025-11-25, then 2025-06-18
//   @modelcontextprotocol/client 2.3.1 the v2 client pinned to the stateless
//                                       2026-07-28 revision (server/discover,
//                                       per-request _meta)
// Each run: connect with `Authorization: Bearer <device master token>`, list
// the tools page by page, check every tool's schemas and annotations, call every
// tool in the order a user's agent would, list and get the prompts, then check
// the audit log: one `mcp.tool_call` row per call and no argument value in it.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as TransportV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as ClientV2, StreamableHTTPClientTransport as TransportV2 } from '@modelcontextprotocol/client';

import { addUser, startWorker } from './harness.mjs';
import {
  KEY_REF, MCP_TOOLS, STATELESS, argsFor, assertAuditHasNoSecrets, assertToolError, assertToolOk, assertToolShape,
  auditRows, fakeSecret, firstArray, keyName, keyRef, redact, registerSecret, textOf,
} from './mcp-support.mjs';

/** @type {import('./harness.mjs').StartedWorker} */
let worker;

before(async () => {
  worker = await startWorker();
});
after(async () => {
  await worker?.stop();
});

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * SDK 1.x always offers its latest revision (2025-11-25) in `initialize`; it
 * has no option to offer another. This transport rewrites the offer to
 * `version` on the way out, as a client built for that revision would send it.
 * The server must then answer with the same version (spec: lifecycle,
 * "Version Negotiation"), and the SDK puts it in MCP-Protocol-Version.
 */
class OfferingTransport extends TransportV1 {
  constructor(url, opts, version) {
    super(url, opts);
    this.offer = version;
  }

  async send(message, options) {
    if (message?.method === 'initialize') {
      message = { ...message, params: { ...message.params, protocolVersion: this.offer } };
    }
    return super.send(message, options);
  }
}

/**
 * @typedef {object} Session
 * @property {string} negotiated the protocol revision in use
 * @property {{name: string, version: string} | undefined} serverInfo
 * @property {(cursor?: string) => Promise<any>} listToolsPage one tools/list page
 * @property {() => Promise<void>} primeToolCache lets the SDK cache the outputSchemas it validates against
 * @property {(name: string, args: object) => Promise<any>} call tools/call
 * @property {() => Promise<any>} listPrompts
 * @property {(name: string, args: object) => Promise<any>} getPrompt
 * @property {() => Promise<void>} close
 */

/**
 * SDK 1.32.2, offering `version` (2025-11-25 or 2025-06-18).
 * @returns {Promise<Session>}
 */
async function connectSdkV1(url, token, version, clientName) {
  const transportOpts = { requestInit: { headers: { Authorization: `Bearer ${token}` } } };
  const transport = version === '2025-11-25'
    ? new TransportV1(new URL(`${url}/v1/mcp`), transportOpts)
    : new OfferingTransport(new URL(`${url}/v1/mcp`), transportOpts, version);
  const client = new ClientV1({ name: clientName, version: '1.0.0' }, { capabilities: {} });
  const opts = { timeout: REQUEST_TIMEOUT_MS };
  await client.connect(transport, opts);
  return {
    negotiated: transport.protocolVersion,
    serverInfo: client.getServerVersion(),
    listToolsPage: (cursor) => client.listTools(cursor ? { cursor } : {}, opts),
    primeToolCache: async () => {}, // listToolsPage already fills the 1.x cache
    call: (name, args) => client.callTool({ name, arguments: args }, undefined, opts),
    listPrompts: () => client.listPrompts({}, opts),
    getPrompt: (name, args) => client.getPrompt({ name, arguments: args }, opts),
    close: () => client.close(),
  };
}

/**
 * @modelcontextprotocol/client 2.3.1 pinned to 2026-07-28.
 * @returns {Promise<Session>}
 */
async function connectSdkV2(url, token, clientName) {
  const transport = new TransportV2(new URL(`${url}/v1/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new ClientV2({ name: clientName, version: '2.0.0' }, {
    capabilities: {},
    versionNegotiation: { mode: { pin: STATELESS }, probe: { timeoutMs: REQUEST_TIMEOUT_MS } },
  });
  const opts = { timeout: REQUEST_TIMEOUT_MS };
  await client.connect(transport, opts);
  assert.equal(client.getProtocolEra(), 'modern', 'v2 client: modern era after connect');
  const discover = client.getDiscoverResult();
  assert.ok(discover, 'v2 client: a server/discover result');
  return {
    negotiated: client.getNegotiatedProtocolVersion(),
    serverInfo: client.getServerVersion(),
    discover,
    // An explicit first page (a cursor-less listTools() would aggregate every page).
    listToolsPage: (cursor) => (cursor
      ? client.listTools({ cursor }, opts)
      : client.request({ method: 'tools/list', params: {} }, opts)),
    primeToolCache: async () => {
      await client.listTools(undefined, opts);
    },
    call: (name, args) => client.callTool({ name, arguments: args }, opts),
    listPrompts: () => client.listPrompts(undefined, opts),
    getPrompt: (name, args) => client.getPrompt({ name, arguments: args }, opts),
    close: () => client.close(),
  };
}

/** `sc.key` when the result nests the key object, else `sc`. */
const keyObj = (sc) => (sc?.key && typeof sc.key === 'object' && !Array.isArray(sc.key) ? sc.key : sc);

/**
 * The whole agent workflow through one session. Returns the calls it made, in
 * order, for the audit check.
 * @param {Session} s
 * @param {{userId: string, deviceId: string}} user
 * @param {string} otherDeviceId a second device of the same user, to revoke
 * @param {string[]} secrets collects every secret value used
 */
async function workflow(s, user, otherDeviceId, secrets) {
  // tools/list, page by page.
  const tools = new Map();
  let cursor;
  let pages = 0;
  do {
    const page = await s.listToolsPage(cursor);
    pages += 1;
    assert.ok(pages <= 20, 'tools/list: at most 20 pages (a cursor loop?)');
    assert.ok(Array.isArray(page.tools), 'tools/list: tools array');
    for (const t of page.tools) {
      assert.ok(!tools.has(t.name), `tools/list: ${t.name} listed twice across pages`);
      tools.set(t.name, t);
    }
    if (page.nextCursor !== undefined) assert.equal(typeof page.nextCursor, 'string', 'nextCursor is an opaque string');
    cursor = page.nextCursor;
  } while (cursor);
  for (const name of MCP_TOOLS) assert.ok(tools.has(name), `tools/list: ${name} is listed`);
  for (const name of MCP_TOOLS) assertToolShape(tools.get(name));
  await s.primeToolCache();

  /** @type {Array<{name: string, ok: boolean}>} */
  const calls = [];
  const T = (name) => tools.get(name);
  const call = async (name, args) => {
    const r = await s.call(name, args);
    calls.push({ name, ok: r.isError !== true });
    return r;
  };
  const ok = async (name, args) => assertToolOk(name, await call(name, args));

  const names = (sc) => firstArray(sc, ['keys']).map((k) => k.name);
  const listKeys = async (filter = []) => names(await ok('list_keys', argsFor(T('list_keys'), filter)));

  // store_key ×2
  const secret1 = fakeSecret();
  const secret2 = fakeSecret('rk_test_mcp_');
  secrets.push(secret1, secret2);
  const store = async (name, provider, value, tag) => {
    const sc = keyObj(await ok('store_key', argsFor(T('store_key'), [
      [['name', 'key_name'], name],
      [['provider'], provider],
      [['value', 'key', 'secret', 'api_key', 'key_value'], value],
      [['tags', 'tag'], [tag]],
      [['credential_type'], 'api_key'],
    ])));
    assert.equal(sc.name, name, 'store_key: the stored name');
    assert.equal(typeof sc.id, 'string', 'store_key: an id');
    assert.ok(!JSON.stringify(sc).includes(value), 'store_key: the result does not echo the value');
    return { id: sc.id, name };
  };
  const k1 = await store(keyName('MCP_OPENAI_KEY'), 'openai', secret1, 'mcp-test');
  const k2 = await store(keyName('MCP_STRIPE_KEY'), 'stripe', secret2, 'payments');

  // list_keys, all and filtered
  const all = await listKeys();
  assert.ok(all.includes(k1.name) && all.includes(k2.name), 'list_keys: both keys');
  const props = T('list_keys').inputSchema.properties ?? {};
  assert.ok('provider' in props, 'list_keys: a provider filter');
  assert.deepEqual(await listKeys([[['provider'], 'stripe']]), [k2.name], 'list_keys provider=stripe');
  if ('tag' in props || 'tags' in props) {
    assert.deepEqual(await listKeys([[['tag', 'tags'], 'mcp-test']]), [k1.name], 'list_keys tag=mcp-test');
  } else {
    assert.fail(`list_keys: no tag filter (properties: ${Object.keys(props).join(', ')})`);
  }
  if ('category' in props) {
    const llm = await listKeys([[['category'], 'llm']]);
    assert.ok(llm.includes(k1.name) && !llm.includes(k2.name), 'list_keys category=llm: openai yes, stripe no');
  } else {
    assert.fail(`list_keys: no category filter (properties: ${Object.keys(props).join(', ')})`);
  }

  // get_key_metadata
  const meta = keyObj(await ok('get_key_metadata', argsFor(T('get_key_metadata'), [[KEY_REF, keyRef(k1)]])));
  assert.equal(meta.id, k1.id, 'get_key_metadata: id');
  assert.equal(meta.name, k1.name, 'get_key_metadata: name');
  assert.equal(meta.provider, 'openai', 'get_key_metadata: provider');
  assert.ok(!JSON.stringify(meta).includes(secret1), 'get_key_metadata: no value');

  // reveal_key
  const reveal = await call('reveal_key', argsFor(T('reveal_key'), [[KEY_REF, keyRef(k1)], [['keys', 'names'], [k1.name]]]));
  const rsc = assertToolOk('reveal_key', reveal);
  assert.ok(JSON.stringify(rsc).includes(secret1), 'reveal_key: structuredContent carries the stored value');
  assert.ok(textOf(reveal).includes(secret1), 'reveal_key: the text carries the stored value');

  // rotate_key, then reveal shows the new value only
  const secret1b = fakeSecret();
  secrets.push(secret1b);
  await ok('rotate_key', argsFor(T('rotate_key'), [
    [KEY_REF, keyRef(k1)],
    [['new_value', 'value', 'new_key', 'key', 'secret'], secret1b],
  ]));
  const after1 = JSON.stringify(assertToolOk('reveal_key', await call('reveal_key', argsFor(T('reveal_key'), [[KEY_REF, keyRef(k1)], [['keys', 'names'], [k1.name]]]))));
  assert.ok(after1.includes(secret1b) && !after1.includes(secret1), 'reveal_key after rotate: the new value, not the old');

  // get_activity: the rotation and the tool calls so far
  const act = await ok('get_activity', argsFor(T('get_activity'), [[['limit'], 100]]));
  const logs = firstArray(act, ['logs', 'activity', 'events', 'entries']);
  const actions = logs.map((l) => String(l.action ?? l.event ?? l.type ?? ''));
  assert.ok(logs.some((l) => /rotate/.test(String(l.action ?? l.event ?? '')) && (l.key_id === k1.id || l.key_name === k1.name || JSON.stringify(l).includes(k1.id))),
    `get_activity: a rotation of ${k1.name} (actions: ${[...new Set(actions)].join(', ')})`);
  assert.ok(actions.filter((a) => a === 'mcp.tool_call').length >= calls.length - 1,
    `get_activity: the ${calls.length - 1} earlier tool calls as mcp.tool_call (actions: ${[...new Set(actions)].join(', ')})`);
  assert.ok(!JSON.stringify(act).includes(secret1) && !JSON.stringify(act).includes(secret1b), 'get_activity: no values');

  // pause / resume (a second pause is an error a person can act on)
  await ok('pause_key', argsFor(T('pause_key'), [[KEY_REF, keyRef(k1)]]));
  const paused = keyObj(await ok('get_key_metadata', argsFor(T('get_key_metadata'), [[KEY_REF, keyRef(k1)]])));
  assert.ok(paused.paused_at || paused.paused === true || paused.status === 'paused', 'get_key_metadata after pause: paused');
  assertToolError('pause_key', await call('pause_key', argsFor(T('pause_key'), [[KEY_REF, keyRef(k1)]])), /already paused|paused/i);
  await ok('resume_key', argsFor(T('resume_key'), [[KEY_REF, keyRef(k1)]]));
  const resumed = keyObj(await ok('get_key_metadata', argsFor(T('get_key_metadata'), [[KEY_REF, keyRef(k1)]])));
  assert.ok(!resumed.paused_at && resumed.paused !== true && resumed.status !== 'paused', 'get_key_metadata after resume: not paused');

  // rename_key
  const newName = keyName('MCP_OPENAI_RENAMED');
  const renamed = keyObj(await ok('rename_key', argsFor(T('rename_key'), [
    [KEY_REF, keyRef(k1)],
    [['new_name', 'to', 'name'], newName],
  ])));
  assert.equal(renamed.name ?? renamed.new_name, newName, 'rename_key: the new name');
  const afterRename = await listKeys();
  assert.ok(afterRename.includes(newName) && !afterRename.includes(k1.name), 'list_keys after rename');
  k1.name = newName;

  // store_oauth_credential
  const clientSecret = fakeSecret('gocspx-test-');
  secrets.push(clientSecret);
  const oauthName = keyName('MCP_GOOGLE_OAUTH');
  const oauth = keyObj(await ok('store_oauth_credential', argsFor(T('store_oauth_credential'), [
    [['name', 'key_name'], oauthName],
    [['provider'], 'google-oauth'],
    [['client_id'], `${randomBytes(6).toString('hex')}.apps.googleusercontent.com`],
    [['client_secret'], clientSecret],
    [['token_url'], 'https://oauth2.googleapis.com/token'],
    [['authorize_url'], 'https://accounts.google.com/o/oauth2/v2/auth'],
    [['scopes'], ['openid']],
  ])));
  assert.equal(oauth.name, oauthName, 'store_oauth_credential: name');
  assert.ok(!JSON.stringify(oauth).includes(clientSecret), 'store_oauth_credential: no secret echoed');
  const listed = firstArray(await ok('list_keys', {}), ['keys']).find((k) => k.name === oauthName);
  assert.equal(listed?.credential_type, 'oauth2', 'list_keys: the OAuth credential is oauth2');

  // list_providers
  const providers = JSON.stringify(await ok('list_providers', {}));
  assert.ok(providers.includes('openai') && providers.includes('stripe'), 'list_providers: openai and stripe');

  // run_doctor reports a paused key
  await ok('pause_key', argsFor(T('pause_key'), [[KEY_REF, keyRef(k2)]]));
  const doctor = JSON.stringify(await ok('run_doctor', {}));
  assert.ok(doctor.includes(k2.name) || doctor.includes(k2.id), 'run_doctor: names the paused key');
  assert.ok(!secrets.some((v) => doctor.includes(v)), 'run_doctor: no values');

  // list_devices
  const devs = firstArray(await ok('list_devices', {}), ['devices']);
  const devIds = devs.map((d) => d.id);
  assert.ok(devIds.includes(user.deviceId) && devIds.includes(otherDeviceId), 'list_devices: both devices');
  assert.equal(devs.find((d) => d.id === user.deviceId)?.current, true, 'list_devices: this device is current');

  // delete_key
  await ok('delete_key', argsFor(T('delete_key'), [[KEY_REF, keyRef(k2)]]));
  assert.ok(!(await listKeys()).includes(k2.name), 'list_keys after delete_key');
  assertToolError('get_key_metadata', await call('get_key_metadata', argsFor(T('get_key_metadata'), [[KEY_REF, keyRef(k2)]])), /not found|no key|unknown/i);

  // revoke_device (the other device, never the caller's own)
  await ok('revoke_device', argsFor(T('revoke_device'), [[['device_id', 'id', 'device'], otherDeviceId]]));
  const devs2 = firstArray(await ok('list_devices', {}), ['devices']);
  const other = devs2.find((d) => d.id === otherDeviceId);
  assert.ok(!other || other.revoked_at || other.revoked === true, 'list_devices after revoke_device: gone or revoked');

  return { calls, liveKey: k1.name };
}

/** A second device (with its own master token) for revoke_device. */
async function addDevice(userId) {
  const deviceId = `dev_${randomBytes(16).toString('hex')}`;
  await worker.db.prepare('INSERT INTO devices (id, user_id, name, created_at) VALUES (?1, ?2, ?3, ?4)')
    .bind(deviceId, userId, 'old laptop', Date.now()).run();
  return deviceId;
}

/** Prompts: at least the three workflows, each gettable with its required arguments. */
async function checkPrompts(s, liveKey) {
  const { prompts } = await s.listPrompts();
  assert.ok(Array.isArray(prompts) && prompts.length >= 3, `prompts/list: at least 3 prompts (got ${prompts?.length})`);
  for (const p of prompts) {
    assert.equal(typeof p.description, 'string', `prompt ${p.name}: description`);
    const args = {};
    for (const a of p.arguments ?? []) if (a.required) args[a.name] = a.name.includes('key') ? liveKey : 'x';
    const got = await s.getPrompt(p.name, args);
    assert.ok(Array.isArray(got.messages) && got.messages.length >= 1, `prompts/get ${p.name}: messages`);
    assert.ok(got.messages.every((m) => m.role === 'user' || m.role === 'assistant'), `prompts/get ${p.name}: roles`);
    const text = got.messages.map((m) => m.content?.text ?? '').join(' ');
    assert.ok(text.length >= 40, `prompts/get ${p.name}: a real instruction`);
    for (const a of p.arguments ?? []) {
      if (a.required && a.name.includes('key')) assert.ok(text.includes(liveKey), `prompts/get ${p.name}: uses argument ${a.name}`);
    }
  }
  // A prompt about a key that is not in the vault: a JSON-RPC error naming it.
  const keyed = prompts.find((p) => (p.arguments ?? []).some((a) => a.name === 'key'));
  assert.ok(keyed, 'a prompt that takes a key argument');
  const args = { key: 'NO_SUCH_KEY_X' };
  for (const a of keyed.arguments) if (a.required && a.name !== 'key') args[a.name] = 'x';
  await assert.rejects(s.getPrompt(keyed.name, args), /NO_SUCH_KEY_X/, `prompts/get ${keyed.name} with an unknown key`);
  const blob = JSON.stringify(prompts).toLowerCase();
  assert.ok(/health|doctor|audit/.test(blob), 'a vault health prompt');
  assert.ok(/compromis|leak/.test(blob), 'a compromised-key prompt');
  assert.ok(/proxy|without seeing|without revealing/.test(blob), 'a use-without-seeing prompt');
}

/** One audit row per call: action mcp.tool_call, the tool, the client, the status. */
async function checkAudit(user, calls, secrets) {
  const rows = (await auditRows(worker, user.userId)).filter((r) => r.action === 'mcp.tool_call');
  assert.equal(rows.length, calls.length, `audit_log: ${calls.length} mcp.tool_call rows`);
  calls.forEach((c, i) => {
    const r = rows[i];
    const holdsName = Object.values(r).some((v) => typeof v === 'string' && (v === c.name || v.split(/[\s:=,;/]+/).includes(c.name)));
    assert.ok(holdsName, `audit row ${i}: names tool ${c.name} (row columns: ${Object.keys(r).join(', ')})`);
    assert.equal(typeof r.client, 'string', `audit row ${i}: client`);
    assert.ok(r.client.length > 0, `audit row ${i}: client is not empty`);
    assert.equal(r.actor_kind, 'master', `audit row ${i}: actor_kind`);
    if (c.ok) assert.ok(r.status >= 200 && r.status < 300, `audit row ${i} (${c.name}): 2xx status, got ${r.status}`);
    else assert.ok(r.status >= 400 && r.status < 500, `audit row ${i} (${c.name}): 4xx status, got ${r.status}`);
    assert.equal(typeof r.latency_ms, 'number', `audit row ${i}: latency_ms`);
  });
  await assertAuditHasNoSecrets(worker, secrets);
}

const RUNS = [
  { sdk: '@modelcontextprotocol/sdk 1.32.2', revision: '2025-11-25', connect: (u, n) => connectSdkV1(worker.url, u.token, '2025-11-25', n) },
  { sdk: '@modelcontextprotocol/sdk 1.32.2', revision: '2025-06-18', connect: (u, n) => connectSdkV1(worker.url, u.token, '2025-06-18', n) },
  { sdk: '@modelcontextprotocol/client 2.3.1', revision: STATELESS, connect: (u, n) => connectSdkV2(worker.url, u.token, n) },
];

for (const run of RUNS) {
  describe(`${run.sdk}, revision ${run.revision}`, { timeout: 120_000 }, () => {
    test('connect, list and call every tool, prompts, audit', async (t) => {
      const user = await addUser(worker, `mcp-${run.revision}-${randomBytes(3).toString('hex')}@example.test`);
      registerSecret(user.token);
      const other = await addDevice(user.userId);
      const clientName = `vaultedge-test-${run.revision}`;
      let s;
      try {
        s = await run.connect(user, clientName);
      } catch (e) {
        assert.fail(redact(`connect failed: ${e?.message ?? e}`));
      }
      try {
        assert.equal(s.negotiated, run.revision, 'negotiated protocol revision');
        assert.equal(typeof s.serverInfo?.name, 'string', 'serverInfo.name');
        assert.equal(typeof s.serverInfo?.version, 'string', 'serverInfo.version');
        if (run.revision === STATELESS) {
          assert.ok(s.discover.supportedVersions?.includes(STATELESS), 'server/discover: supportedVersions has 2026-07-28');
          assert.ok(s.discover.capabilities?.tools, 'server/discover: tools capability');
        }
        const secrets = [];
        let calls;
        let liveKey;
        try {
          ({ calls, liveKey } = await workflow(s, user, other, secrets));
        } catch (e) {
          e.message = redact(e.message);
          throw e;
        }
        await checkPrompts(s, liveKey);
        await checkAudit(user, calls, secrets);
        t.diagnostic(`${run.revision}: ${calls.length} tool calls (${new Set(calls.map((c) => c.name)).size} tools), each with its audit row`);
      } finally {
        await s.close().catch(() => {});
      }
    });
  });
}
