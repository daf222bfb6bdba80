// Sign-in and device registration over real HTTP against the built worker
// (js-shim + core.wasm in Miniflare, real D1): the whole `apilocker register`
// flow with a script filling the HTML forms (development sign-in → Approve),
// polling to a master token, /v1/auth/me, revoke → 401; the development form
// refused in production; and sign-in through a real OIDC provider
// (oauth2-mock-server on 127.0.0.1) following every redirect by hand.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { OAuth2Server } from 'oauth2-mock-server';

import { startWorker } from './harness.mjs';

const SESSION = '__Host-vaultedge_session';

/** A browser for one origin: a cookie jar, no JavaScript, redirects by hand. */
class Browser {
  constructor(origin) {
    this.origin = origin;
    /** @type {Map<string, string>} */
    this.jar = new Map();
    /** Every Set-Cookie line received, for attribute checks. */
    this.setCookies = [];
  }

  /**
   * One request (no redirect following); cookies are sent and stored.
   * @returns {Promise<{status: number, location: string | null, html: string, headers: Headers}>}
   */
  async request(method, url, form, extraHeaders = {}) {
    const target = new URL(url, this.origin);
    const headers = { ...extraHeaders };
    if (target.origin === this.origin && this.jar.size > 0) {
      headers.Cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    let body;
    if (form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(target, { method, headers, body, redirect: 'manual' });
    if (target.origin === this.origin) {
      for (const line of res.headers.getSetCookie()) {
        this.setCookies.push(line);
        const [pair] = line.split(';');
        const eq = pair.indexOf('=');
        const name = pair.slice(0, eq);
        if (/;\s*Max-Age=0(;|$)/i.test(line)) this.jar.delete(name);
        else this.jar.set(name, pair.slice(eq + 1));
      }
    }
    return { status: res.status, location: res.headers.get('location'), html: await res.text(), headers: res.headers };
  }

  get(url) {
    return this.request('GET', url);
  }

  post(url, form, headers) {
    return this.request('POST', url, form, headers);
  }

  /** Signs in through the development form as `email`. */
  async signIn(email) {
    const login = await this.get('/auth/login');
    const done = await this.post('/auth/dev', { email, csrf: field(login.html, 'csrf') });
    assert.equal(done.status, 303, `dev sign-in: HTTP ${done.status}`);
    assert.ok(this.jar.has(SESSION), 'a session cookie');
  }

  /** The session's CSRF token, as the dashboard gets it (GET /v1/auth/me). */
  async csrf() {
    const me = await this.get('/v1/auth/me');
    assert.equal(me.status, 200, `GET /v1/auth/me: HTTP ${me.status}`);
    return JSON.parse(me.html).csrf_token;
  }
}

/** value of the hidden/visible input `name` in `html` (the pages escape &, <, >, ", '). */
function field(html, name) {
  const m = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
  if (!m) return undefined;
  return m[1].replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>')
    .replaceAll('&#39;', "'").replaceAll('&amp;', '&');
}

async function json(worker, path, { method = 'GET', body, token } = {}) {
  const res = await fetch(`${worker.url}${path}`, {
    method,
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** True when `needle` appears in any text cell of any table of the worker's D1. */
async function d1Contains(worker, needle) {
  const tables = await worker.db.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite_%'",
  ).all();
  for (const { name } of tables.results) {
    const rows = await worker.db.prepare(`SELECT * FROM "${name}"`).all();
    for (const row of rows.results) {
      for (const v of Object.values(row)) {
        if (typeof v === 'string' && v.includes(needle)) return true;
      }
    }
  }
  return false;
}

describe('device registration through the HTML pages (development)', () => {
  /** @type {import('./harness.mjs').StartedWorker} */
  let worker;
  before(async () => {
    worker = await startWorker();
  });
  after(async () => {
    await worker?.stop();
  });

  test('start → sign in → approve → poll → master token → me → revoke → 401', async () => {
    // 1. The CLI starts the flow.
    const start = await json(worker, '/v1/cli-auth/start', {
      method: 'POST',
      body: {
        client_metadata: { hostname: 'it-laptop', platform: 'linux', platform_version: '6.1.0', cli_version: '1.1.0' },
      },
    });
    assert.equal(start.status, 200);
    const { device_code: deviceCode, user_code: userCode } = start.body;
    assert.match(deviceCode, /^vk_dc_[A-Za-z0-9_-]{43}$/);
    assert.match(userCode, /^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    assert.equal(start.body.verification_uri, `${worker.url}/device`);
    assert.equal(start.body.verification_uri_complete, `${worker.url}/device?user_code=${userCode}`);
    assert.equal(start.body.expires_in, 600);
    assert.equal(start.body.interval, 5);

    const pending = await json(worker, '/v1/cli-auth/poll', { method: 'POST', body: { device_code: deviceCode } });
    assert.deepEqual(pending, { status: 200, body: { status: 'pending' } });
    const pendingAt = Date.now();
    const fast = await json(worker, '/v1/cli-auth/poll', { method: 'POST', body: { device_code: deviceCode } });
    assert.equal(fast.status, 429);
    assert.match(fast.body.error, /slow_down/);

    // 2. The browser opens verification_uri_complete and is sent to sign in.
    const b = new Browser(worker.url);
    const first = await b.get(start.body.verification_uri_complete);
    assert.equal(first.status, 303);
    assert.match(first.location, /^\/auth\/login\?return_to=/);
    const login = await b.get(first.location);
    assert.equal(login.status, 200);
    assert.match(login.headers.get('content-security-policy'), /default-src 'none'/);
    assert.doesNotMatch(login.html, /<script/i);
    const signedIn = await b.post('/auth/dev', {
      email: 'Integration@Example.com',
      return_to: field(login.html, 'return_to'),
      csrf: field(login.html, 'csrf'),
    });
    assert.equal(signedIn.status, 303);
    assert.equal(signedIn.location, `/device?user_code=${userCode}`);
    const sessionCookie = b.setCookies.find((c) => c.startsWith(`${SESSION}=`));
    assert.match(sessionCookie, /; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=2592000$/);

    // 3. The approval page names the device; Approve without CSRF is refused.
    const approval = await b.get(signedIn.location);
    assert.equal(approval.status, 200);
    for (const shown of ['it-laptop', 'linux 6.1.0', 'apilocker 1.1.0', userCode, 'integration@example.com']) {
      assert.ok(approval.html.includes(shown), `approval page shows ${shown}`);
    }
    const forged = await b.post('/device', { user_code: userCode, decision: 'approve', csrf: 'forged' });
    assert.equal(forged.status, 403);
    const approved = await b.post('/device', {
      user_code: field(approval.html, 'user_code'),
      decision: 'approve',
      csrf: field(approval.html, 'csrf'),
    });
    assert.equal(approved.status, 200);
    assert.match(approved.html, /Device approved/);

    // 4. The CLI's next poll (after `interval`) gets the token, exactly once.
    await sleep(Math.max(0, pendingAt + 5000 - Date.now()));
    const done = await json(worker, '/v1/cli-auth/poll', { method: 'POST', body: { device_code: deviceCode } });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.status, 'authorized');
    assert.equal(done.body.email, 'integration@example.com');
    const token = done.body.master_token;
    assert.match(token, /^vk_master_[A-Za-z0-9_-]{43}$/);
    const again = await json(worker, '/v1/cli-auth/poll', { method: 'POST', body: { device_code: deviceCode } });
    assert.equal(again.status, 400);
    assert.equal(typeof again.body.error, 'string');

    // 5. The token works; the device is listed as current.
    const me = await json(worker, '/v1/auth/me', { token });
    assert.equal(me.status, 200);
    assert.equal(me.body.email, 'integration@example.com');
    assert.equal(me.body.user_id, done.body.user_id);
    const devices = await json(worker, '/v1/devices', { token });
    assert.equal(devices.status, 200);
    assert.equal(devices.body.devices.length, 1);
    const [device] = devices.body.devices;
    assert.equal(device.id, done.body.device_id);
    assert.equal(device.current, true);
    assert.equal(device.platform, 'linux');
    assert.match(device.last_used_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // 6. No credential is stored in the clear.
    assert.equal(await d1Contains(worker, token), false, 'master token stored in D1');
    assert.equal(await d1Contains(worker, deviceCode), false, 'device code stored in D1');
    assert.equal(await d1Contains(worker, b.jar.get(SESSION)), false, 'session token stored in D1');

    // 7. Revoke (the CLI POSTs JSON with no body); the token fails next time.
    const revoked = await json(worker, `/v1/devices/${device.id}/revoke`, { method: 'POST', token });
    assert.equal(revoked.status, 200);
    const after401 = await json(worker, '/v1/auth/me', { token });
    assert.equal(after401.status, 401);
    assert.equal(typeof after401.body.error, 'string');

    const audit = await worker.db.prepare(
      "SELECT action FROM audit_log WHERE action LIKE 'device.%' OR action LIKE 'auth.%' ORDER BY id",
    ).all();
    assert.deepEqual(audit.results.map((r) => r.action),
      ['auth.sign_in', 'device.approve', 'device.authorize', 'device.revoke']);
  });

  test('deny, unknown codes and malformed bodies', async () => {
    const start = await json(worker, '/v1/cli-auth/start', { method: 'POST', body: {} });
    const b = new Browser(worker.url);
    const login = await b.get('/auth/login');
    await b.post('/auth/dev', { email: 'denier@example.com', csrf: field(login.html, 'csrf') });
    const page = await b.get(`/device?user_code=${start.body.user_code}`);
    const denied = await b.post('/device', {
      user_code: start.body.user_code, decision: 'deny', csrf: field(page.html, 'csrf'),
    });
    assert.equal(denied.status, 200);
    const poll = await json(worker, '/v1/cli-auth/poll', { method: 'POST', body: { device_code: start.body.device_code } });
    assert.deepEqual(poll.body, { status: 'denied' });

    const unknown = await json(worker, '/v1/cli-auth/poll', { method: 'POST', body: { device_code: 'vk_dc_nope' } });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.error, /unknown device_code/);
    const res = await fetch(`${worker.url}/v1/cli-auth/start`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"client_metadata":',
    });
    assert.equal(res.status, 400);
    assert.equal(typeof (await res.json()).error, 'string');
    // The worker keeps serving.
    assert.equal((await fetch(`${worker.url}/healthz`)).status, 200);
  });
});

describe('wrong user codes at /device (RFC 8628 §5.1)', () => {
  /** @type {import('./harness.mjs').StartedWorker} */
  let worker;
  before(async () => {
    worker = await startWorker();
  });
  after(async () => {
    await worker?.stop();
  });

  /** Waits until the one-minute counting window has at least 8 s left. */
  async function freshWindow() {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 8_000) await sleep(left + 100);
  }
  /** A code of the alphabet that no start handed out (start's codes are random). */
  const wrong = (i) => `BCDF-${'GHJKLMNPQRSTVWXZ'[i % 16]}${'GHJKLMNPQRSTVWXZ'[Math.floor(i / 16) % 16]}ZZ`;
  function assertTooMany(r, what) {
    assert.equal(r.status, 429, `${what}: HTTP ${r.status}`);
    assert.match(r.html, /Too many wrong codes/);
    const retry = Number(r.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, `${what}: Retry-After within the minute (${retry})`);
  }

  test('after 5 wrong codes a user is refused (429 with Retry-After), even for the right code; others are not', async () => {
    await freshWindow();
    const start = await json(worker, '/v1/cli-auth/start', { method: 'POST', body: {} });
    const ip = { 'CF-Connecting-IP': '198.51.100.40' };
    const b = new Browser(worker.url);
    await b.signIn('guesser@example.com');
    assert.equal((await b.request('GET', `/device?user_code=${start.body.user_code}`, undefined, ip)).status, 200, 'the right code works');
    const statuses = [];
    for (let i = 0; i < 8; i++) statuses.push((await b.request('GET', `/device?user_code=${wrong(i)}`, undefined, ip)).status);
    assert.deepEqual(statuses, [404, 404, 404, 404, 404, 429, 429, 429]);
    const page = await b.request('GET', `/device?user_code=${start.body.user_code}`, undefined, ip);
    assertTooMany(page, 'the right code after 5 failures');
    const approve = await b.post('/device', { user_code: start.body.user_code, decision: 'approve', csrf: 'x' }, ip);
    assert.equal(approve.status, 403, 'a forged form is still refused first');
    // The owner, elsewhere, approves normally.
    const owner = new Browser(worker.url);
    await owner.signIn('owner@example.com');
    const mine = await owner.request('GET', `/device?user_code=${start.body.user_code}`, undefined, { 'CF-Connecting-IP': '198.51.100.41' });
    assert.equal(mine.status, 200);
    const ok = await owner.post('/device', { user_code: start.body.user_code, decision: 'approve', csrf: field(mine.html, 'csrf') }, { 'CF-Connecting-IP': '198.51.100.41' });
    assert.equal(ok.status, 200);
    assert.match(ok.html, /Device approved/);
  });

  test('after 20 wrong codes from one address every user there is refused; another address is not', async () => {
    await freshWindow();
    const ip = { 'CF-Connecting-IP': '203.0.113.50' };
    for (let u = 0; u < 4; u++) {
      const b = new Browser(worker.url);
      await b.signIn(`crowd-${u}@example.com`);
      for (let i = 0; i < 5; i++) {
        assert.equal((await b.post('/device', { user_code: wrong(u * 5 + i), decision: 'approve', csrf: await b.csrf() }, ip)).status, 404);
      }
    }
    const late = new Browser(worker.url);
    await late.signIn('crowd-late@example.com');
    const refused = await late.request('GET', `/device?user_code=${wrong(30)}`, undefined, ip);
    assertTooMany(refused, 'a fresh user on the same address');
    assert.match(refused.html, /per client address/);
    assert.equal((await late.request('GET', `/device?user_code=${wrong(30)}`, undefined, { 'CF-Connecting-IP': '203.0.113.51' })).status, 404);
  });
});

describe('sign-out (logout CSRF)', () => {
  /** @type {import('./harness.mjs').StartedWorker} */
  let worker;
  before(async () => {
    worker = await startWorker();
  });
  after(async () => {
    await worker?.stop();
  });

  const sessions = async () => (await worker.db.prepare('SELECT COUNT(*) AS n FROM sessions').first()).n;

  test('a cross-site POST without the cookie gets 403 and no Set-Cookie', async () => {
    const victim = new Browser(worker.url);
    await victim.signIn('logout-victim@example.com');
    const count = await sessions();
    // What a form on another site sends: no cookie (SameSite=Lax), no token.
    const res = await fetch(`${worker.url}/auth/logout`, {
      method: 'POST', redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site' },
      body: 'csrf=x',
    });
    assert.equal(res.status, 403);
    assert.deepEqual(res.headers.getSetCookie(), [], 'no Set-Cookie');
    assert.match(await res.text(), /Sign-out refused/);
    assert.equal(await sessions(), count, 'no session ended');
  });

  test('a wrong or missing csrf field with the cookie: 403, cookie and session kept; the real button signs out', async () => {
    const b = new Browser(worker.url);
    await b.signIn('logout-user@example.com');
    for (const form of [{ csrf: 'wrong' }, {}]) {
      const before = b.setCookies.length;
      const r = await b.post('/auth/logout', form);
      assert.equal(r.status, 403);
      assert.equal(b.setCookies.length, before, 'no Set-Cookie');
    }
    assert.ok(b.jar.has(SESSION));
    assert.equal((await b.get('/device')).status, 200, 'still signed in');
    const out = await b.post('/auth/logout', { csrf: await b.csrf() });
    assert.equal(out.status, 303);
    assert.ok(b.setCookies.at(-1).startsWith(`${SESSION}=;`) && /Max-Age=0/.test(b.setCookies.at(-1)), 'the cookie is cleared');
    assert.equal((await b.get('/device')).status, 303, 'signed out');
  });
});

describe('the development sign-in form in production', () => {
  let worker;
  before(async () => {
    worker = await startWorker({ vars: { ENVIRONMENT: 'production' } });
  });
  after(async () => {
    await worker?.stop();
  });

  test('is refused with 404 and writes nothing', async () => {
    const b = new Browser(worker.url);
    const page = await b.get('/auth/dev');
    assert.equal(page.status, 404);
    assert.match(page.html, /ENVIRONMENT=development/);
    const post = await b.post('/auth/dev', { email: 'mallory@example.com', csrf: 'x' });
    assert.equal(post.status, 404);
    assert.equal(b.jar.has(SESSION), false);
    const login = await b.get('/auth/login');
    assert.doesNotMatch(login.html, /\/auth\/dev/);
    const users = await worker.db.prepare('SELECT COUNT(*) AS n FROM users').first();
    assert.equal(users.n, 0);
  });
});

describe('sign-in through a real OIDC provider (oauth2-mock-server)', () => {
  let idp;
  let worker;
  before(async () => {
    idp = new OAuth2Server();
    await idp.issuer.keys.generate('RS256');
    await idp.start(0, '127.0.0.1');
    idp.issuer.url = `http://127.0.0.1:${idp.address().port}`;
    idp.service.on('beforeUserinfo', (userinfo) => {
      userinfo.body = { sub: 'johndoe', email: 'Olive@Example.com', email_verified: true };
    });
    worker = await startWorker({
      vars: {
        OIDC_ISSUER: idp.issuer.url,
        OIDC_CLIENT_ID: 'vaultedge-it',
        OIDC_CLIENT_SECRET: 'it-secret',
        OIDC_NAME: 'Mock IdP',
      },
    });
  });
  after(async () => {
    await worker?.stop();
    await idp?.stop();
  });

  test('login page → start → provider → callback → session', async () => {
    const b = new Browser(worker.url);
    const login = await b.get('/auth/login?return_to=%2Fdevice');
    const link = login.html.match(/href="(\/auth\/oidc\/start[^"]*)"[^>]*>Sign in with Mock IdP/);
    assert.ok(link, 'the login page links to the provider');

    const start = await b.get(link[1].replaceAll('&amp;', '&'));
    assert.equal(start.status, 302);
    const authorize = new URL(start.location);
    assert.equal(authorize.origin, idp.issuer.url);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.equal(authorize.searchParams.get('redirect_uri'), `${worker.url}/auth/oidc/callback`);
    assert.ok(authorize.searchParams.get('nonce'));

    // The provider signs the user in at once and redirects back with a code.
    const upstream = await fetch(authorize, { redirect: 'manual' });
    assert.equal(upstream.status, 302);
    const back = new URL(upstream.headers.get('location'));
    assert.equal(`${back.origin}${back.pathname}`, `${worker.url}/auth/oidc/callback`);
    assert.equal(back.searchParams.get('state'), authorize.searchParams.get('state'));

    // A replay from another browser (no state cookie) is refused.
    const stranger = new Browser(worker.url);
    assert.equal((await stranger.get(back.href)).status, 400);

    const callback = await b.get(back.href);
    assert.equal(callback.status, 303, callback.html);
    assert.equal(callback.location, '/device');
    assert.ok(b.jar.has(SESSION));

    const account = await b.get('/auth/login');
    assert.equal(account.status, 303, 'signed in: the sign-in page forwards to the dashboard');
    assert.equal(account.location, '/');
    assert.equal(JSON.parse((await b.get('/v1/auth/me')).html).email, 'olive@example.com');
    const identity = await worker.db.prepare('SELECT provider, subject, email FROM identities').first();
    assert.deepEqual(identity, { provider: `oidc:${idp.issuer.url}`, subject: 'johndoe', email: 'olive@example.com' });

    // The same callback again: the state was single-use.
    const replay = await b.get(back.href);
    assert.equal(replay.status, 400);
  });
});
