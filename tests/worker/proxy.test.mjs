// The proxy (docs/proxy.md "The proxy") end to end: the built worker (js-shim
// + core.wasm in Miniflare, real KV and D1, ENVIRONMENT=development so a
// http://127.0.0.1 base_url is allowed) calling a real upstream process on
// 127.0.0.1 (upstream-server.mjs) that records what it received.
//
// Checked on both sides:
//   at the upstream: the key injected as the provider says (bearer, x-api-key,
//     basic, query, custom Authorization; a catalog provider's static headers),
//     the method, path, query and body as sent, and nothing of ours (no
//     vaultedge token anywhere, no Cookie, X-Locker-*, X-Forwarded-*, CF-*,
//     hop-by-hop headers);
//   at the caller: status, headers and body, with every echoed form of the
//     key replaced by [REDACTED] and counted in X-Locker-Redacted;
//   refusals: a clear error and (where the policy refuses up front) no request
//     at the upstream; limits (4 MiB response → 502, 30 s → 504), redirects
//     returned and not followed; one key.proxy audit row per call without
//     query or body; per-token rate limits (429 + Retry-After).
//
// Nothing here prints a key value or a token: messages go through redact().

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { addUser, request, startWorker } from './harness.mjs';
import { assertToolError, assertToolOk, redact, registerSecret } from './mcp-support.mjs';
import { extraForms } from './echo-forms.mjs';
import { HeadlessBrowser } from './oauth-support.mjs';
import { bodyText, everything, headerValues, startUpstream } from './upstream.mjs';

/** @type {import('./harness.mjs').StartedWorker} */
let worker;
/** @type {import('./upstream.mjs').Upstream} */
let upstream;
let alice;

/** The 30 s timeout call, started first and checked in its own test. */
let timeoutCall;
let timeoutPrefix;

const TIMEOUT_MS = 30_000; // docs/proxy.md step 5; no var shortens it

before(async () => {
  [worker, upstream] = await Promise.all([startWorker(), startUpstream()]);
  alice = await addUser(worker, 'alice-proxy@example.com');
  registerSecret(alice.token);
  // Start the one slow call now so it runs alongside the other tests.
  timeoutPrefix = upstream.freshPrefix();
  const key = await storeKey(alice, { base: timeoutPrefix });
  const started = Date.now();
  timeoutCall = proxy(alice, 'GET', `/v1/proxy/${key.id}/_sleep?ms=45000`, { timeoutMs: TIMEOUT_MS + 20_000 })
    .then((r) => ({ ...r, elapsed: Date.now() - started }), (e) => ({ error: e, elapsed: Date.now() - started }));
  await upstream.waitFor(1, { prefix: timeoutPrefix, timeoutMs: 10_000 });
});
after(async () => {
  await Promise.all([worker?.stop(), upstream?.stop()]);
});

/** A key value with characters that JSON, URLs and base64 treat specially. */
function secretValue(tag) {
  return registerSecret(`sk-test-px-${tag}-${randomBytes(9).toString('hex')}/"q"+z`);
}

/**
 * One JSON request to the worker (REST, not through the proxy).
 * @returns {Promise<{status: number, body: any, text: string, headers: Headers}>}
 */
function api(token, method, path, body) {
  return request(worker.url, token, method, path, body);
}

/**
 * A proxy call with fetch (redirects never followed by the test client).
 * @param {{token: string} | string | null} who
 * @param {string} method
 * @param {string} path worker path, e.g. /v1/proxy/key_…/x?y
 * @param {{headers?: Record<string, string>, body?: string | Uint8Array, timeoutMs?: number, base?: string}} [o]
 * @returns {Promise<{status: number, headers: Headers, text: string, body: any, bytes: Buffer}>}
 */
async function proxy(who, method, path, o = {}) {
  const token = typeof who === 'string' ? who : who?.token;
  const res = await fetch(`${o.base ?? worker.url}${path}`, {
    method,
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...o.headers },
    body: o.body,
    redirect: 'manual',
    signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString('utf8');
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status: res.status, headers: res.headers, text, body, bytes };
}

/**
 * A raw HTTP/1.1 request (node:http), for headers fetch() refuses to send
 * (Connection, Keep-Alive, TE, …) and paths it would normalize.
 * @returns {Promise<{status: number, headers: Record<string, string | string[]>, text: string, body: any}>}
 */
