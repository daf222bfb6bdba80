// Attacks on the OAuth 2.1 authorization server (docs/oauth.md) over raw
// HTTP against the built worker in Miniflare. Each case is refused with the
// error the contract (and the RFC it cites) names, and grants nothing: the
// tests count oauth_requests / oauth_codes / oauth_tokens / oauth_grants rows
// before and after where that matters, and check that refused client_id URLs
// were never fetched (a TCP trap on [::1] counts connection attempts).

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { addUser, request, startWorker } from './harness.mjs';
import { auditRows, registerSecret } from './mcp-support.mjs';
import {
  HeadlessBrowser, assertBearerChallenge, assertOAuthError, assertTokenResponse, authorizeParams,
  authorizeUrl, consentEntries, consentForm, countRows, getJson, grantOfToken, mcp, obtainTokens, pkce, postForm,
  randomState, readRedirect, refresh, registerClient, s256, scrub, sha256hex, startClientSite, startTcpTrap,
} from './oauth-support.mjs';
import { textOf } from '../e2e/lib/html-forms.mjs';

const T = { timeout: 30_000 };

/** @type {import('./harness.mjs').StartedWorker} */
let worker;
/** @type {import('./oauth-support.mjs').ClientSite} */
let site;
/** @type {{userId: string, token: string, email: string}} */
let user;
/** A signed-in browser of `user`. */
let browser;
/** A registered public client: redirect_uri = site /callback. */
let clientId;
let redirectUri;
/** A second registered client (another app). */
let otherClientId;

before(async () => {
  worker = await startWorker();
  site = await startClientSite();
  user = await addUser(worker, `oauth-attacks-${randomBytes(3).toString('hex')}@example.test`);
  registerSecret(user.token);
  redirectUri = site.url('/callback');
  const r = await registerClient(worker.url, { client_name: 'attack test client', redirect_uris: [redirectUri] });
  assert.equal(r.status, 201, scrub(`register: HTTP ${r.status} ${r.text.slice(0, 200)}`));
  clientId = r.json.client_id;
  const r2 = await registerClient(worker.url, { client_name: 'another app', redirect_uris: [site.url('/other-callback')] });
  assert.equal(r2.status, 201);
  otherClientId = r2.json.client_id;
  browser = new HeadlessBrowser(worker.url, { email: user.email });
  await browser.signIn();
});
after(async () => {
  await site?.stop();
  await worker?.stop();
});

/** Row counts of the OAuth tables. */
async function oauthCounts() {
  const out = {};
  for (const t of ['oauth_requests', 'oauth_codes', 'oauth_tokens', 'oauth_grants', 'oauth_clients']) out[t] = await countRows(worker, t);
  return out;
}

/** Asserts an HTML error page: `status` (a number or [min, max]), no Location, no redirect. */
function assertErrorPage(page, status = 400, what = '') {
  const where = scrub(`${what} HTTP ${page.status} location=${page.location} ${textOf(page.html).slice(0, 200)}`);
  if (Array.isArray(status)) assert.ok(page.status >= status[0] && page.status <= status[1], `status in ${status.join('–')} (${where})`);
  else assert.equal(page.status, status, `status ${status} (${where})`);
  assert.equal(page.headers.get('location'), null, `no Location header: never redirected (${where})`);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/, `an HTML error page (${where})`);
  assert.ok(textOf(page.html).length > 20, `a page that explains (${where})`);
  assert.ok(!consentForm(page.html), `not a consent page (${where})`);
}

/** Asserts an error redirect to `redirectUri` with `error`, the exact `state` and `iss`. */
function assertErrorRedirect(page, error, state, uri = redirectUri) {
  const where = scrub(`HTTP ${page.status} ${textOf(page.html).slice(0, 200)}`);
  assert.ok(page.status === 302 || page.status === 303, `a redirect back to the client (${where})`);
  assert.ok(page.location, `a Location (${where})`);
  const got = readRedirect(new URL(page.location), uri);
  assert.equal(got.error, error, `error=${error}`);
  assert.ok(got.state === state, 'state echoed exactly');
  assert.equal(got.iss, worker.url, 'iss');
  assert.equal(got.code, null, 'no code');
}

/** Authorization parameters for the registered client, overridable. */
function params(over = {}) {
  const { challenge } = pkce();
  return { ...authorizeParams(worker.url, { clientId, redirectUri, challenge, state: randomState() }), ...over };
}

/** Opens an authorization URL in the signed-in browser; returns the consent page (asserted). */
async function consentPageFor(p) {
  const page = await browser.openAuthorization(authorizeUrl(worker.url, p));
  assert.equal(page.status, 200, scrub(`consent page: HTTP ${page.status} ${page.text.slice(0, 300)}`));
  assert.ok(page.consent, scrub(`a consent form: ${page.text.slice(0, 300)}`));
  return page;
}

