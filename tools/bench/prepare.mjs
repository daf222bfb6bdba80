// tools/bench/run helper: registers a device on the freshly started server
// (device flow + the headless browser of the e2e suite), stores one API key
// with a random, clearly fake value, checks that list and reveal answer 200,
// checks that the MCP requests the bench sends (tools/list, tools/call
// list_keys; see MCP_BODIES) answer with a JSON-RPC result, and writes
// {token, key, mcp} as JSON to the file named by argv[3] (mode 600); `mcp` is
// false when the MCP checks failed (the reason is printed), and the run then
// reports those routes as not measured.
//   node tools/bench/prepare.mjs <base-url> <out.json>
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';

import { api, registerDevice } from '../../tests/e2e/lib/api.mjs';

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
writeFileSync(out, JSON.stringify({ token, key, mcp }), { mode: 0o600 });
console.error(`bench: registered ${dev.email}, stored ${key}${mcp ? ', MCP answers' : ''}`);