function rawRequest(base, method, path, headers, body) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: Number(u.port), method, path, headers, timeout: 15_000, agent: false,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = null;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          parsed = null;
        }
        resolve({ status: res.statusCode, headers: res.headers, text, body: parsed });
      });
    });
    req.on('timeout', () => req.destroy(new Error('raw request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

let keySeq = 0;
/**
 * Stores an api_key whose base_url points at the upstream under `base`.
 * @param {{token: string}} user
 * @param {{provider?: string, auth_header_type?: string, base?: string, value?: string, name?: string, base_url?: string | null}} [o]
 * @returns {Promise<{id: string, name: string, value: string, prefix: string, base_url: string}>}
 */
async function storeKey(user, o = {}) {
  const prefix = o.base ?? upstream.freshPrefix();
  const value = o.value ?? secretValue(o.auth_header_type ?? o.provider ?? 'k');
  const name = o.name ?? `PX_${++keySeq}_${randomBytes(3).toString('hex').toUpperCase()}`;
  const body = { name, provider: o.provider ?? 'custom', key: value };
  const base_url = o.base_url === undefined ? `${upstream.url}${prefix}` : o.base_url;
  if (base_url !== null) body.base_url = base_url;
  if (o.auth_header_type) body.auth_header_type = o.auth_header_type;
  const r = await api(user.token, 'POST', '/v1/keys', body);
  assert.ok(r.status === 201, redact(`store ${name}: ${r.status} ${r.text.slice(0, 300)}`));
  return { id: r.body.id, name, value, prefix, base_url };
}

/** Every form the upstream echoes a value in (upstream-server.mjs /_reflect). */
function echoedForms(v) {
  const b64 = Buffer.from(v).toString('base64');
  const json = JSON.stringify(v).slice(1, -1);
  return [v, json, json.replaceAll('/', '\\/'), b64, b64.replace(/=+$/, ''), Buffer.from(v).toString('base64url'),
    encodeURIComponent(v), encodeURIComponent(v).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())];
}

/** Asserts no form of `value` is in the caller's response (body and every header). */
function assertNoSecret(r, value, what, extraForms = []) {
  const forms = [...echoedForms(value), ...extraForms];
  const heads = [...r.headers.entries()].map(([n, v]) => `${n}: ${v}`).join('\n');
  forms.forEach((f, i) => {
    assert.ok(!r.text.includes(f), `${what}: form #${i} of the key is in the response body`);
    assert.ok(!heads.includes(f), `${what}: form #${i} of the key is in a response header`);
  });
}

/** Asserts a REST error with this status (and code when given). */
function expectError(r, status, what, code) {
  assert.ok(r.status === status, redact(`${what}: expected ${status}, got ${r.status} ${r.text.slice(0, 300)}`));
  assert.equal(typeof r.body?.error, 'string', `${what}: an error message`);
  assert.ok(r.body.error.length >= 10, `${what}: a message a person can act on`);
  if (code) assert.equal(r.body.code, code, redact(`${what}: code (the message: ${r.body.error})`));
}

/** Asserts a 4xx REST error (policy refusals, whose exact status the contract leaves open). */
function expect4xx(r, what) {
  assert.ok(r.status >= 400 && r.status < 500, redact(`${what}: expected a 4xx refusal, got ${r.status} ${r.text.slice(0, 300)}`));
  assert.equal(typeof r.body?.error, 'string', `${what}: an error message`);
}

/**
 * Headers of ours and hop-by-hop ones that must never reach the upstream.
 * `CF-Worker` is the one CF-* header allowed: the platform itself adds it to
 * every subrequest a Worker makes (workerd/Miniflare do too, value
 * `vaultedge.example.com`); the worker cannot remove it.
 */
const NEVER_UPSTREAM = /^(cookie|proxy-authorization|x-locker-.*|x-forwarded-.*|x-real-ip|forwarded|cf-(?!worker$).*|keep-alive|te|trailer|upgrade|proxy-connection|x-hop-.*)$/;

/** Asserts nothing of ours reached the upstream in `req`. */
function assertNothingOfOurs(req, what, tokens) {
  for (const [n] of req.headers) assert.ok(!NEVER_UPSTREAM.test(n), `${what}: header ${n} reached the upstream`);
  const all = everything(req);
  for (const t of tokens) assert.ok(!all.includes(t), `${what}: a vaultedge token reached the upstream`);
  assert.ok(!/vk_(master|scoped|srt|at)_/.test(all), `${what}: something shaped like a vaultedge token reached the upstream`);
}

/** Headers a caller sends that must be dropped (fetch() allows these). */
const CALLER_EXTRAS = {
  Cookie: '__Host-vaultedge_session=abc; other=1',
  'X-Locker-Trace': 'ours',
  'X-Locker-Forward-Path': '/ignored-on-the-path-route',
  'X-Forwarded-For': '203.0.113.9',
  'X-Forwarded-Host': 'evil.example',
  'X-Real-IP': '203.0.113.9',
  Forwarded: 'for=203.0.113.9',
  'CF-Connecting-IP': '203.0.113.9',
  'Proxy-Authorization': 'Basic Zm9vOmJhcg==',
  'X-Custom-Pass': 'kept',
  Accept: 'application/json',
};

describe('self-test: the checks catch what they look for (direct to the upstream, no proxy)', () => {
  test('assertNoSecret, the redaction count and assertNothingOfOurs fail on an unfiltered exchange', async () => {
    const v = secretValue('self');
    const prefix = upstream.freshPrefix();
    const res = await fetch(`${upstream.url}${prefix}/_reflect?from=bearer`, {
      headers: { Authorization: `Bearer ${v}`, Cookie: 'a=b', 'X-Locker-Trace': 'x', 'X-Forwarded-For': '203.0.113.9' },
      signal: AbortSignal.timeout(5_000),
    });
    const r = { text: await res.text(), headers: res.headers };
    assert.throws(() => assertNoSecret(r, v, 'direct'), /direct: form #0 of the key is in the response/);
    assert.equal(Number(res.headers.get('x-reflect-placements')), 14, 'the upstream placed 9 lines and 5 headers');
    assert.equal(r.text.split('\n').filter(Boolean).length, 9);
    const req = (await upstream.requestsUnder(prefix))[0];
    assert.throws(() => assertNothingOfOurs(req, 'direct', [`Bearer ${v}`]), /direct: header (cookie|x-locker-trace|x-forwarded-for) reached/);
    const clean = { ...req, headers: req.headers.filter(([n]) => !NEVER_UPSTREAM.test(n)) };
    assert.throws(() => assertNothingOfOurs(clean, 'direct', [v]), /direct: a vaultedge token reached the upstream/);
  });
});

describe('injection: each style arrives as the provider expects, nothing of ours leaks', () => {
  const styles = [
    // [label, store options, what the upstream must see]
    ['custom bearer', { auth_header_type: 'bearer' }, (v) => ({ authorization: `Bearer ${v}` })],
    ['custom x-api-key', { auth_header_type: 'x-api-key' }, (v) => ({ 'x-api-key': v })],
    ['custom basic', { auth_header_type: 'basic' }, 'basic'],
    ['custom query', { auth_header_type: 'query' }, (v) => ({ query: `api_key=${encodeURIComponent(v)}` })],
    ['custom custom', { auth_header_type: 'custom' }, (v) => ({ authorization: v })],
    ['custom (default: bearer)', {}, (v) => ({ authorization: `Bearer ${v}` })],
    ['openai (catalog, bearer)', { provider: 'openai' }, (v) => ({ authorization: `Bearer ${v}` })],
    ['anthropic (catalog, x-api-key + anthropic-version)', { provider: 'anthropic' },
      (v) => ({ 'x-api-key': v, 'anthropic-version': '2023-06-01' })],
    ['mailgun (catalog, basic api:key)', { provider: 'mailgun' },
      (v) => ({ authorization: `Basic ${Buffer.from(`api:${v}`).toString('base64')}` })],
    ['google-maps (catalog, x-goog-api-key header)', { provider: 'google-maps' }, (v) => ({ 'x-goog-api-key': v })],
    ['openweathermap (catalog, query appid)', { provider: 'openweathermap' }, (v) => ({ query: `appid=${encodeURIComponent(v)}` })],
  ];

  for (const [label, opts, expected] of styles) {
    test(label, async () => {
      const key = await storeKey(alice, opts);
      const list = await api(alice.token, 'GET', `/v1/keys/${key.id}`);
      assert.equal(list.status, 200);
      assert.equal(list.body.base_url ?? list.body.key?.base_url, key.base_url, 'the stored base_url is the loopback upstream');
      const headers = { ...CALLER_EXTRAS };
      // A caller's own copy of the injection header or a static header is replaced.
      if (opts.provider === 'anthropic') Object.assign(headers, { 'x-api-key': 'caller-supplied', 'anthropic-version': '1999-01-01' });
      if (opts.auth_header_type === 'x-api-key') headers['x-api-key'] = 'caller-supplied';
      const r = await proxy(alice, 'GET', `/v1/proxy/${key.id}/v1/things?limit=2&q=a%20b`, { headers });
      assert.ok(r.status === 200, redact(`${label}: status ${r.status} ${r.text.slice(0, 300)}`));
      assertNoSecret(r, key.value, label);

      const got = await upstream.requestsUnder(key.prefix);
      assert.equal(got.length, 1, `${label}: exactly one request at the upstream`);
      const req = got[0];
      assert.equal(req.method, 'GET');
      assert.equal(req.path, `${key.prefix}/v1/things`, `${label}: the path under the base URL`);
      assert.equal(headerValues(req, 'x-custom-pass')[0], 'kept', `${label}: an ordinary caller header is forwarded`);
      assert.equal(headerValues(req, 'accept')[0], 'application/json', `${label}: Accept is forwarded`);
      assert.deepEqual(headerValues(req, 'host'), [new URL(upstream.url).host], `${label}: Host is the upstream's`);
      assertNothingOfOurs(req, label, [alice.token]);

      if (expected === 'basic') {
        // custom basic: Authorization: Basic base64(<value>) or base64(<user>:<value>)
        const auth = headerValues(req, 'authorization');
        assert.equal(auth.length, 1, `${label}: one Authorization header`);
        assert.ok(auth[0].startsWith('Basic '), `${label}: Basic scheme`);
        const decoded = Buffer.from(auth[0].slice(6), 'base64').toString('utf8');
        assert.ok(decoded === key.value || decoded.endsWith(`:${key.value}`) || decoded === `${key.value}:`,
          `${label}: Basic carries the key`);
        assert.equal(req.query, 'limit=2&q=a%20b');
        return;
      }
      const want = expected(key.value);
      for (const [name, value] of Object.entries(want)) {
        if (name === 'query') continue;
        const vals = headerValues(req, name);
        assert.equal(vals.length, 1, `${label}: exactly one ${name} header`);
        assert.ok(vals[0] === value, `${label}: ${name} carries the key as the provider expects`);
      }
      if (want.query) {
        assert.ok(req.query === `limit=2&q=a%20b&${want.query}`, `${label}: the key appended to the query, percent-encoded`);
        assert.equal(headerValues(req, 'authorization').length, 0, `${label}: no Authorization header`);
      } else {
        assert.equal(req.query, 'limit=2&q=a%20b', `${label}: the query as sent`);
      }
      if (!('authorization' in want)) {
        assert.equal(headerValues(req, 'authorization').length, 0, `${label}: no Authorization header (ours is dropped)`);
      }
    });
  }
});

describe('methods, paths, queries and bodies', () => {
  let key;
  before(async () => {
    key = await storeKey(alice, { auth_header_type: 'x-api-key' });
  });

  test('POST /v1/proxy/:keyId with X-Locker-Forward-Path (API Locker contract)', async () => {
    const payload = JSON.stringify({ model: 'm', input: 'hello "world"', n: 1 });
    const r = await proxy(alice, 'POST', `/v1/proxy/${key.id}`, {
      headers: { ...CALLER_EXTRAS, 'X-Locker-Forward-Path': '/v1/items?x=1&y=a%2Fb', 'Content-Type': 'application/json' },
      body: payload,
    });
    assert.ok(r.status === 200, redact(`status ${r.status} ${r.text.slice(0, 300)}`));
    assert.equal(r.body.method, 'POST', 'the upstream answer reaches the caller');
    const req = (await upstream.requestsUnder(key.prefix)).at(-1);
    assert.equal(req.method, 'POST');
    assert.equal(req.path, `${key.prefix}/v1/items`);
    assert.equal(req.query, 'x=1&y=a%2Fb');
    assert.equal(bodyText(req), payload, 'the body as sent');
    assert.equal(headerValues(req, 'content-type')[0], 'application/json');
    assert.ok(headerValues(req, 'x-api-key')[0] === key.value, 'injected');
    assertNothingOfOurs(req, 'POST forward-path', [alice.token]);
    assert.equal(r.headers.get('cache-control'), 'no-store');
  });

  test('the key by name; GET/POST/PUT/PATCH/DELETE/HEAD on /v1/proxy/:keyId/<path>?q', async () => {
    const cases = [
      ['GET', `/v1/proxy/${key.name}/v1/items/7?expand=a,b&z=%E2%9C%93`, undefined, '/v1/items/7', 'expand=a,b&z=%E2%9C%93'],
      ['POST', `/v1/proxy/${key.id}/v1/items`, '{"a":1}', '/v1/items', null],
      ['PUT', `/v1/proxy/${key.id}/v1/items/7?upsert=true`, 'x'.repeat(70_000), '/v1/items/7', 'upsert=true'],
      ['PATCH', `/v1/proxy/${key.id}/v1/items/7`, '{"b":2}', '/v1/items/7', null],
      ['DELETE', `/v1/proxy/${key.id}/v1/items/7?hard=1`, undefined, '/v1/items/7', 'hard=1'],
      ['HEAD', `/v1/proxy/${key.id}/v1/items/7`, undefined, '/v1/items/7', null],
      ['GET', `/v1/proxy/${key.id}/`, undefined, '/', null],
    ];
    for (const [method, path, body, upPath, upQuery] of cases) {
      const before = (await upstream.requestsUnder(key.prefix)).length;
      const r = await proxy(alice, method, path, { body, headers: body ? { 'Content-Type': 'text/plain' } : {} });
      assert.ok(r.status === 200, redact(`${method} ${path}: ${r.status} ${r.text.slice(0, 200)}`));
      const got = await upstream.requestsUnder(key.prefix);
      assert.equal(got.length, before + 1, `${method}: one upstream request`);
      const req = got.at(-1);
      assert.equal(req.method, method);
      assert.equal(req.path, `${key.prefix}${upPath}`, `${method}: path`);
      assert.equal(req.query, upQuery, `${method}: query`);
      assert.equal(req.bodyLength, body ? Buffer.byteLength(body) : 0, `${method}: body length`);
      if (body && body.length < 1000) assert.equal(bodyText(req), body, `${method}: body`);
      assert.ok(headerValues(req, 'x-api-key')[0] === key.value, `${method}: injected`);
      if (method === 'HEAD') assert.equal(r.text, '', 'HEAD: no body');
      else assert.equal(r.body?.method, method, `${method}: the upstream's answer`);
    }
  });

  test('hop-by-hop request headers (raw HTTP/1.1) never reach the upstream', async () => {
    const r = await rawRequest(worker.url, 'GET', `/v1/proxy/${key.id}/v1/hop`, {
      Authorization: `Bearer ${alice.token}`,
      Connection: 'keep-alive, X-Hop-Listed',
      'X-Hop-Listed': 'must-not-pass',
      'Keep-Alive': 'timeout=5',
      TE: 'trailers',
      'Proxy-Connection': 'keep-alive',
      'X-Still-Here': 'yes',
    });
    assert.ok(r.status === 200, redact(`status ${r.status} ${r.text.slice(0, 200)}`));
    const req = (await upstream.requestsUnder(key.prefix)).at(-1);
    assert.equal(req.path, `${key.prefix}/v1/hop`);
    assertNothingOfOurs(req, 'raw hop-by-hop', [alice.token]);
    const conn = headerValues(req, 'connection').join(',').toLowerCase();
    assert.ok(!conn.includes('x-hop-listed'), 'Connection does not carry our listed names');
    assert.equal(headerValues(req, 'x-still-here')[0], 'yes');
  });
});

describe('the answer: status, headers, body; the key redacted in every form', () => {
  const styles = [
    ['bearer', { auth_header_type: 'bearer' }, 'bearer'],
    ['x-api-key', { auth_header_type: 'x-api-key' }, 'header:x-api-key'],
    ['basic', { auth_header_type: 'basic' }, 'basic'],
    ['query', { auth_header_type: 'query' }, 'query:api_key'],
    ['custom', { auth_header_type: 'custom' }, 'auth'],
    ['anthropic', { provider: 'anthropic' }, 'header:x-api-key'],
    ['mailgun (basic api:key)', { provider: 'mailgun' }, 'basic'],
  ];
  for (const [label, opts, from] of styles) {
    test(`echoed key is [REDACTED] (${label})`, async () => {
      const key = await storeKey(alice, opts);
      const r = await proxy(alice, 'GET', `/v1/proxy/${key.id}/_reflect?from=${encodeURIComponent(from)}`);
      assert.ok(r.status === 200, redact(`${label}: status ${r.status} ${r.text.slice(0, 300)}`));
      const extra = opts.provider === 'mailgun' ? [Buffer.from(`api:${key.value}`).toString('base64')] : [];
      assertNoSecret(r, key.value, label, extra);
      const placements = Number(r.headers.get('x-reflect-placements'));
      assert.ok(placements >= 13, 'the upstream placed every form (x-reflect-placements passes through)');
      const inBody = r.text.split('[REDACTED]').length - 1;
      const inHeaders = [...r.headers.entries()]
        .reduce((n, [, v]) => n + v.split('[REDACTED]').length - 1, 0);
      assert.equal(inBody + inHeaders, placements, `${label}: each placed occurrence became one [REDACTED]`);
      assert.equal(r.headers.get('x-locker-redacted'), String(placements), `${label}: X-Locker-Redacted counts them`);
      for (const line of r.text.trim().split('\n')) assert.match(line, /\[REDACTED\]/, `${label}: every echoed line redacted`);
    });
  }

  test('a gzip-encoded echo is decoded and redacted (the upstream\'s Content-Encoding is not forwarded)', async () => {
    const key = await storeKey(alice, { auth_header_type: 'bearer' });
    // fetch() would advertise Accept-Encoding, and workerd then gzips every
    // answer itself (transport compression, also for plain upstream bodies);
    // a raw request without Accept-Encoding shows what the worker returns.
    const r = await rawRequest(worker.url, 'GET', `/v1/proxy/${key.id}/_reflect?from=bearer&gzip=1`, {
      Authorization: `Bearer ${alice.token}`,
    });
    assert.ok(r.status === 200, redact(`status ${r.status}`));
    const asFetch = { text: r.text, headers: new Headers(Object.entries(r.headers).map(([n, v]) => [n, String(v)])) };
    assertNoSecret(asFetch, key.value, 'gzip');
    assert.equal(r.headers['content-encoding'], undefined, 'Content-Encoding dropped');
    assert.match(r.text, /^raw: \[REDACTED\]\n/, 'the caller gets the decoded, redacted text');
    assert.equal(Number(r.headers['x-locker-redacted']), Number(r.headers['x-reflect-placements']), 'X-Locker-Redacted');
  });

  test('nothing to redact: no X-Locker-Redacted; upstream status passes through', async () => {
    const key = await storeKey(alice, { auth_header_type: 'bearer' });
    let r = await proxy(alice, 'GET', `/v1/proxy/${key.id}/plain`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-locker-redacted'), null, 'no X-Locker-Redacted when nothing was scrubbed');
    assert.equal(r.headers.get('x-upstream'), 'vaultedge-test', 'upstream headers pass');
    assert.equal(r.headers.get('content-type'), 'application/json');
    for (const code of [201, 204, 400, 404, 418, 429, 500, 503]) {
      r = await proxy(alice, 'GET', `/v1/proxy/${key.id}/_status?code=${code}`);
      assert.equal(r.status, code, `upstream ${code} returned as is`);
      if (code !== 204) assert.equal(r.body?.status, code, `upstream ${code} body`);
      assert.equal(r.headers.get('x-upstream-status'), String(code));
    }
  });

  test('Set-Cookie, hop-by-hop and spoofed X-Locker-* response headers are dropped', async () => {
    const key = await storeKey(alice, { auth_header_type: 'bearer' });
    let r = await proxy(alice, 'GET', `/v1/proxy/${key.id}/_cookie`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('set-cookie'), null, 'no Set-Cookie');
    assert.deepEqual(r.headers.getSetCookie(), []);
    assert.equal(r.body?.cookies, 'set');
    r = await proxy(alice, 'GET', `/v1/proxy/${key.id}/_hop`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('x-upstream-ok'), 'yes');
    assert.equal(r.headers.get('x-hop-custom'), null, 'a header the upstream listed in Connection is dropped');
    assert.equal(r.headers.get('trailer'), null, 'Trailer dropped');
    assert.notEqual(r.headers.get('keep-alive'), 'timeout=7', "the upstream's Keep-Alive is dropped");
    assert.equal(r.headers.get('x-locker-redacted'), null, 'an upstream cannot spoof X-Locker-Redacted');
  });

  test('a redirect is returned as is (Location scrubbed) and never followed', async () => {
    const key = await storeKey(alice, { auth_header_type: 'bearer' });
    const otherBefore = (await upstream.requests()).filter((q) => q.listener === 'other').length;
    for (const code of [301, 302, 303, 307, 308]) {
      const r = await proxy(alice, 'GET', `/v1/proxy/${key.id}/_redirect?from=bearer&code=${code}`);
      assert.equal(r.status, code, `${code} returned as is`);
      const loc = r.headers.get('location') ?? '';
      assert.ok(loc.startsWith(`${upstream.otherUrl}/landing?k=`), `${code}: Location kept (pointing at the other host)`);
      assert.ok(loc.endsWith('[REDACTED]'), `${code}: the key in Location is redacted`);
      assertNoSecret(r, key.value, `redirect ${code}`);
      assert.ok(Number(r.headers.get('x-locker-redacted')) >= 1, `${code}: counted`);
    }
    await new Promise((res) => setTimeout(res, 300));
    const other = (await upstream.requests()).filter((q) => q.listener === 'other').length;
    assert.equal(other, otherBefore, 'the other host received nothing: no redirect was followed');
    assert.equal((await upstream.requestsUnder(key.prefix)).length, 5, 'one upstream request per call');
  });
});

describe('refusals', () => {
  let key;
  before(async () => {
    key = await storeKey(alice, { auth_header_type: 'bearer' });
  });

  /** Runs `fn` and asserts neither upstream listener received anything meanwhile. */
  async function nothingForwarded(what, fn) {
    const before = await upstream.count();
    const r = await fn();
    assert.equal(await upstream.count(), before, `${what}: nothing reached the upstream`);
    return r;
  }

  test('forward paths that try to leave the base URL: 4xx, nothing forwarded', async () => {
    const bad = [
      '//evil.example/x', '//127.0.0.1/x', '/../x', '/a/../../x', '/..', '/%2e%2e/x', '/%2E%2E/x', '/.%2e/x',
      '/%2e%2E%2fx', '/a/..%2f..%2fx', '/a/%2e%2e%2f%2e%2e%2fx', '@evil.example/x', 'evil.example/x',
      'x', '/x\\y', '\\\\evil.example\\x', '/x#frag', 'http://evil.example/x',
      `@127.0.0.1:${new URL(upstream.otherUrl).port}/x`,
      // path parameters: Tomcat and Spring resolve '..;' and '.;x' as dot segments
      '/a/..;/x', '/a/..;jsessionid=1/x', '/.;/x', '/a/%2e%2e;/x',
    ];
    for (const p of bad) {
      const r = await nothingForwarded(`forward path ${JSON.stringify(p)}`, () => proxy(alice, 'POST', `/v1/proxy/${key.id}`, {
        headers: { 'X-Locker-Forward-Path': p },
      }));
      expect4xx(r, `forward path ${JSON.stringify(p)}`);
    }
    const missing = await nothingForwarded('no forward path', () => proxy(alice, 'POST', `/v1/proxy/${key.id}`));
    expectError(missing, 400, 'POST without X-Locker-Forward-Path');
  });

  test('path-route forms (raw, not normalized by the client): 4xx, nothing forwarded', async () => {
    const bad = [
      `/v1/proxy/${key.id}//evil.example/x`,
      `/v1/proxy/${key.id}/%2e%2e/x`,
      `/v1/proxy/${key.id}/a/%2E%2E/%2E%2E/x`,
      `/v1/proxy/${key.id}/a/..%2f..%2fx`,
      `/v1/proxy/${key.id}/a%2f%2e%2e%2f%2e%2e%2fx`,
      `/v1/proxy/${key.id}/.%2e/x`,
    ];
    for (const p of bad) {
      const r = await nothingForwarded(`raw path ${p}`, () => rawRequest(worker.url, 'GET', p, { Authorization: `Bearer ${alice.token}` }));
      expect4xx(r, `raw path ${p.replace(key.id, ':id')}`);
    }
  });

  test('paused key → 409 key_paused; no base_url → 400 no_base_url; oauth2 → 400; unknown → 404; no token → 401', async () => {
    const paused = await storeKey(alice, { auth_header_type: 'bearer' });
    assert.equal((await api(alice.token, 'POST', `/v1/keys/${paused.id}/pause`)).status, 200);
    let r = await nothingForwarded('paused', () => proxy(alice, 'GET', `/v1/proxy/${paused.id}/x`));
    expectError(r, 409, 'paused key', 'key_paused');
    assertNoSecret(r, paused.value, 'paused refusal');
    assert.equal((await api(alice.token, 'POST', `/v1/keys/${paused.id}/resume`)).status, 200);
    r = await proxy(alice, 'GET', `/v1/proxy/${paused.id}/x`);
    assert.equal(r.status, 200, 'resumed key works again');

    const bare = await storeKey(alice, { provider: 'custom', base_url: null });
    r = await nothingForwarded('no base_url', () => proxy(alice, 'POST', `/v1/proxy/${bare.id}`, { headers: { 'X-Locker-Forward-Path': '/x' } }));
    expectError(r, 400, 'key without base_url', 'no_base_url');

    const oauthName = `PX_OAUTH_${randomBytes(3).toString('hex').toUpperCase()}`;
    const oauth = await api(alice.token, 'POST', '/v1/keys', {
      name: oauthName, provider: 'custom', credential_type: 'oauth2', client_id: 'cid',
      client_secret: registerSecret(`cs-test-${randomBytes(8).toString('hex')}`), base_url: `${upstream.url}${upstream.freshPrefix()}`,
    });
    assert.equal(oauth.status, 201, redact(oauth.text));
    r = await nothingForwarded('oauth2', () => proxy(alice, 'GET', `/v1/proxy/${oauth.body.id}/x`));
    expectError(r, 400, 'an oauth2 credential');

    r = await nothingForwarded('unknown', () => proxy(alice, 'GET', '/v1/proxy/key_00000000000000000000000000000000/x'));
    expectError(r, 404, 'unknown key');
    r = await nothingForwarded('anonymous', () => proxy(null, 'GET', `/v1/proxy/${key.id}/x`));
    expectError(r, 401, 'no Authorization');
    const bob = await addUser(worker, 'bob-proxy@example.com');
    registerSecret(bob.token);
    r = await nothingForwarded("another user's key", () => proxy(bob, 'GET', `/v1/proxy/${key.id}/x`));
    expectError(r, 404, "another user's key");
  });

  test('a request body over 1 MiB → 413, nothing forwarded', async () => {
    const r = await nothingForwarded('big body', () => proxy(alice, 'POST', `/v1/proxy/${key.id}/upload`, {
      body: Buffer.alloc(1024 * 1024 + 1, 0x62), headers: { 'Content-Type': 'application/octet-stream' },
    }));
    expectError(r, 413, 'body over 1 MiB');
  });

  test('scoped token: its allowed key works, another key is the same 404 as an unknown one', async () => {
    const other = await storeKey(alice, { auth_header_type: 'bearer' });
    const created = await api(alice.token, 'POST', '/v1/tokens', { name: 'proxy-app', allowed_keys: [key.id] });
    assert.equal(created.status, 201, 'create a scoped token (404: core.wasm predates worker/tokens)');
    const scoped = registerSecret(created.body.token);
    let r = await proxy(scoped, 'GET', `/v1/proxy/${key.id}/scoped/ok`);
    assert.ok(r.status === 200, redact(`allowed key: ${r.status} ${r.text.slice(0, 200)}`));
    const req = (await upstream.requestsUnder(key.prefix)).at(-1);
    assert.equal(req.path, `${key.prefix}/scoped/ok`);
    assertNothingOfOurs(req, 'scoped', [scoped, alice.token]);
    // Nothing tells a key the token may not use from one that does not exist.
    r = await nothingForwarded('not allowed', () => proxy(scoped, 'GET', `/v1/proxy/${other.id}/x`));
    expectError(r, 404, 'a key outside allowed_keys', 'not_found');
    const unknown = await proxy(scoped, 'GET', '/v1/proxy/key_00000000000000000000000000000000/x');
    expectError(unknown, 404, 'an unknown key, same token', 'not_found');
    assert.equal(r.body.error.replace(other.id, 'REF'), unknown.body.error.replace('key_00000000000000000000000000000000', 'REF'),
      'the same message as for a key that does not exist');
    r = await nothingForwarded('not allowed by name', () => proxy(scoped, 'POST', `/v1/proxy/${other.name}`, { headers: { 'X-Locker-Forward-Path': '/x' } }));
    expectError(r, 404, 'a key outside allowed_keys, by name', 'not_found');
    assertNoSecret(r, other.value, 'not-allowed refusal');
    const { results: rows } = await worker.db.prepare(
      "SELECT status, detail FROM audit_log WHERE action = 'key.proxy' AND key_id = ?1",
    ).bind(other.id).all();
    assert.equal(rows.length, 2, 'both refusals audited');
    for (const row of rows) assert.match(row.detail, /403 key_not_allowed$/, "the owner's audit row says why");
  });
});

describe('destination policy: private, loopback and plain-http base URLs', () => {
  const hosts = [
    'http://10.0.0.1', 'https://10.0.0.1', 'https://192.168.1.1', 'https://172.16.0.1', 'https://[::1]',
    'https://127.1', 'https://127.0.0.1', 'https://0x7f.0.0.1', 'https://2130706433', 'https://[::ffff:10.0.0.1]',
    'https://[::ffff:127.0.0.1]', 'https://localhost', 'https://api.localhost', 'https://169.254.169.254',
    'https://100.64.0.1', 'https://0.0.0.0', 'https://224.0.0.1', 'https://255.255.255.255', 'https://[fc00::1]',
    'https://[fe80::1]', 'http://api.example.invalid', 'https://user:pw@api.example.invalid',
  ];
  /** The base URLs the API stored as given (it should store none of them). */
  const via = { api: [] };

  /** Stores a key with `base_url` through the API, or (when the API refuses it, as it should) rewrites one in D1. */
  async function keyWithBase(w, user, baseUrl) {
    const name = `PX_DEST_${randomBytes(4).toString('hex').toUpperCase()}`;
    const value = secretValue('dest');
    const r = await fetch(`${w.url}/v1/keys`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ name, provider: 'custom', key: value, base_url: baseUrl }),
    });
    const body = await r.json();
    if (r.status === 201) {
      via.api.push(baseUrl);
      return { id: body.id, name, value };
    }
    assert.equal(r.status, 400, `the API either stores ${baseUrl} or refuses it with 400`);
    const r2 = await fetch(`${w.url}/v1/keys`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ name, provider: 'custom', key: value, base_url: 'https://api.example.invalid' }),
    });
    const b2 = await r2.json();
    assert.equal(r2.status, 201);
    const upd = await w.db.prepare('UPDATE keys SET base_url = ?1 WHERE id = ?2').bind(baseUrl, b2.id).run();
    assert.equal(upd.meta.changes, 1);
    return { id: b2.id, name, value };
  }

  test('each is refused with a 4xx before any connection', async () => {
    for (const base of hosts) {
      const key = await keyWithBase(worker, alice, base);
      const before = await upstream.count();
      const started = Date.now();
      const r = await proxy(alice, 'POST', `/v1/proxy/${key.id}`, { headers: { 'X-Locker-Forward-Path': '/x' }, timeoutMs: 10_000 });
      expect4xx(r, `base_url ${base}`);
      assert.ok(Date.now() - started < 5_000, `${base}: refused up front, not after a connection attempt`);
      assert.equal(await upstream.count(), before, `${base}: nothing at the upstream`);
      assertNoSecret(r, key.value, `base_url ${base}`);
    }
    // The API refuses each of them up front (400 naming the rule); the proxy still
    // refuses keys whose base_url was stored before that check existed.
    assert.deepEqual(via.api, [], 'the API refuses every one of these base URLs when the key is stored');
  });

  test('without ENVIRONMENT=development, http://127.0.0.1 is refused (API and proxy)', async () => {
    const prod = await startWorker({ vars: { ENVIRONMENT: 'production' } });
    try {
      const user = await addUser(prod, 'prod-proxy@example.com');
      registerSecret(user.token);
      const prefix = upstream.freshPrefix();
      const stored = await fetch(`${prod.url}/v1/keys`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${user.token}` },
        body: JSON.stringify({ name: 'PROD_LOOP', provider: 'custom', key: secretValue('prod'), base_url: `${upstream.url}${prefix}` }),
      });
      assert.equal(stored.status, 400, 'the API refuses an http://127.0.0.1 base_url outside development');
      for (const base of [`${upstream.url}${prefix}`, `https://127.0.0.1:${new URL(upstream.url).port}${prefix}`]) {
        const key = await keyWithBase(prod, user, base);
        const before = await upstream.count();
        const r = await proxy(user, 'GET', `/v1/proxy/${key.id}/x`, { base: prod.url, timeoutMs: 10_000 });
        expect4xx(r, `production, base_url ${base.replace(/:\d+/, ':<port>')}`);
        assert.equal(await upstream.count(), before, 'nothing at the upstream');
      }
    } finally {
      await prod.stop();
    }
  });
});

