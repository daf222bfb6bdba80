// tools/bench/run helper: registers a device on the freshly started server
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
//   node tools/bench/prepare.mjs <base-url> <out.json>
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';

import { api, registerDevice } from '../../tests/e2e/lib/api.mjs';
import { oauthFlow } from '../../tests/e2e/lib/oauth.mjs';

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: prepare.mjs <base-url> <out.json>');
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
