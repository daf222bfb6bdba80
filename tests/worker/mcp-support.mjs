// Shared pieces of the MCP integration tests (tests/worker/mcp-*.test.mjs):
// raw JSON-RPC over fetch, the tool catalogue issue 3 promises, arguments built
// from a tool's inputSchema, fake secrets, and audit-log checks.
//
// Nothing here prints a token or a secret value: assertion messages name
// fields and tools, never values.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

const secretsSeen = new Set();

/**
 * Remembers a value that must never be printed (a token, a stored secret):
 * redact() replaces it in every assertion message built here.
 * @param {string} value
 * @returns {string} the value
 */
export function registerSecret(value) {
  secretsSeen.add(value);
  return value;
}

/**
 * `s` with every registered secret replaced by `[redacted]`.
 * @param {string} s
 * @returns {string}
 */
export function redact(s) {
  let out = String(s);
  for (const v of secretsSeen) out = out.split(v).join('[redacted]');
  return out;
}

/** The revisions the server speaks (docs/architecture.md "MCP"). */
export const REVISIONS = Object.freeze(['2025-06-18', '2025-11-25', '2026-07-28']);
/** The stateless revision: no initialize, `_meta` on every request. */
export const STATELESS = '2026-07-28';

/** `_meta` keys of the 2026-07-28 per-request envelope. */
export const META = Object.freeze({
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
});

/** Every tool issue 3 requires, by API Locker's names. */
export const MCP_TOOLS = Object.freeze([
  'list_keys', 'get_key_metadata', 'reveal_key', 'store_key', 'store_oauth_credential',
  'rename_key', 'rotate_key', 'pause_key', 'resume_key', 'delete_key', 'list_providers',
  'get_activity', 'run_doctor', 'list_devices', 'revoke_device',
]);
/** Tools that must carry `destructiveHint: true`. */
export const DESTRUCTIVE_TOOLS = Object.freeze(['rotate_key', 'delete_key', 'revoke_device']);
/** Tools that only read and must carry `readOnlyHint: true`. */
export const READ_ONLY_TOOLS = Object.freeze([
  'list_keys', 'get_key_metadata', 'list_providers', 'get_activity', 'run_doctor', 'list_devices',
]);
/** Tools that change the vault and must not claim `readOnlyHint: true`. */
export const WRITE_TOOLS = Object.freeze([
  'store_key', 'store_oauth_credential', 'rename_key', 'rotate_key', 'pause_key', 'resume_key',
  'delete_key', 'revoke_device',
]);

/**
 * A random, clearly fake secret value, unique per call.
 * @param {string} [prefix]
 * @returns {string}
 */
export function fakeSecret(prefix = 'sk-test-mcp-') {
  return registerSecret(`${prefix}${randomBytes(18).toString('hex')}`);
}

/**
 * A random key name in SCREAMING_SNAKE case.
 * @param {string} stem
 * @returns {string}
 */
export function keyName(stem) {
  return `${stem}_${randomBytes(4).toString('hex').toUpperCase()}`;
}

/**
 * @typedef {object} RpcReply
 * @property {number} status HTTP status
 * @property {Headers} headers response headers
 * @property {string} text the raw body
 * @property {any} json the parsed body, or null when it is not JSON
 */

/**
 * POSTs one body to `${base}/v1/mcp` (or sends `method`) and reads the answer.
 * Headers default to what a well-behaved Streamable HTTP client sends:
 * `Content-Type: application/json`, `Accept: application/json, text/event-stream`
 * and, when `token` is set, `Authorization: Bearer <token>`. A header whose value
 * in `headers` is `null` is left out.
 * @param {string} base worker URL, no trailing slash
 * @param {object} o
 * @param {string} [o.token] bearer token
 * @param {unknown} [o.body] a value to JSON-encode, or a string sent as is
 * @param {Record<string, string|null>} [o.headers] extra or overriding headers
 * @param {string} [o.method] HTTP method (POST)
 * @param {number} [o.timeoutMs] abort after this long (10 s)
 * @returns {Promise<RpcReply>}
 */