describe('authorization request', () => {
  for (const [name, over, error] of [
    ['missing code_challenge', { code_challenge: undefined }, 'invalid_request'],
    ['code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['code_challenge_method absent', { code_challenge_method: undefined }, 'invalid_request'],
    ['code_challenge of 42 characters', { code_challenge: 'a'.repeat(42) }, 'invalid_request'],
    ['response_type=token (implicit)', { response_type: 'token' }, 'unsupported_response_type'],
    ['resource for another server', { resource: 'https://evil.example/v1/mcp' }, 'invalid_target'],
    ['resource with a different path on this server', { resource: 'PLACEHOLDER/v1/keys' }, 'invalid_target'],
    ['an unknown scope', { scope: 'vault:read vault:admin' }, 'invalid_scope'],
  ]) {
    test(`${name} → redirect with error=${error}, state and iss; no consent, nothing stored`, T, async () => {
      const before = await oauthCounts();
      const o = { ...over };
      if (o.resource?.startsWith('PLACEHOLDER')) o.resource = o.resource.replace('PLACEHOLDER', worker.url);
      const p = params(o);
      const page = await browser.request('GET', authorizeUrl(worker.url, p));
      assertErrorRedirect(page, error, p.state);
      assert.deepEqual(await oauthCounts(), before, 'no request, code, token or grant row');
    });
  }

  test('redirect_uri not registered (another host) → 400 error page, no redirect to the attacker', T, async () => {
    const before = await oauthCounts();
    for (const bad of ['https://attacker.example/callback', 'http://attacker.example' + new URL(redirectUri).pathname,
      `${site.origin}/other-callback`, `${redirectUri}/extra`, `${redirectUri}?x=1`, `${redirectUri}#frag`,
      redirectUri.replace('127.0.0.1', 'localhost'),
      `http://${new URL(redirectUri).host}@attacker.example/callback`,
      `http://attacker.example\\@${new URL(redirectUri).host}/callback`,
      'javascript:alert(1)//']) {
      const page = await browser.request('GET', authorizeUrl(worker.url, params({ redirect_uri: bad })));
      assertErrorPage(page, 400, `redirect_uri ${bad}`);
    }
    assert.deepEqual(await oauthCounts(), before, 'nothing stored');
  });

  test('a repeated parameter (two redirect_uri, two client_id) → refused, never sent to the second one', T, async () => {
    const before = await oauthCounts();
    const base = params();
    for (const [name, extra] of [['redirect_uri', 'https://attacker.example/callback'], ['client_id', otherClientId]]) {
      const u = new URL(authorizeUrl(worker.url, base));
      u.searchParams.append(name, extra);
      const page = await browser.request('GET', u.href);
      if (page.location) {
        // An error sent to the registered redirect_uri is acceptable; anything else is not.
        assertErrorRedirect(page, 'invalid_request', base.state);
      } else {
        assertErrorPage(page, 400, `two ${name}`);
      }
    }
    assert.deepEqual(await oauthCounts(), before, 'nothing stored');
  });

  test('an unregistered client_id → error page, no redirect', T, async () => {
    for (const id of [`vc_${randomBytes(16).toString('hex')}`, 'not-a-client', '']) {
      const page = await browser.request('GET', authorizeUrl(worker.url, params({ client_id: id })));
      assertErrorPage(page, [400, 401], `client_id ${JSON.stringify(id)}`);
    }
  });

  test('a loopback redirect_uri may use another port (RFC 8252 §7.3), nothing else may differ', T, async () => {
    const u = new URL(redirectUri);
    u.port = String(Number(u.port) === 65000 ? 65001 : 65000);
    const page = await consentPageFor(params({ redirect_uri: u.href }));
    assert.ok(page.consent, 'consent shown for the other port');
    const answer = await browser.submitConsent(page, { decision: 'deny' });
    assert.ok(answer.external, 'redirected');
    assert.equal(answer.external.port, u.port, 'to the port the request named');
  });

  test('state is echoed exactly on approve, deny and error redirects', T, async () => {
    const state = randomState(true);
    const ok = await browser.submitConsent(await consentPageFor(params({ state })));
    const a = readRedirect(ok.external, redirectUri);
    assert.ok(a.code, 'approve: a code');
    assert.ok(a.state === state, 'approve: state byte for byte');
    assert.equal(a.iss, worker.url, 'approve: iss');
    const no = await browser.submitConsent(await consentPageFor(params({ state })), { decision: 'deny' });
    assert.ok(readRedirect(no.external, redirectUri).state === state, 'deny: state byte for byte');
    const err = await browser.request('GET', authorizeUrl(worker.url, params({ state, code_challenge_method: 'plain' })));
    assertErrorRedirect(err, 'invalid_request', state);
  });

  test('not signed in → 303 to /auth/login with return_to, no consent', T, async () => {
    const fresh = new HeadlessBrowser(worker.url);
    const page = await fresh.request('GET', authorizeUrl(worker.url, params()));
    assert.equal(page.status, 303, scrub(`HTTP ${page.status}`));
    const loc = new URL(page.location);
    assert.equal(loc.origin, worker.url);
    assert.equal(loc.pathname, '/auth/login');
    assert.ok((loc.searchParams.get('return_to') ?? '').startsWith('/oauth/authorize?'), 'return_to is the authorization request');
  });
});

describe('consent form', () => {
  test('deny → redirect with error=access_denied, state, iss; no grant, no code', T, async () => {
    const before = await oauthCounts();
    const p = params();
    const answer = await browser.submitConsent(await consentPageFor(p), { decision: 'deny' });
    assert.ok(answer.status === 303 || answer.status === 302, `a redirect (HTTP ${answer.status})`);
    const r = readRedirect(answer.external, redirectUri);
    assert.equal(r.error, 'access_denied');
    assert.ok(r.state === p.state, 'state');
    assert.equal(r.iss, worker.url, 'iss');
    assert.equal(r.code, null, 'no code');
    const after = await oauthCounts();
    assert.equal(after.oauth_grants, before.oauth_grants, 'no grant');
    assert.equal(after.oauth_codes, before.oauth_codes, 'no code');
    assert.equal(after.oauth_tokens, before.oauth_tokens, 'no token');
    assert.ok((await auditRows(worker, user.userId)).some((x) => x.action === 'oauth.deny'), 'audit oauth.deny');
  });

  test('POST without a session → sent to sign-in (a redirect to /auth/…, or a 401 page), no code', T, async () => {
    // docs/oauth.md does not fix the shape of this answer; either is a refusal
    // that sends the person to sign in. What matters: no code, no redirect to the client.
    const page = await consentPageFor(params());
    const codes = await countRows(worker, 'oauth_codes');
    const form = consentForm(page.html);
    const anon = new HeadlessBrowser(worker.url);
    const r = await anon.request('POST', new URL(form.action || page.url, page.url).href, { form: consentEntries(form) });
    const where = scrub(`HTTP ${r.status} location=${r.location} ${textOf(r.html).slice(0, 200)}`);
    if (r.status === 303 || r.status === 302) {
      const loc = new URL(r.location);
      assert.equal(loc.origin, worker.url, `not to the client (${where})`);
      assert.match(loc.pathname, /^\/auth\/(login|dev)/, `to sign-in (${where})`);
      assert.equal(loc.searchParams.get('code'), null, 'no code');
    } else {
      assert.equal(r.status, 401, `a redirect to sign-in or a 401 page (${where})`);
      assert.equal(r.location, null, `no Location (${where})`);
      assert.match(textOf(r.html), /sign in/i, `the page says to sign in (${where})`);
    }
    assert.equal(await countRows(worker, 'oauth_codes'), codes, 'no code row');
    // The request was not consumed by the anonymous POST: its owner can still answer it.
    const answer = await browser.submitConsent(page, { decision: 'deny' });
    assert.equal(readRedirect(answer.external, redirectUri).error, 'access_denied', 'the owner still answers it');
  });

  test('POST with a wrong or missing csrf → 403, no code', T, async () => {
    const page = await consentPageFor(params());
    const codes = await countRows(worker, 'oauth_codes');
    for (const csrf of [randomBytes(32).toString('base64url'), '', null]) {
      const form = consentForm(page.html);
      const r = await browser.request('POST', new URL(form.action || page.url, page.url).href, { form: consentEntries(form, { override: { csrf } }) });
      assert.equal(r.status, 403, scrub(`csrf ${csrf === null ? 'missing' : csrf === '' ? 'empty' : 'wrong'}: HTTP ${r.status} location=${r.location}`));
      assert.equal(r.location, null, 'no redirect');
    }
    assert.equal(await countRows(worker, 'oauth_codes'), codes, 'no code row');
  });

  test('another user cannot answer this user\'s request (their own session and csrf)', T, async () => {
    const page = await consentPageFor(params());
    const codes = await countRows(worker, 'oauth_codes');
    const mallory = new HeadlessBrowser(worker.url, { email: `mallory-${randomBytes(3).toString('hex')}@example.test` });
    await mallory.signIn();
    // Mallory's own csrf: take it from a consent page of her own.
    const own = await mallory.openAuthorization(authorizeUrl(worker.url, params()));
    const ownCsrf = consentForm(own.html)?.controls.find((c) => c.name === 'csrf')?.value;
    assert.ok(ownCsrf, 'mallory has a consent page with a csrf field');
    const form = consentForm(page.html);
    const r = await mallory.request('POST', new URL(form.action || page.url, page.url).href, { form: consentEntries(form, { override: { csrf: ownCsrf } }) });
    assert.ok(r.status >= 400 && r.status < 500, scrub(`refused (HTTP ${r.status} location=${r.location})`));
    assert.ok(!r.location || !new URL(r.location).searchParams.get('code'), 'no code');
    assert.equal(await countRows(worker, 'oauth_codes'), codes, 'no code row');
  });

  test('a request id answered twice: the second is refused, one code only', T, async () => {
    const page = await consentPageFor(params());
    const codes = await countRows(worker, 'oauth_codes');
    const first = await browser.submitConsent(page);
    assert.ok(readRedirect(first.external, redirectUri).code, 'the first answer gets a code');
    const second = await browser.submitConsent(page);
    assert.ok(second.status >= 400 && second.status < 500, scrub(`second answer refused (HTTP ${second.status} location=${second.location})`));
    assert.equal(second.external, null, 'no redirect to the client');
    const denyAfter = await browser.submitConsent(page, { decision: 'deny' });
    assert.ok(denyAfter.status >= 400 && denyAfter.status < 500, 'a deny after the approve is refused too');
    assert.equal(await countRows(worker, 'oauth_codes'), codes + 1, 'exactly one code');
  });

  test('the consent page names the client as self-declared, the redirect host and the scopes in words', T, async () => {
    const r = await registerClient(worker.url, { client_name: 'Totally Official <b>Vault</b> App', redirect_uris: ['https://callback.example.test/cb'] });
    assert.equal(r.status, 201);
    const page = await consentPageFor({ ...params(), client_id: r.json.client_id, redirect_uri: 'https://callback.example.test/cb', scope: 'vault:read vault:write vault:proxy' });
    assert.ok(page.text.includes('Totally Official <b>Vault</b> App'), 'the name, shown as text');
    assert.ok(!page.html.includes('<b>Vault</b>'), 'the name is HTML-escaped');
    assert.match(page.text, /self-declared|declared by the app itself/i, 'says the name is self-declared');
    assert.ok(page.text.includes('callback.example.test'), 'names the redirect host');
    for (const s of ['vault:read', 'vault:write', 'vault:proxy']) assert.ok(page.text.includes(s), `lists ${s}`);
    assert.ok(page.text.split(/\s+/).length > 40, 'explains in words');
  });

  test('an unknown request id → refused, no code', T, async () => {
    const page = await consentPageFor(params());
    const codes = await countRows(worker, 'oauth_codes');
    const form = consentForm(page.html);
    const r = await browser.request('POST', new URL(form.action || page.url, page.url).href,
      { form: consentEntries(form, { override: { request: randomBytes(32).toString('base64url') } }) });
    assert.ok(r.status >= 400 && r.status < 500, `refused (HTTP ${r.status})`);
    assert.equal(r.location, null, 'no redirect');
    assert.equal(await countRows(worker, 'oauth_codes'), codes);
  });
});

/** An approved authorization: the code and its verifier, not exchanged. */
async function approvedCode(o = {}) {
  const { verifier, challenge } = pkce();
  const p = { ...authorizeParams(worker.url, { clientId, redirectUri, challenge, state: randomState() }), ...o };
  const answer = await browser.submitConsent(await consentPageFor(p));
  const r = readRedirect(answer.external, p.redirect_uri);
  assert.ok(r.code, 'a code');
  return { code: r.code, verifier };
}

function exchange(o) {
  return postForm(worker.url, '/oauth/token', {
    grant_type: 'authorization_code',
    code: o.code,
    redirect_uri: o.redirectUri ?? redirectUri,
    code_verifier: o.verifier,
    client_id: o.clientId ?? clientId,
    resource: o.resource,
  });
}

describe('token endpoint', () => {
  test('wrong code_verifier → invalid_grant, no token', T, async () => {
    const { code } = await approvedCode();
    const tokens = await countRows(worker, 'oauth_tokens');
    assertOAuthError(await exchange({ code, verifier: pkce().verifier }), 'invalid_grant');
    assertOAuthError(await exchange({ code, verifier: undefined }), ['invalid_request', 'invalid_grant']);
    assert.equal(await countRows(worker, 'oauth_tokens'), tokens, 'no token row');
  });

  test('a code_verifier that is not RFC 7636 shaped (43–128 unreserved characters) is refused even when its hash matches', T, async () => {
    // RFC 7636 §4.1: code-verifier = 43*128unreserved. Not spelled out in docs/oauth.md.
    const tokens = await countRows(worker, 'oauth_tokens');
    const accepted = [];
    for (const [shape, verifier] of [['42 characters', 'a'.repeat(42)], ['a space', `${'a'.repeat(43)} x`],
      ['"/+="', `${'a'.repeat(40)}/+=`], ['129 characters', 'b'.repeat(129)]]) {
      const { code } = await approvedCode({ code_challenge: s256(verifier) });
      const r = await exchange({ code, verifier });
      if (r.status === 200) accepted.push(`${shape} → HTTP 200 with tokens`);
      else assertOAuthError(r, ['invalid_grant', 'invalid_request']);
    }
    assert.deepEqual(accepted, [], 'malformed verifiers accepted');
    assert.equal(await countRows(worker, 'oauth_tokens'), tokens, 'no token row');
  });

  test('a code exchange without client_id → refused, no token', T, async () => {
    const { code, verifier } = await approvedCode();
    const tokens = await countRows(worker, 'oauth_tokens');
    const r = await postForm(worker.url, '/oauth/token', { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
    assertOAuthError(r, ['invalid_request', 'invalid_client'], [400, 401]);
    assert.equal(await countRows(worker, 'oauth_tokens'), tokens, 'no token row');
  });

  test('redirect_uri, client_id or resource that differ from the authorization → refused, no token', T, async () => {
    const { code, verifier } = await approvedCode();
    const tokens = await countRows(worker, 'oauth_tokens');
    assertOAuthError(await exchange({ code, verifier, redirectUri: site.url('/other-callback') }), 'invalid_grant');
    assertOAuthError(await exchange({ code, verifier, clientId: otherClientId, redirectUri: site.url('/other-callback') }), 'invalid_grant');
    assertOAuthError(await exchange({ code, verifier, resource: 'https://evil.example/v1/mcp' }), 'invalid_target');
    assert.equal(await countRows(worker, 'oauth_tokens'), tokens, 'no token row');
  });

  test('code replay → invalid_grant, and the tokens of the first exchange stop working', T, async () => {
    const { code, verifier } = await approvedCode();
    const first = assertTokenResponse(await exchange({ code, verifier }));
    assert.equal((await mcp(worker.url, first.access_token, 'tools/list')).status, 200, 'the first access token works');
    assertOAuthError(await exchange({ code, verifier }), 'invalid_grant');
    const dead = await mcp(worker.url, first.access_token, 'tools/list');
    assert.equal(dead.status, 401, 'the first access token is revoked');
    assertBearerChallenge(dead.headers, worker.url, { error: 'invalid_token' });
    assertOAuthError(await refresh(worker.url, { refreshToken: first.refresh_token, clientId }), 'invalid_grant');
    const grant = await grantOfToken(worker, first.access_token);
    assert.ok(grant.revoked_at, 'grant revoked');
    assert.equal(grant.revoked_reason, 'code_replay');
    assert.ok((await auditRows(worker, user.userId)).some((x) => x.action === 'oauth.code_replay'), 'audit oauth.code_replay');
  });

  test('an expired code → invalid_grant', T, async () => {
    const { code, verifier } = await approvedCode();
    await worker.db.prepare('UPDATE oauth_codes SET expires_at = ?1 WHERE code_hash = ?2').bind(Date.now() - 1000, sha256hex(code)).run();
    assertOAuthError(await exchange({ code, verifier }), 'invalid_grant');
  });

  test('unknown grant_type, missing grant_type → RFC 6749 errors', T, async () => {
    assertOAuthError(await postForm(worker.url, '/oauth/token', { grant_type: 'password', username: 'a', password: 'b', client_id: clientId }), 'unsupported_grant_type');
    assertOAuthError(await postForm(worker.url, '/oauth/token', { grant_type: 'client_credentials', client_id: clientId }), 'unsupported_grant_type');
    assertOAuthError(await postForm(worker.url, '/oauth/token', { client_id: clientId }), 'invalid_request');
  });

  test('refresh replay → invalid_grant, the family is revoked, the live pair dies too', T, async () => {
    const { tokens: t0 } = await obtainTokens(worker.url, browser, { clientId, redirectUri });
    const r1 = await refresh(worker.url, { refreshToken: t0.refresh_token, clientId });
    const t1 = assertTokenResponse(r1);
    assert.equal((await mcp(worker.url, t1.access_token, 'tools/list')).status, 200, 'the rotated access token works');
    assertOAuthError(await refresh(worker.url, { refreshToken: t0.refresh_token, clientId }), 'invalid_grant');
    assert.equal((await mcp(worker.url, t1.access_token, 'tools/list')).status, 401, 'the live access token died');
    assertOAuthError(await refresh(worker.url, { refreshToken: t1.refresh_token, clientId }), 'invalid_grant');
    const grant = await grantOfToken(worker, t1.access_token);
    assert.equal(grant.revoked_reason, 'refresh_reuse');
    assert.ok((await auditRows(worker, user.userId)).some((x) => x.action === 'oauth.refresh_reuse'), 'audit oauth.refresh_reuse');
  });

  test('refresh by another client, wider scope, or another resource → refused, the token still works after', T, async () => {
    const { tokens: t0 } = await obtainTokens(worker.url, browser, { clientId, redirectUri, scope: 'vault:read' });
    assert.equal(t0.scope, 'vault:read');
    assertOAuthError(await refresh(worker.url, { refreshToken: t0.refresh_token, clientId: otherClientId }), 'invalid_grant');
    assertOAuthError(await refresh(worker.url, { refreshToken: t0.refresh_token, clientId, scope: 'vault:read vault:write' }), 'invalid_scope');
    assertOAuthError(await refresh(worker.url, { refreshToken: t0.refresh_token, clientId, resource: 'https://evil.example/v1/mcp' }), 'invalid_target');
    assertOAuthError(await refresh(worker.url, { refreshToken: t0.access_token, clientId }), 'invalid_grant');
    const ok = assertTokenResponse(await refresh(worker.url, { refreshToken: t0.refresh_token, clientId }));
    assert.equal(ok.scope, 'vault:read', 'the refused attempts did not spend or widen the token');
  });
});

describe('defaults and lifetimes', () => {
  test('scope absent → vault:read vault:write; resource absent → the MCP resource', T, async () => {
    const { verifier, challenge } = pkce();
    const p = { ...params({ code_challenge: challenge }), scope: undefined, resource: undefined };
    const answer = await browser.submitConsent(await consentPageFor(p));
    const { code } = readRedirect(answer.external, redirectUri);
    const t = assertTokenResponse(await exchange({ code, verifier }));
    assert.deepEqual(t.scope.split(' ').sort(), ['vault:read', 'vault:write'], 'the default scope');
    const g = await grantOfToken(worker, t.access_token);
    assert.equal(g.resource, `${worker.url}/v1/mcp`, 'the default resource');
    assert.equal((await mcp(worker.url, t.access_token, 'tools/list')).status, 200);
  });

  test('vault:read is always included (a request for vault:write alone)', T, async () => {
    const { tokens } = await obtainTokens(worker.url, browser, { clientId, redirectUri, scope: 'vault:write' });
    assert.deepEqual(tokens.scope.split(' ').sort(), ['vault:read', 'vault:write']);
  });

  test('tokens live 1 hour (access) and 30 days (refresh); codes 60 s', T, async () => {
    const t0 = Date.now();
    const { tokens } = await obtainTokens(worker.url, browser, { clientId, redirectUri });
    const at = await worker.db.prepare('SELECT created_at, expires_at FROM oauth_tokens WHERE token_hash = ?1').bind(sha256hex(tokens.access_token)).first();
    const rt = await worker.db.prepare('SELECT created_at, expires_at FROM oauth_tokens WHERE token_hash = ?1').bind(sha256hex(tokens.refresh_token)).first();
    assert.equal(at.expires_at - at.created_at, 3600 * 1000, 'access: 1 hour');
    assert.equal(rt.expires_at - rt.created_at, 30 * 24 * 3600 * 1000, 'refresh: 30 days');
    const code = await worker.db.prepare('SELECT created_at, expires_at FROM oauth_codes WHERE created_at >= ?1 ORDER BY created_at DESC').bind(t0 - 1000).first();
    assert.equal(code.expires_at - code.created_at, 60 * 1000, 'code: 60 s');
  });

  test('an expired refresh token → invalid_grant', T, async () => {
    const { tokens } = await obtainTokens(worker.url, browser, { clientId, redirectUri });
    await worker.db.prepare('UPDATE oauth_tokens SET expires_at = ?1 WHERE token_hash = ?2').bind(Date.now() - 1000, sha256hex(tokens.refresh_token)).run();
    assertOAuthError(await refresh(worker.url, { refreshToken: tokens.refresh_token, clientId }), 'invalid_grant');
  });

  test('an expired consent request cannot be answered', T, async () => {
    const page = await consentPageFor(params());
    const codes = await countRows(worker, 'oauth_codes');
    await worker.db.prepare('UPDATE oauth_requests SET expires_at = ?1 WHERE user_id = ?2').bind(Date.now() - 1000, user.userId).run();
    const r = await browser.submitConsent(page);
    assert.ok(r.status >= 400 && r.status < 500, `refused (HTTP ${r.status})`);
    assert.equal(r.external, null, 'no redirect with a code');
    assert.equal(await countRows(worker, 'oauth_codes'), codes);
  });

  test('audience: a token is refused when the worker is reached under another origin (Host: localhost)', T, async () => {
    const { tokens } = await obtainTokens(worker.url, browser, { clientId, redirectUri });
    const { request } = await import('node:http');
    const port = new URL(worker.url).port;
    /** tools/list to 127.0.0.1 with `Host: localhost:<port>`: the worker's origin is then http://localhost:<port>. */
    const viaLocalhost = (token) => new Promise((resolve, reject) => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} });
      const req = request({
        host: '127.0.0.1', port, path: '/v1/mcp', method: 'POST', timeout: 10_000,
        headers: {
          Host: `localhost:${port}`, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-11-25', 'Content-Length': Buffer.byteLength(body),
        },
      }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, headers: new Headers(Object.entries(res.headers).map(([k, v]) => [k, String(v)])) }));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(body);
    });
    const control = await viaLocalhost(user.token);
    assert.equal(control.status, 200, 'control: a device master token works under Host: localhost');
    const r = await viaLocalhost(tokens.access_token);
    assert.equal(r.status, 401, `the token for ${worker.url}/v1/mcp is not accepted at http://localhost:${port}/v1/mcp`);
    assertBearerChallenge(r.headers, `http://localhost:${port}`, { error: 'invalid_token' });
    assert.equal((await mcp(worker.url, tokens.access_token, 'tools/list')).status, 200, 'and still works at its own resource');
  });
});

