// Self-test of the e2e harness, against a tiny in-process stand-in server (not
// vaultedge): the form extractor, the headless browser (sign-in with CSRF and
// a cookie, redirects, Approve/Deny), and the whole `apilocker register` →
// xdg-open → browser → poll path. When this passes and cli.test.mjs fails,
// the server is at fault, not the harness.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

import { visit } from './browser.mjs';
import { apilocker, describeRun, readConfig } from './lib/cli.mjs';
import { extractForms, formEntries, submitters } from './lib/html-forms.mjs';
import { scanForLeaks } from './lib/leaks.mjs';

describe('html form extractor', () => {
  it('reads hidden fields, entities, buttons and selects', () => {
    const html = `<!-- <form action="/ghost"></form> -->
      <form method="POST" action="/device/decide?x=1&amp;y=2">
        <input type=hidden name="csrf" value="a&quot;b&#39;c&#x26;d">
        <input name="user_code" value="ABCD-EFGH" type="hidden" />
        <input type="checkbox" name="remember">
        <input type="checkbox" name="agree" checked>
        <select name="ttl"><option value="1">one</option><option value="7" selected>seven</option></select>
        <textarea name="note">
hello &lt;b&gt;</textarea>
        <button type="submit" name="decision" value="approve">Approve <b>device</b></button>
        <button name="decision" value="deny" class="secondary">Deny</button>
        <button type="button" onclick="x()">Copy code</button>
      </form>`;
    const [f, ...rest] = extractForms(html);
    assert.equal(rest.length, 0);
    assert.equal(f.method, 'POST');
    assert.equal(f.action, '/device/decide?x=1&y=2');
    const subs = submitters(f);
    assert.deepEqual(subs.map((s) => s.label), ['Approve device', 'Deny']);
    assert.deepEqual(formEntries(f, subs[1]), [
      ['csrf', `a"b'c&d`],
      ['user_code', 'ABCD-EFGH'],
      ['agree', 'on'],
      ['ttl', '7'],
      ['note', 'hello <b>'],
      ['decision', 'deny'],
    ]);
  });
});