describe('what the vault origin serves from elsewhere (security review, issue 10)', () => {
  test('a browser session never reaches the proxy, by any method or site', async () => {
    const email = `carol-proxy-${randomBytes(3).toString('hex')}@example.com`;
    const carol = await addUser(worker, email);
    registerSecret(carol.token);
    const browser = new HeadlessBrowser(worker.url, { email });
    await browser.signIn();
    const key = await storeKey(carol, { auth_header_type: 'bearer' });
    const mine = await browser.request('GET', '/v1/keys', { headers: { Accept: 'application/json' } });
    assert.equal(mine.status, 200, 'the session itself is valid (it lists the keys)');
    const attempts = [
      ['GET', `/v1/proxy/${key.id}/_page`, { 'Sec-Fetch-Site': 'cross-site' }],
      ['GET', `/v1/proxy/${key.id}/_page`, {}],
      ['POST', `/v1/proxy/${key.id}/_page`, { Origin: browser.origin }],
      ['POST', `/v1/proxy/${key.id}`, { Origin: browser.origin, 'X-Locker-Forward-Path': '/_page' }],
    ];
    for (const [method, path, headers] of attempts) {
      const before = await upstream.count();
      const r = await browser.request(method, path, { headers });
      assert.equal(r.status, 401, `${method} ${path.replace(key.id, ':id')} with a session cookie: 401 (got ${r.status})`);
      assert.match(JSON.parse(r.html).error, /bearer token/, 'the message says what the proxy takes');
      assert.equal(await upstream.count(), before, 'nothing reached the upstream');
    }
  });

  test('a proxied HTML page is served sandboxed, as an attachment, without the headers that act on our origin', async () => {
    const key = await storeKey(alice, { auth_header_type: 'bearer' });
    const r = await proxy(alice, 'GET', `/v1/proxy/${key.id}/_page`);
    assert.equal(r.status, 200);
    assert.match(r.text, /<script>/, 'the body is passed on unchanged');
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(r.headers.get('content-security-policy'), "sandbox; default-src 'none'");
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('content-disposition'), 'attachment');
    for (const h of ['service-worker-allowed', 'clear-site-data', 'refresh', 'link', 'access-control-allow-origin',
      'access-control-allow-credentials']) {
      assert.equal(r.headers.get(h), null, `the upstream's ${h} is dropped`);
    }
    assert.equal(r.headers.get('x-upstream-page'), 'yes', 'other upstream headers pass');
  });

  test('an answer in a coding the runtime does not decode (deflate) is refused, not passed on compressed', async () => {
    const key = await storeKey(alice, { auth_header_type: 'bearer' });
    const r = await rawRequest(worker.url, 'GET', `/v1/proxy/${key.id}/_reflect?from=bearer&deflate=1`, {
      Authorization: `Bearer ${alice.token}`, 'Accept-Encoding': 'deflate',
    });
    expectError(r, 502, 'deflate answer', 'upstream_encoding');
    assert.equal(r.headers['content-encoding'], undefined);
    const req = (await upstream.requestsUnder(key.prefix)).at(-1);
    const ae = req.headers.find(([n]) => n === 'accept-encoding')?.[1] ?? '';
    assert.ok(!/deflate/.test(ae), `the caller's Accept-Encoding is not forwarded (upstream saw '${ae}')`);
  });

  test('hex, letter case, \\u escapes, HTML references, UTF-16 and mixed escapes are redacted', async () => {
    const key = await storeKey(alice, { auth_header_type: 'bearer' });
    const r = await proxy(alice, 'GET', `/v1/proxy/${key.id}/_reflect?from=bearer&extra=1`);
    assert.equal(r.status, 200, redact(r.text.slice(0, 200)));
    const forms = extraForms(key.value);
    for (const [label, text] of forms) {
      assert.ok(!r.bytes.includes(Buffer.from(text, label.startsWith('utf16') ? 'latin1' : 'utf8')),
        `form '${label}' of the key is not in the answer`);
      const line = r.bytes.toString('latin1').split('\n').find((l) => l.startsWith(`${label}: `));
      assert.ok(line, `the upstream placed '${label}'`);
      assert.match(line, /\[REDACTED\]/, `'${label}' became a marker`);
    }
    assertNoSecret(r, key.value, 'extra forms');
  });

  test('a status that is not a final HTTP response (101, 999) → 502 upstream_invalid, audited', async () => {
    const key = await storeKey(alice, { auth_header_type: 'bearer' });
    for (const code of [101, 999]) {
      const r = await proxy(alice, 'GET', `/v1/proxy/${key.id}/_status?code=${code}`);
      expectError(r, 502, `upstream status ${code}`, 'upstream_invalid');
      assert.match(r.body.error, new RegExp(String(code)));
    }
    const { results: rows } = await worker.db.prepare(
      "SELECT status, detail FROM audit_log WHERE action = 'key.proxy' AND key_id = ?1",
    ).bind(key.id).all();
    assert.deepEqual(rows.map((x) => x.status), [502, 502], 'audited with our status, never the bogus one');
  });

  test('a value shorter than 8 characters is refused when stored or rotated', async () => {
    const r = await api(alice.token, 'POST', '/v1/keys', { name: `PX_SHORT_${randomBytes(3).toString('hex')}`, provider: 'custom', key: 'x' });
    expectError(r, 400, 'a one-byte key', 'value_too_short');
    assert.match(r.body.error, /key.*8 characters/);
    const key = await storeKey(alice, { auth_header_type: 'bearer' });
    const rot = await api(alice.token, 'POST', `/v1/keys/${key.id}/rotate`, { key: 'abc1234' });
    expectError(rot, 400, 'rotating to 7 bytes', 'value_too_short');
  });
});