describe('resource server', () => {
  let tokens;
  before(async () => {
    ({ tokens } = await obtainTokens(worker.url, browser, { clientId, redirectUri }));
  });

  test('an access token at a REST route (GET /v1/keys) is refused', T, async () => {
    for (const [method, path] of [['GET', '/v1/keys'], ['GET', '/v1/auth/me'], ['GET', '/v1/oauth/grants'], ['GET', '/v1/devices']]) {
      const r = await getJson(worker.url, path, { token: tokens.access_token, headers: {} });
      assert.ok(r.status === 401 || r.status === 403, `${method} ${path} with an OAuth access token: refused (HTTP ${r.status})`);
      assert.ok(!Array.isArray(r.json?.keys) && !Array.isArray(r.json?.grants) && !r.json?.email, `${path}: no data`);
    }
  });

  test('the refresh token is not a bearer token', T, async () => {
    const r = await mcp(worker.url, tokens.refresh_token, 'tools/list');
    assert.equal(r.status, 401);
    assertBearerChallenge(r.headers, worker.url, { error: 'invalid_token' });
  });

  test('a token in the query string → 400', T, async () => {
    const q = `access_token=${encodeURIComponent(tokens.access_token)}`;
    for (const path of [`/v1/mcp?${q}`, `/v1/keys?${q}`]) {
      const res = await fetch(`${worker.url}${path}`, {
        method: path.startsWith('/v1/mcp') ? 'POST' : 'GET',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-11-25' },
        body: path.startsWith('/v1/mcp') ? JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      assert.equal(res.status, 400, `${path.split('?')[0]}?access_token=…: HTTP ${res.status}`);
      assert.ok(!text.includes('"tools"') && !text.includes('"keys"'), 'no data');
    }
    // And with a valid header too: the query token still makes it a 400.
    const r = await mcp(worker.url, tokens.access_token, 'tools/list', {}, {});
    assert.equal(r.status, 200, 'the token itself is fine');
    const res = await fetch(`${worker.url}/v1/mcp?access_token=${encodeURIComponent(tokens.access_token)}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.access_token}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', 'MCP-Protocol-Version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
      signal: AbortSignal.timeout(10_000),
    });
    await res.text();
    assert.equal(res.status, 400, 'header + query → 400');
  });

  test('an expired access token → 401 invalid_token', T, async () => {
    const { tokens: t } = await obtainTokens(worker.url, browser, { clientId, redirectUri });
    assert.equal((await mcp(worker.url, t.access_token, 'tools/list')).status, 200);
    await worker.db.prepare('UPDATE oauth_tokens SET expires_at = ?1 WHERE token_hash = ?2').bind(Date.now() - 1000, sha256hex(t.access_token)).run();
    const r = await mcp(worker.url, t.access_token, 'tools/list');
    assert.equal(r.status, 401);
    assertBearerChallenge(r.headers, worker.url, { error: 'invalid_token' });
  });

  test('a revoked access token (RFC 7009) → 401; revocation answers 200 even for junk', T, async () => {
    const { tokens: t } = await obtainTokens(worker.url, browser, { clientId, redirectUri });
    const rv = await postForm(worker.url, '/oauth/revoke', { token: t.access_token, client_id: clientId });
    assert.equal(rv.status, 200);
    const r = await mcp(worker.url, t.access_token, 'tools/list');
    assert.equal(r.status, 401);
    assertBearerChallenge(r.headers, worker.url, { error: 'invalid_token' });
    assert.equal((await postForm(worker.url, '/oauth/revoke', { token: 'vk_at_junk', client_id: clientId })).status, 200);
  });

  test('a token of one client cannot be revoked by another client', T, async () => {
    const { tokens: t } = await obtainTokens(worker.url, browser, { clientId, redirectUri });
    const rv = await postForm(worker.url, '/oauth/revoke', { token: t.access_token, client_id: otherClientId });
    assert.ok(rv.status === 200 || rv.status === 400 || rv.status === 401, `HTTP ${rv.status}`);
    assert.equal((await mcp(worker.url, t.access_token, 'tools/list')).status, 200, 'still valid: another client cannot revoke it');
  });
});

describe('client metadata documents', () => {
  /** @type {Awaited<ReturnType<typeof startTcpTrap>>} */
  let trap6;
  before(async () => {
    trap6 = await startTcpTrap('::1');
  });
  after(async () => {
    await trap6?.stop();
  });

  test('private, loopback-https, link-local and malformed client_id URLs → error page, nothing fetched', T, async () => {
    const before = await oauthCounts();
    const ids = [
      'https://10.0.0.5/client.json',
      'https://192.168.1.1/x',
      'https://[::1]/x',
      `https://[::1]:${trap6.port}/client.json`,
      'https://169.254.169.254/latest/meta-data',
      'https://172.16.0.1/client.json',
      'https://100.64.0.1/client.json',
      'https://[fe80::1]/client.json',
      'https://[::ffff:10.0.0.5]/client.json',
      'https://localhost/client.json',
      'http://10.0.0.5/client.json',
      // Loopback http is allowed in development, so these are refused for their
      // shape alone; the client site would see a fetch if one were made.
      `http://user:pass@${new URL(site.origin).host}/ui.json`,
      `${site.origin}/frag.json#frag`,
      site.origin,
      `ftp://${new URL(site.origin).host}/ftp.json`,
    ];
    const siteHits = site.requests.length;
    for (const id of ids) {
      const started = Date.now();
      const page = await browser.request('GET', authorizeUrl(worker.url, params({ client_id: id, redirect_uri: 'https://client.example/cb' })));
      assertErrorPage(page, [400, 401], `client_id ${id}`);
      assert.ok(Date.now() - started < 4000, `${id}: refused before any fetch (took ${Date.now() - started} ms; a fetch would wait up to 5 s)`);
    }
    assert.equal(trap6.connections(), 0, 'no connection to [::1]');
    assert.equal(site.requests.length, siteHits, 'no request to the loopback client site');
    assert.deepEqual(await oauthCounts(), before, 'nothing stored');
  });

  /** Serves `doc` at a fresh path and runs an authorization request naming it. */
  async function tryDocument(doc, o = {}) {
    const path = `/cimd-${randomBytes(4).toString('hex')}.json`;
    const url = site.url(path);
    site.serve(path, typeof doc === 'function' ? doc(url) : doc, o.serve);
    const p = params({ client_id: url, redirect_uri: o.redirectUri ?? site.url('/cb') });
    const page = await browser.request('GET', authorizeUrl(worker.url, p));
    return { page, path, url, p };
  }

  const good = (url) => ({
    client_id: url, client_name: 'doc client', redirect_uris: [site.url('/cb')], token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
  });

  test('a well-formed loopback document is accepted (control for the cases below)', T, async () => {
    const { page, path } = await tryDocument(good);
    const final = page.status === 303 ? await browser.navigate('GET', page.location) : page;
    assert.equal(final.status, 200, scrub(`consent (HTTP ${final.status} ${textOf(final.html).slice(0, 200)})`));
    assert.ok(consentForm(final.html), 'a consent form');
    assert.ok(site.hits(path) >= 1, 'fetched');
  });

  for (const [name, mutate, opts] of [
    ['whose client_id differs from its URL', (url) => ({ ...good(url), client_id: `${url}-other` })],
    ['whose client_id is another site', (url) => ({ ...good(url), client_id: 'https://client.example/client.json' })],
    ['without redirect_uris', (url) => ({ ...good(url), redirect_uris: undefined })],
    ['asking for client_secret_basic', (url) => ({ ...good(url), token_endpoint_auth_method: 'client_secret_basic' })],
    ['whose redirect_uris do not include the request\'s', (url) => ({ ...good(url), redirect_uris: ['https://client.example/cb'] })],
    ['that is not JSON', () => '<html>not json</html>', { serve: { type: 'text/html' } }],
    ['answered with 404', (url) => good(url), { serve: { status: 404 } }],
    ['larger than 16 KiB', (url) => ({ ...good(url), padding: 'x'.repeat(17 * 1024) })],
    // Last-wins would read the second (valid) list; the first is what a reviewer sees.
    ['that gives redirect_uris twice', (url) => `{"redirect_uris":["https://evil.example/cb"],${JSON.stringify(good(url)).slice(1)}`],
  ]) {
    test(`a document ${name} → error page, no redirect, nothing stored`, T, async () => {
      const before = await oauthCounts();
      const { page, path } = await tryDocument(mutate, opts);
      assertErrorPage(page, [400, 401], name);
      assert.ok(site.hits(path) >= 1, 'the document was fetched (the refusal is about its content)');
      assert.deepEqual(await oauthCounts(), before, 'nothing stored');
    });
  }

  test('before sign-in no document is fetched: the browser is sent to sign in first', T, async () => {
    const path = `/cimd-anon-${randomBytes(4).toString('hex')}.json`;
    const url = site.url(path);
    site.serve(path, good(url));
    const anonymous = new HeadlessBrowser(worker.url);
    const p = params({ client_id: url, redirect_uri: site.url('/cb') });
    const page = await anonymous.request('GET', authorizeUrl(worker.url, p));
    assert.equal(page.status, 303, scrub(`HTTP ${page.status} ${textOf(page.html).slice(0, 200)}`));
    assert.match(new URL(page.location).pathname, /^\/auth\/login$/);
    assert.equal(new URL(page.location).searchParams.get('return_to'), new URL(authorizeUrl(worker.url, p)).pathname + new URL(authorizeUrl(worker.url, p)).search);
    assert.equal(site.hits(path), 0, 'nothing fetched for an anonymous request');
    // After signing in, the same request fetches it and shows the consent page.
    const consent = await anonymous.openAuthorization(authorizeUrl(worker.url, p));
    assert.ok(consent.consent, scrub(`a consent form after sign-in: ${consent.text.slice(0, 200)}`));
    assert.equal(site.hits(path), 1);
  });

  test('a document is cached for its max-age: a second authorization fetches nothing', T, async () => {
    const { path, url } = await tryDocument(good, { serve: { headers: { 'cache-control': 'public, max-age=300' } } });
    assert.equal(site.hits(path), 1);
    const row = await worker.db.prepare('SELECT fetched_at, expires_at FROM oauth_client_documents WHERE url = ?').bind(url).first();
    assert.ok(row, 'a cache row');
    assert.equal(row.expires_at - row.fetched_at, 300_000, 'kept for max-age');
    for (let i = 0; i < 2; i++) {
      const page = await browser.request('GET', authorizeUrl(worker.url, params({ client_id: url, redirect_uri: site.url('/cb') })));
      assert.equal(page.status, 200, scrub(`consent again (HTTP ${page.status} ${textOf(page.html).slice(0, 200)})`));
      assert.ok(consentForm(page.html));
    }
    assert.equal(site.hits(path), 1, 'no second fetch within the lifetime');
    // The cached document still binds its redirect URIs.
    const wrongRedirect = await browser.request('GET', authorizeUrl(worker.url, params({ client_id: url, redirect_uri: 'https://client.example/cb' })));
    assertErrorPage(wrongRedirect, 400, 'cached document, other redirect_uri');
  });

  test('a no-store document is fetched at every authorization and never stored', T, async () => {
    const { path, url } = await tryDocument(good);  // the site sends Cache-Control: no-store
    await browser.request('GET', authorizeUrl(worker.url, params({ client_id: url, redirect_uri: site.url('/cb') })));
    assert.equal(site.hits(path), 2);
    assert.equal(await countRows(worker, 'oauth_client_documents', 'url = ?', [url]), 0);
  });

  test('a document behind a redirect is not followed', T, async () => {
    const target = `/cimd-target-${randomBytes(4).toString('hex')}.json`;
    const from = `/cimd-from-${randomBytes(4).toString('hex')}.json`;
    site.serve(target, good(site.url(from)));
    site.serve(from, '', { status: 302, type: 'text/plain', headers: { location: site.url(target) } });
    const p = params({ client_id: site.url(from), redirect_uri: site.url('/cb') });
    const page = await browser.request('GET', authorizeUrl(worker.url, p));
    assertErrorPage(page, [400, 401], 'redirecting document');
    assert.ok(site.hits(from) >= 1, 'the document URL was fetched');
    assert.equal(site.hits(target), 0, 'the redirect target was never fetched');
  });
});

describe('registration (RFC 7591)', () => {
  for (const [name, uris] of [
    ['javascript:', ['javascript:alert(1)']],
    ['data:', ['data:text/html,hi']],
    ['file:', ['file:///etc/passwd']],
    // Schemes outside the allowlist (https, loopback http, reverse-domain
    // private-use schemes, a few named editors): a denylist let these through.
    ['view-source:', ['view-source:https://client.example/cb']],
    ['jar:', ['jar:https://client.example/app.jar!/cb']],
    ['intent:', ['intent://cb']],
    ['a dotless private-use scheme of no known client', ['myapp://cb']],
    ['plain http to a non-loopback host', ['http://client.example/cb']],
    ['a fragment', ['https://client.example/cb#x']],
    ['a relative URI', ['/cb']],
    ['none at all', []],
  ]) {
    test(`redirect_uris with ${name} → 400, no client`, T, async () => {
      const before = await countRows(worker, 'oauth_clients');
      const r = await registerClient(worker.url, { redirect_uris: uris });
      assert.equal(r.status, 400, `HTTP ${r.status} ${r.text.slice(0, 200)}`);
      assert.ok(['invalid_redirect_uri', 'invalid_client_metadata'].includes(r.json?.error), `RFC 7591 error (got ${r.json?.error})`);
      assert.equal(await countRows(worker, 'oauth_clients'), before);
    });
  }

  test('a confidential-client request is answered as a public client (token_endpoint_auth_method none, no secret)', T, async () => {
    const r = await registerClient(worker.url, { redirect_uris: ['https://client.example/cb'], token_endpoint_auth_method: 'client_secret_basic' });
    assert.equal(r.status, 201, `HTTP ${r.status} ${r.text.slice(0, 200)}`);
    assert.equal(r.json.token_endpoint_auth_method, 'none');
    assert.ok(!('client_secret' in r.json), 'no client_secret');
    assert.match(r.json.client_id, /^vc_/);
  });

  test('a member given twice (redirect_uris) → 400 invalid_client_metadata naming it, no client', T, async () => {
    const before = await countRows(worker, 'oauth_clients');
    const body = '{"client_name":"dup","redirect_uris":["https://client.example/cb"],"redirect_uris":["https://evil.example/cb"]}';
    const r = await request(worker.url, null, 'POST', '/oauth/register', body);
    assertOAuthError({ ...r, json: r.body }, 'invalid_client_metadata');
    assert.match(r.body.error_description, /'redirect_uris' appears more than once/);
    assert.equal(await countRows(worker, 'oauth_clients'), before);
  });

  test('native-app private-use schemes and loopback are registrable', T, async () => {
    const r = await registerClient(worker.url, { redirect_uris: ['cursor://anysphere.cursor-retrieval/oauth/callback', 'http://127.0.0.1/cb', 'http://[::1]/cb', 'https://claude.ai/api/mcp/auth_callback'] });
    assert.equal(r.status, 201, `HTTP ${r.status} ${r.text.slice(0, 200)}`);
    const editors = await registerClient(worker.url, { redirect_uris: ['vscode://vscode.mcp/cb', 'vscode-insiders://vscode.mcp/cb', 'com.example.app:/oauth2redirect'] });
    assert.equal(editors.status, 201, `HTTP ${editors.status} ${editors.text.slice(0, 200)}`);
  });

  test('Claude web: registered with https://claude.ai/api/mcp/auth_callback, the code goes there and is exchanged', T, async () => {
    // What Claude's "Add custom connector" does; the browser is stopped at the
    // 303 to claude.ai (nothing is sent off this machine).
    const claude = 'https://claude.ai/api/mcp/auth_callback';
    const reg = await registerClient(worker.url, {
      client_name: 'Claude', redirect_uris: [claude], token_endpoint_auth_method: 'client_secret_post',
      grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
    });
    assert.equal(reg.status, 201, `HTTP ${reg.status} ${reg.text.slice(0, 200)}`);
    assert.equal(reg.json.token_endpoint_auth_method, 'none', 'registered as a public client');
    const { verifier, challenge } = pkce();
    const p = authorizeParams(worker.url, { clientId: reg.json.client_id, redirectUri: claude, challenge, state: randomState() });
    const page = await consentPageFor(p);
    assert.match(page.text, /claude\.ai/, 'the consent page names the host it returns to');
    const answer = await browser.submitConsent(page);
    const r = readRedirect(answer.external, claude);
    assert.equal(r.state, p.state);
    assert.equal(r.iss, worker.url);
    const tok = await exchange({ code: r.code, verifier, clientId: reg.json.client_id, redirectUri: claude });
    assert.equal(tok.status, 200, `token endpoint: HTTP ${tok.status} ${tok.json?.error ?? ''}`);
    registerSecret(tok.json.access_token);
    registerSecret(tok.json.refresh_token);
    assert.equal(tok.json.token_type, 'Bearer');
  });

  test('not JSON → 400', T, async () => {
    const res = await fetch(`${worker.url}/oauth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"redirect_uris":', signal: AbortSignal.timeout(10_000) });
    await res.text();
    assert.equal(res.status, 400);
  });
});

test('the consent page and token answers are not cacheable and cannot be framed', T, async () => {
  const page = await consentPageFor(params());
  assert.match(page.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  assert.match(page.headers.get('cache-control') ?? '', /no-store/);
  const form = consentForm(page.html);
  assert.equal(form.method, 'POST', 'the consent form POSTs');
  assert.ok(form.controls.some((c) => c.name === 'csrf' && c.type === 'hidden' && c.value.length >= 32), 'a hidden csrf field');
});

describe('repeated parameters (RFC 6749 §3.1: not more than once)', () => {
  /** POSTs a raw form body (so names can repeat) to `path`. */
  const rawForm = (path, body) => request(worker.url, null, 'POST', path, body, { 'Content-Type': 'application/x-www-form-urlencoded' });
  /** Asserts invalid_request whose description names `name`. */
  function assertRepeated(r, name) {
    assertOAuthError({ ...r, json: r.body }, 'invalid_request');
    assert.match(r.body.error_description, new RegExp(`'${name}'.*more than once`), 'the message names the parameter');
  }

  test('authorize: a repeated client_id or redirect_uri → error page, no redirect, nothing stored', T, async () => {
    const before = await oauthCounts();
    const good = new URL(authorizeUrl(worker.url, params()));
    for (const [name, value] of [['client_id', otherClientId], ['redirect_uri', site.url('/other-callback')], ['scope', 'vault:read']]) {
      for (const order of ['evil-first', 'real-first']) {
        const u = new URL(good);
        const real = u.searchParams.get(name);
        u.searchParams.delete(name);
        const [first, second] = order === 'evil-first' ? [value, real] : [real, value];
        if (first !== null) u.searchParams.append(name, first);
        if (second !== null) u.searchParams.append(name, second);
        const page = await browser.request('GET', u.href);
        assertErrorPage(page, 400, `${name} twice (${order})`);
        assert.match(textOf(page.html), new RegExp(`invalid_request.*'${name}'`), 'the page names the parameter');
      }
    }
    assert.deepEqual(await oauthCounts(), before, 'no request, code, token or grant row');
  });

  test('consent form: a repeated field → 400 page, no code', T, async () => {
    const page = await consentPageFor(params());
    const entries = consentEntries(consentForm(page.html), {});
    const before = await oauthCounts();
    const answer = await browser.request('POST', '/oauth/authorize', { form: [...entries, ['decision', 'approve']] });
    assertErrorPage(answer, 400, 'decision twice');
    assert.match(textOf(answer.html), /'decision'/);
    assert.deepEqual(await oauthCounts(), before, 'no code or grant');
  });

  test('token endpoint: a repeated client_id, code or grant_type → invalid_request naming it, no token', T, async () => {
    const { code, verifier } = await approvedCode();
    const tokens = await countRows(worker, 'oauth_tokens');
    const base = `grant_type=authorization_code&code=${encodeURIComponent(code)}&redirect_uri=${encodeURIComponent(redirectUri)}&code_verifier=${verifier}`;
    assertRepeated(await rawForm('/oauth/token', `${base}&client_id=${otherClientId}&client_id=${clientId}`), 'client_id');
    assertRepeated(await rawForm('/oauth/token', `${base}&client_id=${clientId}&client_id=${otherClientId}`), 'client_id');
    assertRepeated(await rawForm('/oauth/token', `${base}&client_id=${clientId}&grant_type=refresh_token`), 'grant_type');
    assert.equal(await countRows(worker, 'oauth_tokens'), tokens, 'no token row');
    // The code is still good for a well-formed request.
    assertTokenResponse(await exchange({ code, verifier }));
  });

  test('revocation: a repeated token → invalid_request naming it, nothing revoked', T, async () => {
    const { tokens } = await obtainTokens(worker.url, browser, { clientId, redirectUri });
    const r = await rawForm('/oauth/revoke', `token=vk_at_decoy&token=${encodeURIComponent(tokens.access_token)}`);
    assertRepeated(r, 'token');
    assert.equal((await mcp(worker.url, tokens.access_token, 'tools/list')).status, 200, 'the token still works');
  });
});

describe('rate limits of the endpoints anyone may call (per client address)', () => {
  /** @type {import('./harness.mjs').StartedWorker} */
  let limited;
  before(async () => {
    limited = await startWorker({ vars: { RATE_LIMIT_OAUTH_REGISTER_PER_IP: '2', RATE_LIMIT_OAUTH_TOKEN_PER_IP: '3', RATE_LIMIT_OAUTH_CLIENT_METADATA_PER_IP: '2' } });
  });

  test('client metadata document fetches: past the limit a 429 page with Retry-After and no fetch', T, async () => {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 8_000) await new Promise((r) => setTimeout(r, left + 100));
    const b = new HeadlessBrowser(limited.url);
    await b.signIn();
    const path = `/cimd-limit-${randomBytes(4).toString('hex')}.json`;
    const url = site.url(path);
    site.serve(path, { client_id: url, client_name: 'limited', redirect_uris: [site.url('/cb')], token_endpoint_auth_method: 'none' });
    const open = (ip) => b.request('GET', authorizeUrl(limited.url, { ...params({ client_id: url, redirect_uri: site.url('/cb') }), resource: `${limited.url}/v1/mcp` }), { headers: { 'CF-Connecting-IP': ip } });
    for (let i = 0; i < 2; i++) assert.equal((await open('192.0.2.77')).status, 200, 'within the limit');
    const refused = await open('192.0.2.77');
    assert.equal(refused.status, 429, scrub(`HTTP ${refused.status} ${textOf(refused.html).slice(0, 200)}`));
    assert.match(textOf(refused.html), /client metadata document fetch/);
    const retry = Number(refused.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, `Retry-After within the minute (${retry})`);
    assert.equal(site.hits(path), 2, 'the refused request fetched nothing');
    assert.equal((await open('192.0.2.78')).status, 200, 'another address has its own count');
  });
  after(async () => {
    await limited?.stop();
  });

  /** POST `body` to `path` from client address `ip` (CF-Connecting-IP, as the edge sets it). */
  async function postFrom(ip, path, contentType, body) {
    const r = await request(limited.url, null, 'POST', path, body, { 'Content-Type': contentType, 'CF-Connecting-IP': ip });
    return { ...r, json: r.body };
  }
  const client = JSON.stringify({ client_name: 'flood', redirect_uris: ['http://127.0.0.1:7777/callback'] });
  const register = (ip) => postFrom(ip, '/oauth/register', 'application/json', client);
  const tokenForm = (ip, body) => postFrom(ip, '/oauth/token', 'application/x-www-form-urlencoded', body);

  /** Asserts the per-address refusal: 429 rate_limited, a message, Retry-After within the minute. */
  function assertLimited(r, what) {
    assertOAuthError(r, 'rate_limited', 429);
    assert.match(r.json.error_description, /per client address/, `${what}: the message says which limit`);
    const retry = Number(r.headers.get('retry-after'));
    assert.ok(retry >= 1 && retry <= 60, `${what}: Retry-After within the minute (${retry})`);
  }

  test('registration: past the limit 429 with Retry-After and nothing stored; another address unaffected', T, async () => {
    const before = await countRows(limited, 'oauth_clients');
    assert.equal((await register('198.51.100.7')).status, 201);
    assert.equal((await register('198.51.100.7')).status, 201);
    assertLimited(await register('198.51.100.7'), 'third registration');
    assert.equal(await countRows(limited, 'oauth_clients'), before + 2, 'the refused registration stored nothing');
    assert.equal((await register('198.51.100.8')).status, 201, 'another address has its own count');
  });

  test('token endpoint and revocation share one count', T, async () => {
    const ip = '203.0.113.30';
    const bogus = 'grant_type=refresh_token&refresh_token=vk_rt_not-a-token&client_id=x';
    assertOAuthError(await tokenForm(ip, bogus), 'invalid_grant');
    assert.equal((await postFrom(ip, '/oauth/revoke', 'application/x-www-form-urlencoded', 'token=vk_at_nope')).status, 200);
    assertOAuthError(await tokenForm(ip, bogus), 'invalid_grant');
    assertLimited(await tokenForm(ip, bogus), 'fourth token request');
    assertLimited(await postFrom(ip, '/oauth/revoke', 'application/x-www-form-urlencoded', 'token=vk_at_nope'), 'revocation');
    assertOAuthError(await tokenForm('203.0.113.31', bogus), 'invalid_grant');
  });
});