describe('leak scanner', () => {
  it('finds values raw and encoded in binary files, anywhere under the tree', () => {
    const dir = mkdtempSync(join(tmpdir(), 've-e2e-leaks-'));
    try {
      mkdirSync(join(dir, 'v3', 'd1'), { recursive: true });
      const raw = `sk-test-e2e-${randomBytes(8).toString('hex')}`;
      const b64 = `sk-test-e2e-${randomBytes(8).toString('hex')}`;
      const hex = `sk-test-e2e-${randomBytes(8).toString('hex')}`;
      const absent = `sk-test-e2e-${randomBytes(8).toString('hex')}`;
      writeFileSync(join(dir, 'v3', 'd1', 'db.sqlite-wal'), Buffer.concat([
        randomBytes(5000), Buffer.from(raw), randomBytes(3), Buffer.from(Buffer.from(b64).toString('base64')),
        Buffer.alloc(7), Buffer.from(Buffer.from(hex).toString('hex')), randomBytes(100),
      ]));
      writeFileSync(join(dir, 'empty'), '');
      const { files, hits } = scanForLeaks(dir, [
        { label: 'raw', value: raw }, { label: 'b64', value: b64 }, { label: 'hex', value: hex }, { label: 'absent', value: absent },
      ]);
      assert.equal(files, 2);
      assert.deepEqual(hits.map((h) => `${h.label}:${h.encoding}`).sort(), ['b64:base64', 'hex:hex', 'raw:raw']);
      assert.equal(hits.find((h) => h.label === 'raw').offset, 5000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A stand-in for the sign-in + device pages and the device-flow endpoints. */
function mockServer({ inlineSignIn = false } = {}) {
  const csrf = randomBytes(16).toString('hex');
  const sessions = new Map(); // session id → email
  const devices = new Map(); // user_code → {device_code, state, email}
  const cookieOf = (req, name) =>
    (req.headers.cookie ?? '').split(/;\s*/).map((p) => p.split('=')).find(([k]) => k === name)?.[1];
  const body = (req) =>
    new Promise((r) => {
      let b = '';
      req.on('data', (d) => (b += d)).on('end', () => r(b));
    });
  const html = (res, status, inner, headers = {}) => {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
    res.end(`<!doctype html><html><body>${inner}</body></html>`);
  };
  const json = (res, status, obj) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(obj));
  };
  const signInForm = (next) => `<h1>Sign in</h1>
    <form method="post" action="/auth/dev"><input type="hidden" name="csrf" value="${csrf}">
    <input type="hidden" name="next" value="${next.replace(/&/g, '&amp;')}">
    <label>Email <input type="email" name="email" required></label><button>Sign in</button></form>
    <a href="/auth/github">Sign in with GitHub</a>`;
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const session = cookieOf(req, '__Host-ve_session');
    const email = (session && sessions.get(session)) ?? null;
    if (req.method === 'POST' && url.pathname === '/v1/cli-auth/start') {
      const user_code = randomBytes(4).toString('hex').toUpperCase();
      const device_code = randomBytes(16).toString('hex');
      devices.set(user_code, { device_code, state: 'pending' });
      const base = `http://${req.headers.host}`;
      return json(res, 200, {
        device_code, user_code, verification_uri: `${base}/device`,
        verification_uri_complete: `${base}/device?user_code=${user_code}`, expires_in: 60, interval: 1,
      });
    }
    if (req.method === 'POST' && url.pathname === '/v1/cli-auth/poll') {
      const { device_code } = JSON.parse(await body(req));
      const d = [...devices.values()].find((x) => x.device_code === device_code);
      if (!d) return json(res, 400, { error: 'unknown device_code' });
      if (d.state === 'approved') {
        return json(res, 200, { status: 'authorized', master_token: `vk_master_mock${device_code}`, email: d.email, user_id: 'u1', device_id: 'dev_1' });
      }
      return json(res, 200, { status: d.state === 'denied' ? 'denied' : 'pending' });
    }
    if (req.method === 'GET' && url.pathname === '/device') {
      const code = url.searchParams.get('user_code');
      if (!email) {
        if (inlineSignIn) return html(res, 200, signInForm(`/device?user_code=${code}`));
        res.writeHead(302, { Location: `/auth/dev?next=${encodeURIComponent(`/device?user_code=${code}`)}` });
        return res.end();
      }
      return html(res, 200, `<p>Signed in as ${email}. Host <b>mock</b>, code ${code}</p>
        <form method="post" action="/device/approve"><input type="hidden" name="csrf" value="${csrf}">
          <input type="hidden" name="user_code" value="${code}"><button type="submit">Approve</button></form>
        <form method="post" action="/device/deny"><input type="hidden" name="csrf" value="${csrf}">
          <input type="hidden" name="user_code" value="${code}"><button type="submit">Deny</button></form>
        <form method="post" action="/auth/logout"><button>Sign out</button></form>`);
    }
    if (req.method === 'GET' && url.pathname === '/auth/dev') {
      return html(res, 200, signInForm(url.searchParams.get('next') ?? '/'));
    }
    if (req.method === 'POST' && url.pathname === '/auth/dev') {
      const f = new URLSearchParams(await body(req));
      if (f.get('csrf') !== csrf || req.headers.origin !== `http://${req.headers.host}`) return html(res, 403, 'CSRF check failed');
      const sid = randomBytes(24).toString('hex');
      sessions.set(sid, f.get('email'));
      res.writeHead(303, { Location: f.get('next'), 'Set-Cookie': `__Host-ve_session=${sid}; Path=/; HttpOnly; Secure; SameSite=Lax` });
      return res.end();
    }
    if (req.method === 'POST' && (url.pathname === '/device/approve' || url.pathname === '/device/deny')) {
      const f = new URLSearchParams(await body(req));
      if (!email) return html(res, 401, 'not signed in');
      if (f.get('csrf') !== csrf) return html(res, 403, 'CSRF check failed');
      const d = devices.get(f.get('user_code')) ?? { device_code: 'none' };
      devices.set(f.get('user_code'), d);
      const approve = url.pathname.endsWith('approve');
      d.state = approve ? 'approved' : 'denied';
      d.email = email;
      return html(res, 200, approve ? '<h1>Device approved</h1><p>Return to your terminal.</p>' : '<h1>Request denied</h1>');
    }
    html(res, 404, 'not found');
  });
  return server;
}

async function listen(server) {
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${server.address().port}`;
}

describe('headless browser against a stand-in server', () => {
  let server;
  let inline;
  let base;
  let inlineBase;
  before(async () => {
    server = mockServer();
    inline = mockServer({ inlineSignIn: true });
    base = await listen(server);
    inlineBase = await listen(inline);
  });
  after(() => {
    server.close();
    inline.close();
  });

  it('signs in (redirect to the sign-in form, CSRF, cookie) and approves', async () => {
    const r = await visit(`${base}/device?user_code=ABCD`, { email: 'a@example.test' });
    assert.ok(r.ok, JSON.stringify(r, null, 2));
    assert.ok(r.signedIn && r.decided);
    assert.ok(r.cookies.some((c) => c.name === '__Host-ve_session'));
  });

  it('signs in on an inline form and denies', async () => {
    const r = await visit(`${inlineBase}/device?user_code=WXYZ`, { email: 'b@example.test', action: 'deny' });
    assert.ok(r.ok, JSON.stringify(r, null, 2));
    assert.match(r.finalText, /denied/i);
  });

  it('drives `apilocker register` through xdg-open (approve and deny)', { timeout: 60_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), 've-e2e-harness-'));
    try {
      const ok = await apilocker(['register', '--url', base], {
        home,
        env: { E2E_BROWSER_EMAIL: 'cli@example.test', E2E_BROWSER_OUT: join(home, 'browser.json') },
        timeoutMs: 30_000,
      });
      assert.equal(ok.code, 0, describeRun(ok));
      assert.match(ok.stdout, /Registered as cli@example\.test/);
      assert.match(readConfig(home).master_token, /^vk_master_mock/);

      const home2 = join(home, 'denied');
      const denied = await apilocker(['register', '--url', base], {
        home: home2,
        env: { E2E_BROWSER_EMAIL: 'cli@example.test', E2E_BROWSER_ACTION: 'deny', E2E_BROWSER_OUT: join(home, 'browser2.json') },
        timeoutMs: 30_000,
      });
      assert.equal(denied.code, 1, describeRun(denied));
      assert.match(denied.stdout, /denied/);
      assert.equal(readConfig(home2), null);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