describe('limits', () => {
  test('an upstream body over 4 MiB → 502 upstream_too_large (declared or streamed); exactly 4 MiB passes', async () => {
    const key = await storeKey(alice, { auth_header_type: 'bearer' });
    for (const declare of ['1', '0']) {
      const r = await proxy(alice, 'GET', `/v1/proxy/${key.id}/_big?bytes=${5 * 1024 * 1024}&declare=${declare}`, { timeoutMs: 30_000 });
      expectError(r, 502, `5 MiB body (Content-Length ${declare === '1' ? 'declared' : 'absent'})`, 'upstream_too_large');
    }
    const ok = await proxy(alice, 'GET', `/v1/proxy/${key.id}/_big?bytes=${4 * 1024 * 1024}&declare=0`, { timeoutMs: 30_000 });
    assert.equal(ok.status, 200, 'exactly 4 MiB is allowed');
    assert.equal(ok.bytes.length, 4 * 1024 * 1024);
  });

  test(`an upstream slower than ${TIMEOUT_MS / 1000} s → 504 upstream_timeout (one bounded call, started first)`, async () => {
    const r = await timeoutCall;
    assert.ok(!r.error, `the call completed (${r.error?.message})`);
    expectError(r, 504, 'slow upstream', 'upstream_timeout');
    process.stderr.write(`# timeout test: 504 after ${r.elapsed} ms\n`);
    assert.ok(r.elapsed >= TIMEOUT_MS - 1_000 && r.elapsed < TIMEOUT_MS + 10_000, `504 after about 30 s (took ${r.elapsed} ms)`);
    assert.equal((await upstream.requestsUnder(timeoutPrefix)).length, 1, 'called once, not retried');
    const { results: rows } = await worker.db.prepare(
      "SELECT status, detail FROM audit_log WHERE action = 'key.proxy' AND detail LIKE ?1",
    ).bind(`%${timeoutPrefix}%`).all();
    assert.equal(rows.length, 1, 'one audit row for the timed-out call');
    assert.equal(rows[0].status, 504, 'audited with our status');
  });
});

