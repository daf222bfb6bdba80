// The dashboard's account routes in the built Worker (Miniflare): the CSRF
// header on session JSON calls, the sessions list (user agent, address and
// the edge's country), revoking sessions, the fetch sign-out, and account
// deletion down to the KV blobs. Contract: docs/signin.md "Sessions",
// docs/storage.md "Account deletion".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { addUser, request, startWorker } from './harness.mjs';

const SESSION = '__Host-vaultedge_session';
const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** A signed-in browser tab of the dashboard: the session cookie, and fetch() as the SPA calls the API. */
class Dashboard {
  constructor(base, userAgent = CHROME_LINUX) {
    this.base = base;
    this.userAgent = userAgent;
    this.cookie = '';
  }

  /** Signs in as `email` through the development form. */
  async signIn(email) {
    const form = await fetch(`${this.base}/auth/dev`, { headers: { 'User-Agent': this.userAgent } });
    const html = await form.text();
    const login = form.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = html.match(/name="csrf" value="([^"]*)"/)[1];
    const res = await fetch(`${this.base}/auth/dev`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: login, 'User-Agent': this.userAgent, 'CF-Connecting-IP': '198.51.100.23' },
      body: new URLSearchParams({ email, csrf, return_to: '/' }).toString(),
    });
    assert.equal(res.status, 303, 'dev sign-in');
    const session = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION}=`));
    assert.ok(session, 'a session cookie');
    this.cookie = session.split(';')[0];
    this.me = (await this.api('GET', '/v1/auth/me')).body;
    assert.equal(this.me.principal, 'session');
    return this;
  }

  /**
   * A JSON call from the dashboard's page: same origin, the session cookie and,
   * unless `csrf` says otherwise, X-CSRF-Token from /v1/auth/me.
   * @param {{csrf?: string | null}} [o] null: no header; a string: that value
   */
  async api(method, path, body, o = {}) {
    const headers = { Cookie: this.cookie, Origin: this.base, 'User-Agent': this.userAgent };
    const csrf = o.csrf === undefined ? this.me?.csrf_token : o.csrf;
    if (csrf) headers['X-CSRF-Token'] = csrf;
    return request(this.base, null, method, path, body, headers);
  }
}

/** Every text cell of every table of D1 that contains `needle`, as "table: value". */
async function d1Mentions(worker, needle) {
  const tables = await worker.db.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite_%'",
  ).all();
  const found = [];
  for (const { name } of tables.results) {
    const rows = await worker.db.prepare(`SELECT * FROM "${name}"`).all();
    for (const row of rows.results) {
      for (const v of Object.values(row)) if (typeof v === 'string' && v.includes(needle)) found.push(`${name}: ${v.slice(0, 40)}`);
    }
  }
  return found;
}

async function kvKeys(worker, prefix) {
  return (await worker.kv.list({ prefix })).keys.map((k) => k.name);
}

describe('account routes (development worker)', () => {
  /** @type {import('./harness.mjs').StartedWorker} */
  let worker;
  before(async () => {
    worker = await startWorker();
  });
  after(async () => {
    await worker?.stop();
  });

  test('CSRF: a session JSON POST needs X-CSRF-Token; bearer calls do not', async () => {
    const tab = await new Dashboard(worker.url).signIn('csrf@example.com');
    assert.equal(tab.me.csrf_token.length, 43);
    assert.match(tab.me.session_id, /^ses_[0-9a-f]{32}$/);
    const key = { name: 'CSRF_KEY', provider: 'openai', credential_type: 'api_key', key: 'sk-csrf-worker-0001' };
    for (const csrf of [null, 'A'.repeat(43)]) {
      const r = await tab.api('POST', '/v1/keys', key, { csrf });
      assert.equal(r.status, 403);
      assert.equal(r.body.code, 'csrf_required');
      assert.match(r.body.error, /X-CSRF-Token/);
    }
    assert.equal((await worker.db.prepare('SELECT COUNT(*) AS n FROM keys').first()).n, 0, 'nothing written');
    assert.deepEqual(await kvKeys(worker, 'blob/'), [], 'no blob written');
    assert.equal((await tab.api('POST', '/v1/keys', key)).status, 201);

    const cli = await addUser(worker, 'bearer@example.com');
    assert.equal((await request(worker.url, cli.token, 'POST', '/v1/keys', key)).status, 201);
    const me = await request(worker.url, cli.token, 'GET', '/v1/auth/me');
    assert.equal(me.body.principal, 'master');
    assert.equal(me.body.csrf_token, undefined);
  });

  test('sessions: listed with device, address and country; revoke-others; fetch sign-out', async () => {
    const mine = await new Dashboard(worker.url).signIn('sessions@example.com');
    const phone = await new Dashboard(worker.url, 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1').signIn('sessions@example.com');
    const list = await mine.api('GET', '/v1/sessions');
    assert.equal(list.status, 200);
    assert.equal(list.body.sessions.length, 2);
    const own = list.body.sessions.find((s) => s.current);
    assert.equal(own.id, mine.me.session_id);
    assert.equal(own.device, 'Chrome on Linux');
    assert.equal(own.user_agent, CHROME_LINUX);
    assert.equal(own.ip, '198.51.100.23');
    assert.equal(own.country, 'NL', 'the country of request.cf');
    assert.equal(list.body.sessions.find((s) => !s.current).device, 'Safari on iOS');

    const others = await mine.api('POST', '/v1/sessions/revoke-others', {});
    assert.deepEqual(others.body, { revoked: 1 });
    assert.equal((await phone.api('GET', '/v1/auth/me')).status, 401);

    const out = await fetch(`${worker.url}/auth/logout`, {
      method: 'POST', redirect: 'manual', headers: { Cookie: mine.cookie, 'X-CSRF-Token': mine.me.csrf_token },
    });
    assert.equal(out.status, 204);
    assert.match(out.headers.getSetCookie().join('\n'), new RegExp(`${SESSION}=;.*Max-Age=0`));
    assert.equal((await mine.api('GET', '/v1/auth/me')).status, 401);
  });

  test('account deletion removes every D1 row and every KV blob of the user', async () => {
    const tab = await new Dashboard(worker.url).signIn('leaving@example.com');
    const other = await new Dashboard(worker.url).signIn('staying@example.com');
    const userId = tab.me.user_id;
    for (const [name, value] of [['A_KEY', 'sk-leaving-a-0001'], ['B_KEY', 'sk-leaving-b-0001']]) {
      assert.equal((await tab.api('POST', '/v1/keys', { name, provider: 'openai', credential_type: 'api_key', key: value })).status, 201);
    }
    const rotated = await tab.api('POST', '/v1/keys/A_KEY/rotate', { key: 'sk-leaving-a-0002' });
    assert.equal(rotated.status, 200, rotated.text);
    assert.equal((await other.api('POST', '/v1/keys', { name: 'KEPT', provider: 'openai', credential_type: 'api_key', key: 'sk-staying-0001' })).status, 201);
    assert.equal((await kvKeys(worker, `blob/${userId}/`)).length, 3);
    assert.ok((await d1Mentions(worker, userId)).length > 0);

    const wrong = await tab.api('DELETE', '/v1/account', { confirm_email: 'staying@example.com' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.code, 'confirm_email_mismatch');

    const r = await tab.api('DELETE', '/v1/account', { confirm_email: 'leaving@example.com' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { deleted: true, keys: 2, blobs_deleted: 3, blobs_pending: 0 });
    assert.match(r.headers.getSetCookie().join('\n'), /Max-Age=0/);
    assert.deepEqual(await kvKeys(worker, `blob/${userId}/`), [], 'no blob of the user is left in KV');
    assert.deepEqual(await d1Mentions(worker, userId), [], 'no D1 row names the user');
    assert.deepEqual(await d1Mentions(worker, 'leaving@example.com'), []);
    assert.equal((await tab.api('GET', '/v1/auth/me')).status, 401);
    assert.equal((await kvKeys(worker, `blob/${other.me.user_id}/`)).length, 1, "the other user's blob stays");
    const kept = await other.api('POST', '/v1/keys/reveal', { keys: ['KEPT'] });
    assert.equal(kept.status, 200);
    assert.match(kept.text, /sk-staying-0001/);
  });
});
