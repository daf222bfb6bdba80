// tools/bench/run helper, two steps.
//
// Step 1 (before the first rows):
//   node tools/bench/prepare.mjs <base-url> <out.json>
// registers a device on the freshly started server
// (device flow + the headless browser of the e2e suite), stores one API key
// with a random, clearly fake value, checks that list and reveal answer 200,
// checks that the MCP requests the bench sends (tools/list, tools/call
// list_keys; see MCP_BODIES) answer with a JSON-RPC result, then obtains an
// OAuth access token for the same user through the OAuth 2.1 flow of
// docs/oauth.md done with fetch (tests/e2e/lib/oauth.mjs: discovery, RFC 7591
// registration, sign-in through the development form, GET /oauth/authorize,
// the consent form, POST /oauth/token) and checks that the same tools/call
// answers with it; and writes {token, key, mcp, oauth_token, oauth} as JSON to
// the file named by argv[3] (mode 600). `mcp` / `oauth` are false when those
// checks failed (the reason is printed), and the run then reports those routes
// as not measured.
//
// Step 2 (after the list/reveal/MCP rows, so those still see exactly one key):
//   node tools/bench/prepare.mjs --proxy <base-url> <auth.json> <upstream-url>
// with the master token of step 1 (read from auth.json), stores a second key
// for the proxy rows (provider "custom", auth_header_type "bearer", base_url
// the loopback bench upstream: plain http to 127.0.0.1 is allowed because the
// dev server runs with ENVIRONMENT=development), creates a scoped token
// allowed only that key (POST /v1/tokens), checks that every proxy request the
// bench sends (PROXY_* below: REST with the scoped token and with the master
// token, MCP tools/call proxy_request with the master token) reaches the
// upstream and comes back 200 with its body, and adds {proxy_key,
// proxy_token, proxy_body, proxy_path, proxy_mcp_body, proxy_rest,
// proxy_rest_master, proxy_mcp} to auth.json. A false flag means that row is
// not measured (reason printed).
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

import { api, registerDevice } from '../../tests/e2e/lib/api.mjs';
import { oauthFlow } from '../../tests/e2e/lib/oauth.mjs';

// The proxied request, the same for every proxy row and for upstream_direct
// (tools/bench/run reads these from auth.json). UPSTREAM_MARK is in every
// answer of tools/bench/upstream.mjs.
const PROXY_PATH = '/v1/echo';
const PROXY_BODY = '{"model":"bench","input":"hello"}';
const UPSTREAM_MARK = 'vaultedge-bench-upstream';

if (process.argv[2] === '--proxy') {
  await prepareProxy(...process.argv.slice(3));
  process.exit(0);
}

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: prepare.mjs <base-url> <out.json> | prepare.mjs --proxy <base-url> <auth.json> <upstream-url>');
  process.exit(2);
}

const dev = await registerDevice(base, { email: `bench-${randomBytes(3).toString('hex')}@example.test`, name: 'bench' });
const token = dev.master_token;
const key = 'BENCH_OPENAI_API_KEY';
const stored = await api(base, 'POST', '/v1/keys', {
  token,
  body: { name: key, provider: 'openai', credential_type: 'api_key', key: `sk-test-bench-${randomBytes(20).toString('hex')}` },
});
if (stored.status !== 201 && stored.status !== 200) throw new Error(`POST /v1/keys → ${stored.status} ${stored.text.slice(0, 200)}`);
const list = await api(base, 'GET', '/v1/keys', { token });
if (list.status !== 200) throw new Error(`GET /v1/keys → ${list.status} ${list.text.slice(0, 200)}`);
const reveal = await api(base, 'POST', '/v1/keys/reveal', { token, body: { keys: [key] } });
if (reveal.status !== 200 || reveal.json?.keys?.length !== 1) {
  throw new Error(`POST /v1/keys/reveal → ${reveal.status} ${reveal.text.slice(0, 80)}…`);
}

// The MCP routes, sent exactly as tools/bench/run sends them (wrk.lua adds the
// same headers from BENCH_HEADERS).
const MCP_HEADERS = { 'MCP-Protocol-Version': '2025-11-25', Accept: 'application/json, text/event-stream' };
const MCP_BODIES = {
  tools_list: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
  tools_call: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_keys","arguments":{}}}',
};
let mcp = true;
for (const [what, body] of Object.entries(MCP_BODIES)) {
  const r = await api(base, 'POST', '/v1/mcp', { token, body, headers: MCP_HEADERS });
  const result = r.json?.result;
  const good = r.status === 200 && result && !r.json.error
    && (what === 'tools_list' ? result.tools?.some((t) => t.name === 'list_keys') : result.isError !== true && result.structuredContent?.keys?.length === 1);
  if (!good) {
    console.error(`bench: MCP ${what} → ${r.status} ${r.text.slice(0, 200)}: MCP routes will not be measured`);
    mcp = false;
  }
}