/**
 * An SDK client on `base`/v1/mcp with `Authorization: Bearer <token>`.
 * @returns {Promise<{tools: any[], call: (name: string, args: object) => Promise<any>, close: () => Promise<void>}>}
 */
async function mcpConnect(base, token) {
  const transport = new StreamableHTTPClientTransport(new URL(`${base}/v1/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${token}` } },
  });
  const client = new Client({ name: 'proxy-test', version: '1.0.0' }, { capabilities: {} });
  await client.connect(transport, { timeout: 10_000 });
  const { tools } = await client.listTools({}, { timeout: 10_000 }); // the SDK validates structuredContent against these
  return {
    tools,
    call: (name, args) => client.callTool({ name, arguments: args }, undefined, { timeout: 15_000 }),
    close: () => client.close(),
  };
}

describe('MCP proxy_request', () => {
  test('injects, forwards and redacts like the REST proxy; refusals are isError', async () => {
    const key = await storeKey(alice, { provider: 'anthropic' });
    const s = await mcpConnect(worker.url, alice.token);
    try {
      const tool = s.tools.find((t) => t.name === 'proxy_request');
      assert.ok(tool, 'proxy_request is listed');
      assert.deepEqual(
        ['openWorldHint', 'destructiveHint', 'readOnlyHint', 'idempotentHint'].map((h) => tool.annotations?.[h]),
        [true, true, false, false], 'annotations as docs/proxy.md says',
      );
      assert.deepEqual([...(tool.inputSchema.required ?? [])].sort(), ['key', 'method', 'path']);
      const out = assertToolOk('proxy_request', await s.call('proxy_request', {
        key: key.name, method: 'POST', path: '/_reflect?from=header%3Ax-api-key',
        headers: { 'content-type': 'application/json', 'x-api-key': 'model-supplied', cookie: 'a=b' }, body: '{"q":1}',
      }));
      assert.equal(out.status, 200);
      const placements = Number(out.headers['x-reflect-placements']);
      assert.equal(placements, 14);
      assert.equal(out.redacted, placements, 'redacted counts every occurrence');
      const all = `${out.body}\n${JSON.stringify(out.headers)}`;
      echoedForms(key.value).forEach((f, i) => assert.ok(!all.includes(f) && !JSON.stringify(out).includes(JSON.stringify(f).slice(1, -1)),
        `form #${i} of the key in the tool result`));
      const req = (await upstream.requestsUnder(key.prefix)).at(-1);
      assert.equal(req.method, 'POST');
      assert.equal(bodyText(req), '{"q":1}');
      assert.ok(headerValues(req, 'x-api-key').length === 1 && headerValues(req, 'x-api-key')[0] === key.value, 'the key, not the model\'s value');
      assert.deepEqual(headerValues(req, 'anthropic-version'), ['2023-06-01']);
      assertNothingOfOurs(req, 'MCP proxy_request', [alice.token]);

      const before = await upstream.count();
      assertToolError('proxy_request traversal', await s.call('proxy_request', { key: key.name, method: 'GET', path: '/a/%2e%2e/%2e%2e/x' }),
        /path|base URL/i);
      assertToolError('proxy_request unknown key', await s.call('proxy_request', { key: 'NO_SUCH_KEY', method: 'GET', path: '/x' }),
        /NO_SUCH_KEY|no key/i);
      assert.equal(await upstream.count(), before, 'refusals forwarded nothing');
    } finally {
      await s.close();
    }
  });
});

