// tools/bench/run helper: registers a device on the freshly started server
// (device flow + the headless browser of the e2e suite), stores one API key
// with a random, clearly fake value, checks that list and reveal answer 200,
// and writes {token, key} as JSON to the file named by argv[3] (mode 600).
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
writeFileSync(out, JSON.stringify({ token, key }), { mode: 0o600 });
console.error(`bench: registered ${dev.email}, stored ${key}`);