// An OAuth access token for the same user (the browser signs in with the
// device's email), and the same tools/call with it.
let oauthToken = null;
let oauth = false;
try {
  const t = await oauthFlow(base, { email: dev.email, clientName: 'vaultedge-bench' });
  const r = await api(base, 'POST', '/v1/mcp', { token: t.access_token, body: MCP_BODIES.tools_call, headers: MCP_HEADERS });
  const result = r.json?.result;
  if (r.status === 200 && result && !r.json.error && result.isError !== true && result.structuredContent?.keys?.length === 1) {
    oauthToken = t.access_token;
    oauth = true;
  } else {
    console.error(`bench: MCP tools_call with the OAuth access token → ${r.status} ${r.text.slice(0, 200)}: the OAuth route will not be measured`);
  }
} catch (e) {
  console.error(`bench: no OAuth access token (${e.message}): the OAuth route will not be measured`);
}
writeFileSync(out, JSON.stringify({ token, key, mcp, oauth_token: oauthToken, oauth }), { mode: 0o600 });
console.error(`bench: registered ${dev.email}, stored ${key}${mcp ? ', MCP answers' : ''}${oauth ? ', OAuth token works' : ''}`);

/** Step 2: the proxy key, the scoped token, and the checks of the proxy rows. */
async function prepareProxy(base, file, upstream) {
  if (!base || !file || !upstream) {
    console.error('usage: prepare.mjs --proxy <base-url> <auth.json> <upstream-url>');
    process.exit(2);
  }
  const auth = JSON.parse(readFileSync(file, 'utf8'));
  const token = auth.token;
  const name = 'BENCH_PROXY_KEY';
  const stored = await api(base, 'POST', '/v1/keys', {
    token,
    body: {
      name, provider: 'custom', auth_header_type: 'bearer', base_url: upstream,
      credential_type: 'api_key', key: `sk-test-bench-proxy-${randomBytes(20).toString('hex')}`,
    },
  });
  if (stored.status !== 201 && stored.status !== 200) throw new Error(`POST /v1/keys (proxy key) → ${stored.status} ${stored.text.slice(0, 200)}`);
  const keyId = stored.json?.id;
  if (typeof keyId !== 'string') throw new Error(`POST /v1/keys (proxy key): no id in ${stored.text.slice(0, 200)}`);
  const scoped = await api(base, 'POST', '/v1/tokens', { token, body: { name: 'bench-proxy', allowed_keys: [keyId] } });
  const scopedToken = scoped.json?.token;
  if (scoped.status !== 201 || typeof scopedToken !== 'string') {
    throw new Error(`POST /v1/tokens → ${scoped.status} ${scoped.text.slice(0, 200)}`);
  }

  // REST, exactly as tools/bench/run sends it (wrk.lua: Content-Type JSON,
  // bearer, X-Locker-Forward-Path from BENCH_HEADERS).
  const rest = async (t) => {
    const r = await api(base, 'POST', `/v1/proxy/${keyId}`, { token: t, body: PROXY_BODY, headers: { 'X-Locker-Forward-Path': PROXY_PATH } });
    return r.status === 200 && r.text.includes(UPSTREAM_MARK) ? null : `${r.status} ${r.text.slice(0, 200)}`;
  };
  const proxyRest = await rest(scopedToken);
  if (proxyRest) console.error(`bench: POST /v1/proxy/${keyId} with the scoped token → ${proxyRest}: proxy_rest will not be measured`);
  const proxyRestMaster = await rest(token);
  if (proxyRestMaster) console.error(`bench: POST /v1/proxy/${keyId} with the master token → ${proxyRestMaster}: proxy_rest_master will not be measured`);

  // A scoped token must not reach the first key: the token really is scoped
  // (it gets the unknown-key 404, docs/proxy.md).
  const other = await api(base, 'POST', `/v1/proxy/${auth.key}`, { token: scopedToken, body: PROXY_BODY, headers: { 'X-Locker-Forward-Path': PROXY_PATH } });
  if (other.status !== 404) {
    throw new Error(`the scoped token used ${auth.key} (not allowed): ${other.status} ${other.text.slice(0, 200)}`);
  }

  // MCP tools/call proxy_request with the master token, as run sends it.
  const MCP_HEADERS = { 'MCP-Protocol-Version': '2025-11-25', Accept: 'application/json, text/event-stream' };
  const mcpBody = JSON.stringify({
    jsonrpc: '2.0', id: 1, method: 'tools/call',
    params: { name: 'proxy_request', arguments: { key: keyId, method: 'POST', path: PROXY_PATH, headers: { 'content-type': 'application/json' }, body: PROXY_BODY } },
  });
  const m = await api(base, 'POST', '/v1/mcp', { token, body: mcpBody, headers: MCP_HEADERS });
  const sc = m.json?.result?.structuredContent;
  const proxyMcp = m.status === 200 && !m.json.error && m.json.result.isError !== true && sc?.status === 200
    && typeof sc.body === 'string' && sc.body.includes(UPSTREAM_MARK) && m.text.includes('"status":200') && !m.text.includes('"isError":true');
  if (!proxyMcp) console.error(`bench: MCP tools/call proxy_request → ${m.status} ${m.text.slice(0, 300)}: proxy_mcp will not be measured`);

  Object.assign(auth, {
    proxy_key: keyId, proxy_token: scopedToken, proxy_path: PROXY_PATH, proxy_body: PROXY_BODY, proxy_mcp_body: mcpBody,
    proxy_mark: UPSTREAM_MARK, proxy_rest: !proxyRest, proxy_rest_master: !proxyRestMaster, proxy_mcp: proxyMcp,
  });
  writeFileSync(file, JSON.stringify(auth), { mode: 0o600 });
  console.error(`bench: stored ${name} (${keyId}) → ${upstream}, scoped token for it` +
    `${!proxyRest ? ', proxy (scoped) answers' : ''}${!proxyRestMaster ? ', proxy (master) answers' : ''}${proxyMcp ? ', proxy_request answers' : ''}`);
}