describe('audit', () => {
  test('one key.proxy row per call, never the query string or a body', async () => {
    const user = await addUser(worker, 'audit-proxy@example.com');
    registerSecret(user.token);
    const key = await storeKey(user, { auth_header_type: 'query' });
    const qmark = `qmark${randomBytes(6).toString('hex')}`;
    const bmark = `bmark${randomBytes(6).toString('hex')}`;
    const calls = [
      ['GET', `/v1/proxy/${key.id}/v1/search?term=${qmark}`, undefined, 200],
      ['POST', `/v1/proxy/${key.id}/v1/create?dry=${qmark}`, `{"secret":"${bmark}"}`, 200],
      ['PUT', `/v1/proxy/${key.id}/_status?code=404&m=${qmark}`, bmark, 404],
      ['POST', `/v1/proxy/${key.id}`, bmark, 400, `/../x?m=${qmark}`],
    ];
    for (const [method, path, body, status, forwardPath] of calls) {
      const r = await proxy(user, method, path, { body, headers: forwardPath ? { 'X-Locker-Forward-Path': forwardPath } : {} });
      assert.ok(r.status === status || (status === 400 && r.status >= 400 && r.status < 500),
        redact(`${method}: ${r.status} ${r.text.slice(0, 200)}`));
    }
    const r = await proxy(user, 'POST', `/v1/proxy/${key.id}`, { headers: { 'X-Locker-Forward-Path': `/v1/fp?m=${qmark}` }, body: bmark });
    assert.equal(r.status, 200);
    const { results: rows } = await worker.db.prepare(
      "SELECT * FROM audit_log WHERE user_id = ?1 AND action = 'key.proxy' ORDER BY id",
    ).bind(user.userId).all();
    assert.equal(rows.length, 5, 'one key.proxy row per call');
    const dump = JSON.stringify(rows);
    assert.ok(!dump.includes(qmark), 'no query string in the audit log');
    assert.ok(!dump.includes(bmark), 'no body in the audit log');
    assert.ok(!dump.includes('?'), 'no "?" at all');
    echoedForms(key.value).forEach((f, i) => assert.ok(!dump.includes(f), `no form #${i} of the key`));
    assert.ok(!dump.includes(user.token), 'no token');
    for (const row of rows) {
      assert.equal(row.key_id, key.id);
      assert.equal(row.key_name, key.name);
      assert.equal(row.actor_kind, 'master');
      assert.equal(typeof row.latency_ms, 'number');
    }
    assert.deepEqual(rows.map((x) => x.status).slice(0, 3), [200, 200, 404], 'the upstream status');
    assert.ok(rows[3].status >= 400 && rows[3].status < 500, 'a refusal: our status');
    assert.equal(rows[4].status, 200);
    const host = new URL(upstream.url).host;
    assert.match(rows[0].detail, new RegExp(`^GET ${host.replace(/\./g, '\\.')}${key.prefix}/v1/search → 200, \\d+ bytes$`));
    assert.match(rows[1].detail, /^POST .*\/v1\/create → 200, \d+ bytes$/);
    assert.match(rows[2].detail, /^PUT .*\/_status → 404, \d+ bytes$/);
    assert.match(rows[4].detail, /^POST .*\/v1\/fp → 200, \d+ bytes$/);
    const k = await worker.db.prepare('SELECT last_used_at FROM keys WHERE id = ?1').bind(key.id).first();
    assert.ok(k.last_used_at > 0, 'keys.last_used_at updated');
    const act = await api(user.token, 'GET', '/v1/activity?limit=50');
    assert.equal(act.body.logs.filter((l) => l.action === 'key.proxy').length, 5, 'visible in GET /v1/activity');
    assert.ok(!act.text.includes(qmark) && !act.text.includes(bmark), 'activity: no query or body');
  });
});