export async function mcpPost(base, o = {}) {
  const headers = {
    'Content-Type': 'application/json',
    Accept: 'application/json, text/event-stream',
    ...(o.token ? { Authorization: `Bearer ${o.token}` } : {}),
    ...o.headers,
  };
  for (const [k, v] of Object.entries(headers)) if (v === null) delete headers[k];
  const method = o.method ?? 'POST';
  const res = await fetch(`${base}/v1/mcp`, {
    method,
    headers,
    body: method === 'GET' || method === 'HEAD' || o.body === undefined
      ? undefined
      : typeof o.body === 'string' || o.body instanceof Uint8Array ? o.body : JSON.stringify(o.body),
    signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * The `_meta` envelope a 2026-07-28 request carries.
 * @param {string} [version]
 * @param {string} [clientName]
 * @returns {Record<string, unknown>}
 */
export function statelessMeta(version = STATELESS, clientName = 'vaultedge-raw-test') {
  return {
    [META.protocolVersion]: version,
    [META.clientInfo]: { name: clientName, version: '0.0.1' },
    [META.clientCapabilities]: {},
  };
}

/**
 * Asserts a tools/list entry is complete: description, object inputSchema,
 * object outputSchema, annotations that match the tool's nature.
 * @param {{name: string, description?: string, inputSchema?: any, outputSchema?: any, annotations?: any}} tool
 */
export function assertToolShape(tool) {
  const n = tool.name;
  assert.equal(typeof tool.description, 'string', `${n}: description`);
  assert.ok(tool.description.length >= 20, `${n}: a description a model can choose by (got ${tool.description.length} chars)`);
  assert.equal(tool.inputSchema?.type, 'object', `${n}: inputSchema.type is "object"`);
  assert.equal(tool.outputSchema?.type, 'object', `${n}: outputSchema.type is "object"`);
  assert.equal(typeof tool.annotations, 'object', `${n}: annotations`);
  const a = tool.annotations;
  for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']) {
    if (hint in a) assert.equal(typeof a[hint], 'boolean', `${n}: annotations.${hint} is a boolean`);
  }
  if (DESTRUCTIVE_TOOLS.includes(n)) {
    assert.equal(a.destructiveHint, true, `${n}: destructiveHint true`);
    assert.notEqual(a.readOnlyHint, true, `${n}: not readOnly`);
  }
  if (READ_ONLY_TOOLS.includes(n)) assert.equal(a.readOnlyHint, true, `${n}: readOnlyHint true`);
  if (WRITE_TOOLS.includes(n)) assert.notEqual(a.readOnlyHint, true, `${n}: a write tool must not claim readOnlyHint`);
  if (['store_key', 'store_oauth_credential', 'pause_key', 'resume_key', 'rename_key'].includes(n)) {
    // Adds or reversibly changes; nothing is destroyed.
    assert.notEqual(a.destructiveHint, true, `${n}: destructiveHint is not true`);
  }
}

/**
 * Builds tool arguments from semantic roles, choosing each property name from
 * the tool's own inputSchema (the first candidate it declares and no other role
 * took). Fails, naming the schema's properties, when a required property is
 * left unfilled: the test and the schema disagree and a person must decide.
 * @param {{name: string, inputSchema: any}} tool
 * @param {Array<[string[], unknown]>} roles `[candidate property names, value]`;
 *   a value of `undefined` skips the role
 * @returns {Record<string, unknown>}
 */
export function argsFor(tool, roles) {
  const props = tool.inputSchema?.properties ?? {};
  const used = new Set();
  const args = {};
  for (const [candidates, value] of roles) {
    if (value === undefined) continue;
    const prop = candidates.find((c) => c in props && !used.has(c));
    if (!prop) continue;
    used.add(prop);
    const type = props[prop]?.type;
    // A key reference may be either a name or an id; pick by the property name.
    let v = typeof value === 'function' ? value(prop) : value;
    if (type === 'array' && !Array.isArray(v)) v = [v];
    if (type === 'string' && Array.isArray(v)) v = v[0];
    args[prop] = v;
  }
  const missing = (tool.inputSchema?.required ?? []).filter((r) => !(r in args));
  assert.deepEqual(missing, [], `${tool.name}: required properties the test cannot fill (schema properties: ${Object.keys(props).join(', ')})`);
  return args;
}

/** Candidate property names for "which key". */
export const KEY_REF = ['key_id', 'id', 'key_name', 'name', 'name_or_id', 'key_or_id', 'identifier', 'key'];

/**
 * A key reference value: the id for an `*id` property, else the name.
 * @param {{id: string, name: string}} key
 * @returns {(prop: string) => string}
 */
export function keyRef(key) {
  return (prop) => (/(^|_)id$/.test(prop) ? key.id : key.name);
}

/**
 * Asserts a successful CallToolResult: not isError, an object structuredContent,
 * and a text block carrying the same object (docs/architecture.md "MCP").
 * @param {string} name tool name, for messages
 * @param {any} result
 * @returns {any} structuredContent
 */
export function assertToolOk(name, result) {
  assert.ok(result.isError !== true, redact(`${name}: isError (${textOf(result).slice(0, 300)})`));
  assert.equal(typeof result.structuredContent, 'object', `${name}: structuredContent`);
  assert.ok(result.structuredContent !== null && !Array.isArray(result.structuredContent), `${name}: structuredContent is an object`);
  const texts = (result.content ?? []).filter((c) => c.type === 'text');
  assert.ok(texts.length >= 1, `${name}: a text content block`);
  let parsed;
  assert.doesNotThrow(() => { parsed = JSON.parse(texts[0].text); }, `${name}: the text block is JSON`);
  assert.ok(isDeepStrictEqual(parsed, result.structuredContent), `${name}: the text block is the structuredContent`);
  return result.structuredContent;
}

/**
 * Asserts an isError CallToolResult with a message matching `re`.
 * @param {string} name
 * @param {any} result
 * @param {RegExp} re
 * @returns {string} the message
 */
export function assertToolError(name, result, re) {
  assert.ok(result.isError === true, redact(`${name}: isError expected, got ${JSON.stringify(result).slice(0, 300)}`));
  const text = textOf(result);
  assert.ok(re.test(text), redact(`${name}: error message ${JSON.stringify(text.slice(0, 300))} should match ${re}`));
  return text;
}

/**
 * All text blocks of a CallToolResult, joined.
 * @param {any} result
 * @returns {string}
 */
export function textOf(result) {
  return (result?.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');
}

/**
 * The first array-valued property of an object (e.g. `keys`, `logs`, `devices`).
 * @param {any} obj
 * @param {string[]} [prefer] property names to try first
 * @returns {any[]}
 */
export function firstArray(obj, prefer = []) {
  for (const p of prefer) if (Array.isArray(obj?.[p])) return obj[p];
  const v = Object.values(obj ?? {}).find(Array.isArray);
  assert.ok(v, `an array in ${Object.keys(obj ?? {}).join(', ')}`);
  return v;
}

/**
 * The user's audit rows, oldest first.
 * @param {import('./harness.mjs').StartedWorker} worker
 * @param {string} userId
 * @returns {Promise<Array<Record<string, unknown>>>}
 */
export async function auditRows(worker, userId) {
  const { results } = await worker.db.prepare('SELECT * FROM audit_log WHERE user_id = ?1 ORDER BY id').bind(userId).all();
  return results;
}

/**
 * Asserts no secret value appears anywhere in audit_log (every user, every
 * column). Names the index of the leaked value, never the value.
 * @param {import('./harness.mjs').StartedWorker} worker
 * @param {string[]} secrets
 */
export async function assertAuditHasNoSecrets(worker, secrets) {
  const { results } = await worker.db.prepare('SELECT * FROM audit_log').all();
  const dump = JSON.stringify(results);
  secrets.forEach((s, i) => assert.ok(!dump.includes(s), `audit_log holds secret #${i} (an argument value)`));
}