describe('rate limits (RATE_LIMIT_PROXY_PER_TOKEN=3, RATE_LIMIT_REVEAL_PER_TOKEN=3)', () => {
  let limited;
  let user;
  before(async () => {
    limited = await startWorker({ vars: { RATE_LIMIT_PROXY_PER_TOKEN: '3', RATE_LIMIT_REVEAL_PER_TOKEN: '3' } });
    user = await addUser(limited, 'rl-proxy@example.com');
    registerSecret(user.token);
  });
  after(async () => {
    await limited?.stop();
  });

  /** Waits (at most ~12 s) so the next calls fall inside one one-minute window. */
  async function freshWindow() {
    const into = Date.now() % 60_000;
    if (into > 48_000) await new Promise((r) => setTimeout(r, 60_000 - into + 200));
  }

  async function limitedKey() {
    const prefix = upstream.freshPrefix();
    const value = secretValue('rl');
    const r = await fetch(`${limited.url}/v1/keys`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ name: `RL_${randomBytes(3).toString('hex').toUpperCase()}`, provider: 'custom', key: value, base_url: `${upstream.url}${prefix}` }),
    });
    assert.equal(r.status, 201);
    return { id: (await r.json()).id, prefix, value };
  }

  test('proxy: the 4th call in a minute is 429 with Retry-After, and is not forwarded', async () => {
    const key = await limitedKey();
    await freshWindow();
    for (let i = 1; i <= 3; i++) {
      const r = await proxy(user, 'GET', `/v1/proxy/${key.id}/n${i}`, { base: limited.url });
      assert.ok(r.status === 200, redact(`call ${i}: ${r.status} ${r.text.slice(0, 200)}`));
    }
    const r = await proxy(user, 'GET', `/v1/proxy/${key.id}/n4`, { base: limited.url });
    expectError(r, 429, '4th proxy call', 'rate_limited');
    const retry = r.headers.get('retry-after');
    assert.match(retry ?? '', /^\d+$/, 'Retry-After in seconds');
    assert.ok(Number(retry) >= 1 && Number(retry) <= 60, `Retry-After within the window (${retry})`);
    assert.equal((await upstream.requestsUnder(key.prefix)).length, 3, 'the 4th call never reached the upstream');

    // Per credential: a scoped token of the same user has its own budget.
    const created = await fetch(`${limited.url}/v1/tokens`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ name: 'rl-app', allowed_keys: [key.id] }),
    });
    assert.equal(created.status, 201);
    const scoped = registerSecret((await created.json()).token);
    const s = await proxy(scoped, 'GET', `/v1/proxy/${key.id}/other-credential`, { base: limited.url });
    assert.equal(s.status, 200, "another credential is not limited by the first one's count");
  });

  test('reveal: the 4th reveal in a minute is 429 with Retry-After', async () => {
    // A fresh credential with an empty budget: another user's device master token.
    const dev = await addUser(limited, `rl-reveal-${randomBytes(3).toString('hex')}@example.com`);
    registerSecret(dev.token);
    const rk = await fetch(`${limited.url}/v1/keys`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${dev.token}` },
      body: JSON.stringify({ name: 'RL_REVEAL', provider: 'openai', key: secretValue('rlr') }),
    });
    assert.equal(rk.status, 201);
    await freshWindow();
    for (let i = 1; i <= 3; i++) {
      const r = await api2(limited, dev.token, 'POST', '/v1/keys/reveal', { keys: ['RL_REVEAL'] });
      assert.equal(r.status, 200, `reveal ${i}`);
    }
    const r = await api2(limited, dev.token, 'POST', '/v1/keys/reveal', { keys: ['RL_REVEAL'] });
    expectError(r, 429, '4th reveal', 'rate_limited');
    assert.match(r.headers.get('retry-after') ?? '', /^\d+$/, 'Retry-After');
    assert.ok(!r.text.includes('sk-test-px-rlr'), 'no value in the 429');
  });
});

describe('rate limits through MCP', () => {
  test('proxy_request over the per-token limit is an isError result naming the wait; the per-user limit spans credentials', async () => {
    const limited = await startWorker({ vars: { RATE_LIMIT_PROXY_PER_TOKEN: '2', RATE_LIMIT_PROXY_PER_USER: '3' } });
    try {
      const user = await addUser(limited, 'rl-mcp@example.com');
      registerSecret(user.token);
      const prefix = upstream.freshPrefix();
      const stored = await api2(limited, user.token, 'POST', '/v1/keys', {
        name: 'RL_MCP', provider: 'custom', key: secretValue('rlm'), base_url: `${upstream.url}${prefix}`,
      });
      assert.equal(stored.status, 201);
      const into = Date.now() % 60_000;
      if (into > 48_000) await new Promise((r) => setTimeout(r, 60_000 - into + 200));
      const s = await mcpConnect(limited.url, user.token);
      try {
        for (let i = 1; i <= 2; i++) {
          const ok = assertToolOk(`proxy_request ${i}`, await s.call('proxy_request', { key: 'RL_MCP', method: 'GET', path: `/n${i}` }));
          assert.equal(ok.status, 200);
        }
        assertToolError('proxy_request 3', await s.call('proxy_request', { key: 'RL_MCP', method: 'GET', path: '/n3' }),
          /retry in \d+ s|\d+ seconds?/i);
      } finally {
        await s.close();
      }
      assert.equal((await upstream.requestsUnder(prefix)).length, 2, 'the limited call was not forwarded');

      // Per user (3): two credentials of one user share it.
      const u2 = await addUser(limited, 'rl-user@example.com');
      registerSecret(u2.token);
      const p2 = upstream.freshPrefix();
      const k2 = await api2(limited, u2.token, 'POST', '/v1/keys', {
        name: 'RL_USER', provider: 'custom', key: secretValue('rlu'), base_url: `${upstream.url}${p2}`,
      });
      assert.equal(k2.status, 201);
      const t2 = await api2(limited, u2.token, 'POST', '/v1/tokens', { name: 'rl-user-app', allowed_keys: ['RL_USER'] });
      assert.equal(t2.status, 201);
      const scoped = registerSecret(t2.body.token);
      const into2 = Date.now() % 60_000;
      if (into2 > 50_000) await new Promise((r) => setTimeout(r, 60_000 - into2 + 200));
      const statuses = [];
      for (const who of [u2.token, u2.token, scoped]) {
        statuses.push((await proxy(who, 'GET', `/v1/proxy/${k2.body.id}/u`, { base: limited.url })).status);
      }
      assert.deepEqual(statuses, [200, 200, 200], 'three calls within the per-user limit');
      const over = await proxy(scoped, 'GET', `/v1/proxy/${k2.body.id}/u`, { base: limited.url });
      expectError(over, 429, 'the 4th call of the user (2nd of its credential)', 'rate_limited');
      assert.match(over.body.error, /per user/, 'the message says which limit');
      assert.match(over.headers.get('retry-after') ?? '', /^\d+$/);
      assert.equal((await upstream.requestsUnder(p2)).length, 3);
    } finally {
      await limited.stop();
    }
  });
});

/** api() against another worker. */
async function api2(w, token, method, path, body) {
  const res = await fetch(`${w.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let parsed = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}
