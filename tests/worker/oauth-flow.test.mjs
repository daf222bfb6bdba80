// The OAuth 2.1 authorization server (docs/oauth.md) end to end with the real
// @modelcontextprotocol/sdk 1.32.2 client against the built worker (js-shim +
// core.wasm in Miniflare, real D1, real HTTP on 127.0.0.1):
//   - discovery: RFC 9728 protected-resource metadata, RFC 8414 server
//     metadata, the 401 challenge that starts it all;
//   - the SDK's own flow with dynamic registration (RFC 7591): 401 →
//     discovery → register → authorize (a headless browser signs in through
//     the development form and approves the consent page) → finishAuth(code)
//     → connect → tools/list → tools/call list_keys;
//   - refresh: an expired access token makes the SDK refresh (rotation); a
//     replayed refresh token revokes the family and the SDK is sent back to
//     consent; RFC 7009 revocation → 401 with resource_metadata;
//   - the same flow with a Client ID Metadata Document served from loopback;
//   - connected apps: GET /v1/oauth/grants and one-click revoke;
//   - scope step-up: a vault:read token calling a write tool → 403
//     insufficient_scope;
//   - audit rows (actor_kind oauth, client name, grant id) and no plaintext
//     credential anywhere in D1.
// Tests in a describe share state and run in order.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

import { addUser, startWorker } from './harness.mjs';
import { argsFor, assertToolOk, auditRows, fakeSecret, firstArray, keyName, registerSecret } from './mcp-support.mjs';
import {
  BrowserOAuthProvider, DEFAULT_SCOPE, consentForm, scopeCheckboxes, HeadlessBrowser, SCOPES, assertBearerChallenge, assertNoPlainCredentials,
  assertOAuthError, countRows, getJson, grantOfToken, mcp, obtainTokens, postForm, refresh, registerClient, scrub,
  dumpD1, sendJson, sha256hex, startClientSite,
} from './oauth-support.mjs';

const T = { timeout: 60_000 };
const RPC = { timeout: 10_000 };

/** @type {import('./harness.mjs').StartedWorker} */
let worker;
/** @type {import('./oauth-support.mjs').ClientSite} */
let site;
/** @type {{userId: string, deviceId: string, token: string, email: string}} */
let user;
/** A key stored through REST, so list_keys proves whose vault a token opens. */
let keyNameStored;
/** Every credential the server issued in this file, for the D1 scan. */
const issued = new Set();

/** Every browser the tests used (their cookies join the leak scan). */
const browsers = [];
/** A browser that signs in as the test user. */
function userBrowser() {
  const b = new HeadlessBrowser(worker.url, { email: user.email });
  browsers.push(b);
  return b;
}

const remember = (...tokens) => {
  for (const t of tokens) if (typeof t === 'string') issued.add(registerSecret(t));
};

before(async () => {
  worker = await startWorker();
  site = await startClientSite();
  user = await addUser(worker, `oauth-flow-${randomBytes(3).toString('hex')}@example.test`);
  registerSecret(user.token);
  keyNameStored = keyName('OAUTH_FLOW_OPENAI');
  const r = await sendJson(worker.url, '/v1/keys', {
    name: keyNameStored, provider: 'openai', credential_type: 'api_key', key: fakeSecret(),
  }, { token: user.token });
  assert.equal(r.status, 201, scrub(`seed key: HTTP ${r.status} ${r.text.slice(0, 200)}`));
});
after(async () => {
  await site?.stop();
  await worker?.stop();
});

const mcpUrl = () => new URL(`${worker.url}/v1/mcp`);
const resource = () => `${worker.url}/v1/mcp`;

/** A fresh SDK client + transport using `provider`. */
function sdkClient(provider, name = 'oauth-flow-agent') {
  const transport = new StreamableHTTPClientTransport(mcpUrl(), { authProvider: provider });
  const client = new Client({ name, version: '1.0.0' }, { capabilities: {} });
  return { client, transport };
}

/**
 * The SDK's first contact: connect() meets a 401, runs discovery (and
 * registration), sends the browser to consent and rejects with
 * UnauthorizedError; then finishAuth(code) and a new transport connects.
 * @returns {Promise<{client: Client, transport: StreamableHTTPClientTransport}>}
 */
async function connectThroughConsent(provider, name) {
  const first = sdkClient(provider, name);
  const urlsBefore = provider.authorizationUrls.length;
  await assert.rejects(first.client.connect(first.transport, RPC), (e) => {
    assert.ok(e instanceof UnauthorizedError, scrub(`connect before consent rejects with UnauthorizedError (got ${e?.name}: ${e?.message})`));
    return true;
  });
  assert.equal(provider.authorizationUrls.length, urlsBefore + 1, 'the SDK sent the user to the authorization endpoint once');
  await first.transport.finishAuth(provider.code);
  remember(provider.code, provider.tokens()?.access_token, provider.tokens()?.refresh_token);
  await first.client.close().catch(() => {});
  const second = sdkClient(provider, name);
  await second.client.connect(second.transport, RPC);
  return second;
}

/** list_keys through an SDK client; returns the key names. */
async function sdkListKeys(client) {
  const r = await client.callTool({ name: 'list_keys', arguments: {} }, undefined, RPC);
  return firstArray(assertToolOk('list_keys', r), ['keys']).map((k) => k.name);
}

/** Asserts the authorization URL the SDK built, as docs/oauth.md expects it. */
function checkAuthorizationUrl(u, clientIdCheck, redirectUrl) {
  assert.equal(`${u.origin}${u.pathname}`, `${worker.url}/oauth/authorize`, 'authorization_endpoint from the metadata');
  const p = u.searchParams;
  assert.equal(p.get('response_type'), 'code');
  assert.ok(clientIdCheck(p.get('client_id')), `client_id ${p.get('client_id')}`);
  assert.equal(p.get('code_challenge_method'), 'S256');
  assert.match(p.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
  assert.equal(p.get('redirect_uri'), redirectUrl);
  assert.equal(p.get('resource'), resource(), 'RFC 8707 resource = the PRM resource');
  assert.equal(p.get('scope'), DEFAULT_SCOPE, 'scope from the 401 challenge');
  assert.ok(p.get('state'), 'a state');
}

/** Asserts the consent page names the client, says "self-declared", names the redirect host. */
function checkConsentText(text, clientName) {
  assert.ok(text.includes(clientName), `consent names the client "${clientName}": ${scrub(text.slice(0, 400))}`);
  assert.match(text, /self-declared|declared by the app itself/i, 'consent says the name is self-declared');
  assert.ok(text.includes('127.0.0.1'), `consent names the redirect host 127.0.0.1: ${scrub(text.slice(0, 400))}`);
  assert.match(text, /read/i, 'consent describes reading in words');
}

describe('discovery', () => {
  test('RFC 9728 protected resource metadata, at the path-suffixed and the plain well-known URL', T, async () => {
    for (const path of ['/.well-known/oauth-protected-resource/v1/mcp', '/.well-known/oauth-protected-resource']) {
      const r = await getJson(worker.url, path);
      assert.equal(r.status, 200, `${path}: HTTP ${r.status} ${r.text.slice(0, 200)}`);
      assert.match(r.headers.get('content-type') ?? '', /application\/json/, `${path}: JSON`);
      assert.equal(r.json.resource, resource(), `${path}: resource`);
      assert.deepEqual(r.json.authorization_servers, [worker.url], `${path}: authorization_servers = [issuer]`);
      for (const s of SCOPES) assert.ok(r.json.scopes_supported?.includes(s), `${path}: scopes_supported has ${s}`);
      assert.deepEqual(r.json.bearer_methods_supported, ['header'], `${path}: bearer_methods_supported`);
    }
  });

  test('RFC 8414 authorization server metadata', T, async () => {
    const r = await getJson(worker.url, '/.well-known/oauth-authorization-server');
    assert.equal(r.status, 200, `HTTP ${r.status} ${r.text.slice(0, 200)}`);
    const m = r.json;
    assert.equal(m.issuer, worker.url, 'issuer is the origin');
    assert.equal(m.authorization_endpoint, `${worker.url}/oauth/authorize`);
    assert.equal(m.token_endpoint, `${worker.url}/oauth/token`);
    assert.equal(m.registration_endpoint, `${worker.url}/oauth/register`);
    assert.equal(m.revocation_endpoint, `${worker.url}/oauth/revoke`);
    assert.ok(m.response_types_supported?.includes('code'), 'response_types_supported has code');
    assert.ok(m.grant_types_supported?.includes('authorization_code') && m.grant_types_supported?.includes('refresh_token'), 'grant types');
    assert.deepEqual(m.code_challenge_methods_supported, ['S256']);
    assert.deepEqual(m.token_endpoint_auth_methods_supported, ['none']);
    assert.equal(m.client_id_metadata_document_supported, true);
    assert.equal(m.authorization_response_iss_parameter_supported, true);
    for (const s of SCOPES) assert.ok(m.scopes_supported?.includes(s), `scopes_supported has ${s}`);
  });

  test('401 from /v1/mcp: Bearer resource_metadata + scope; error="invalid_token" only when a token was presented', T, async () => {
    const none = await mcp(worker.url, undefined, 'tools/list');
    assert.equal(none.status, 401);
    assertBearerChallenge(none.headers, worker.url, { error: null, scope: DEFAULT_SCOPE });
    const bogus = await mcp(worker.url, `vk_at_${randomBytes(32).toString('base64url')}`, 'tools/list');
    assert.equal(bogus.status, 401);
    assertBearerChallenge(bogus.headers, worker.url, { error: 'invalid_token', scope: DEFAULT_SCOPE });
  });
});

describe('cross-origin (a browser-based client such as the Inspector web UI)', () => {
  const page = 'http://localhost:6274';

  test('preflights of discovery, registration, token and revocation are answered; the vault and /v1/mcp are not', T, async () => {
    const ask = (path, method) => fetch(`${worker.url}${path}`, {
      method: 'OPTIONS',
      headers: { Origin: page, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'content-type,mcp-protocol-version' },
      signal: AbortSignal.timeout(10_000),
    });
    for (const [path, method] of [
      ['/.well-known/oauth-protected-resource/v1/mcp', 'GET'], ['/.well-known/oauth-authorization-server', 'GET'],
      ['/oauth/register', 'POST'], ['/oauth/token', 'POST'], ['/oauth/revoke', 'POST'],
    ]) {
      const r = await ask(path, method);
      assert.equal(r.status, 204, `${path}: preflight answered`);
      assert.equal(r.headers.get('access-control-allow-origin'), '*', `${path}: any origin, without credentials`);
      assert.match(r.headers.get('access-control-allow-methods') ?? '', new RegExp(method), `${path}: ${method} allowed`);
      assert.match(r.headers.get('access-control-allow-headers') ?? '', /MCP-Protocol-Version/i, `${path}: the SDK's discovery header allowed`);
    }
    for (const [path, method] of [['/v1/keys', 'GET'], ['/v1/mcp', 'POST'], ['/v1/oauth/grants', 'GET']]) {
      const r = await ask(path, method);
      await r.arrayBuffer();
      assert.ok(r.status >= 400 && r.status < 500, `${path}: preflight refused (${r.status})`);
      assert.equal(r.headers.get('access-control-allow-origin'), null, `${path}: no CORS`);
    }
  });

  test('a registration from another origin gets a readable answer', T, async () => {
    const res = await fetch(`${worker.url}/oauth/register`, {
      method: 'POST',
      headers: { Origin: page, 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_name: 'web client', redirect_uris: [`${page}/oauth/callback`] }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = await res.json();
    assert.equal(res.status, 201, JSON.stringify(body));
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(body.client_id, /^vc_/);
  });
});

describe('SDK 1.32.2 with dynamic client registration', () => {
  const clientName = `vaultedge SDK test client ${randomBytes(2).toString('hex')}`;
  /** @type {BrowserOAuthProvider} */
  let provider;
  /** @type {{client: Client, transport: StreamableHTTPClientTransport}} */
  let session;

  test('401 → discovery → register → consent → token → tools/list → list_keys', T, async () => {
    const clientsBefore = await countRows(worker, 'oauth_clients');
    const browser = userBrowser();
    provider = new BrowserOAuthProvider({ browser, redirectUrl: site.url('/callback'), clientName });
    session = await connectThroughConsent(provider, 'oauth-flow-agent');

    // Registration (RFC 7591): one new client, a vc_ id, public.
    assert.equal(await countRows(worker, 'oauth_clients'), clientsBefore + 1, 'one registered client');
    const info = provider.clientInformation();
    assert.match(info.client_id, /^vc_/, 'client_id is vc_…');
    assert.equal(info.token_endpoint_auth_method, 'none', 'registration answer: token_endpoint_auth_method none');
    assert.ok(!info.client_secret, 'no client_secret for a public client');
    assert.deepEqual(info.redirect_uris, [site.url('/callback')], 'redirect_uris echoed');

    checkAuthorizationUrl(provider.authorizationUrls[0], (id) => id === info.client_id, site.url('/callback'));
    checkConsentText(provider.lastConsentText, clientName);
    assert.equal(provider.last.iss, worker.url, 'RFC 9207 iss in the redirect');
    assert.ok(browser.signedIn, 'the browser went through the development sign-in');

    const t = provider.tokens();
    assert.ok(t.access_token.startsWith('vk_at_') && t.refresh_token.startsWith('vk_rt_'), 'vk_at_ / vk_rt_ tokens');
    assert.equal(t.expires_in, 3600);
    assert.deepEqual(t.scope.split(' ').sort(), ['vault:read', 'vault:write'], 'granted scope');

    const tools = await session.client.listTools({}, RPC);
    assert.ok(tools.tools.some((x) => x.name === 'list_keys'), 'tools/list has list_keys');
    const names = await sdkListKeys(session.client);
    assert.ok(names.includes(keyNameStored), 'list_keys through OAuth shows the user\'s key');

    const grant = await grantOfToken(worker, t.access_token);
    assert.ok(grant, 'the access token belongs to a grant');
    assert.equal(grant.user_id, user.userId, 'the grant is the signed-in user\'s');
    assert.equal(grant.client_id, info.client_id);
    assert.equal(grant.resource, resource(), 'audience = the MCP resource');
    assert.ok(grant.activated_at, 'activated by the code exchange');
  });

  test('an expired access token: the SDK refreshes (rotation) without a new consent', T, async () => {
    const before = provider.tokens();
    await worker.db.prepare('UPDATE oauth_tokens SET expires_at = ?1 WHERE token_hash = ?2')
      .bind(Date.now() - 60_000, sha256hex(before.access_token)).run();
    const raw = await mcp(worker.url, before.access_token, 'tools/list');
    assert.equal(raw.status, 401, 'the expired access token is refused');
    assertBearerChallenge(raw.headers, worker.url, { error: 'invalid_token' });

    const names = await sdkListKeys(session.client);
    assert.ok(names.includes(keyNameStored), 'list_keys after the SDK refreshed');
    const now = provider.tokens();
    remember(now.access_token, now.refresh_token);
    assert.equal(provider.authorizationUrls.length, 1, 'no second consent');
    assert.ok(now.access_token !== before.access_token, 'a new access token');
    assert.ok(now.refresh_token !== before.refresh_token, 'a new refresh token (rotation)');
    const grant = await grantOfToken(worker, now.access_token);
    assert.equal(grant.rotation_count, 1, 'rotation_count 1');
  });

  test('the spent refresh token presented again: invalid_grant, family revoked, the SDK goes back to consent', T, async () => {
    const spent = provider.savedTokens[0].refresh_token;
    const live = provider.tokens();
    const r = await refresh(worker.url, { refreshToken: spent, clientId: provider.clientInformation().client_id });
    assertOAuthError(r, 'invalid_grant');
    const grant = await grantOfToken(worker, live.access_token);
    assert.ok(grant.revoked_at, 'the grant is revoked');
    assert.equal(grant.revoked_reason, 'refresh_reuse');
    const dead = await mcp(worker.url, live.access_token, 'tools/list');
    assert.equal(dead.status, 401, 'the live access token died with its family');
    assertBearerChallenge(dead.headers, worker.url, { error: 'invalid_token' });
    assertOAuthError(await refresh(worker.url, { refreshToken: live.refresh_token, clientId: provider.clientInformation().client_id }), 'invalid_grant');

    // The SDK: 401 → refresh fails (invalid_grant) → a new authorization; the browser approves again.
    await assert.rejects(session.client.callTool({ name: 'list_keys', arguments: {} }, undefined, RPC),
      (e) => {
        assert.ok(e instanceof UnauthorizedError, scrub(`UnauthorizedError (got ${e?.name}: ${e?.message})`));
        return true;
      });
    assert.equal(provider.authorizationUrls.length, 2, 'the SDK asked for consent again');
    await session.client.close().catch(() => {});
    await session.transport.finishAuth(provider.code);
    remember(provider.tokens()?.access_token, provider.tokens()?.refresh_token);
    session = sdkClient(provider);
    await session.client.connect(session.transport, RPC);
    assert.ok((await sdkListKeys(session.client)).includes(keyNameStored), 'list_keys with the new grant');
  });

  test('refresh through the token endpoint rotates the pair; the old refresh token then fails', T, async () => {
    const clientId = provider.clientInformation().client_id;
    const before = provider.tokens();
    const r = await refresh(worker.url, { refreshToken: before.refresh_token, clientId, resource: resource() });
    assert.equal(r.status, 200, scrub(`refresh: HTTP ${r.status} ${r.text.slice(0, 200)}`));
    remember(r.json.access_token, r.json.refresh_token);
    assert.ok(r.json.refresh_token.startsWith('vk_rt_') && r.json.refresh_token !== before.refresh_token, 'a new refresh token');
    assert.ok(r.json.access_token.startsWith('vk_at_') && r.json.access_token !== before.access_token, 'a new access token');
    assert.equal(r.json.expires_in, 3600);
    const ok = await mcp(worker.url, r.json.access_token, 'tools/call', { name: 'list_keys', arguments: {} });
    assert.equal(ok.status, 200, 'the new access token works');
    // Narrowing on refresh (RFC 6749 §6): a subset is allowed.
    const narrowed = await refresh(worker.url, { refreshToken: r.json.refresh_token, clientId, scope: 'vault:read' });
    assert.equal(narrowed.status, 200, scrub(`narrowing refresh: HTTP ${narrowed.status} ${narrowed.text.slice(0, 200)}`));
    remember(narrowed.json.access_token, narrowed.json.refresh_token);
    assert.equal(narrowed.json.scope, 'vault:read', 'the narrowed scope');
    // The first one is spent: reuse → invalid_grant and the family dies (refresh_reuse).
    assertOAuthError(await refresh(worker.url, { refreshToken: before.refresh_token, clientId }), 'invalid_grant');
    const grant = await grantOfToken(worker, narrowed.json.access_token);
    assert.equal(grant.revoked_reason, 'refresh_reuse');
    assert.equal((await mcp(worker.url, narrowed.json.access_token, 'tools/list')).status, 401, 'the newest pair died too');
  });

  test('RFC 7009: a revoked access token gets 401 with resource_metadata; a revoked refresh token cannot refresh', T, async () => {
    const clientId = provider.clientInformation().client_id;
    const browser = userBrowser();
    const { tokens } = await obtainTokens(worker.url, browser, { clientId, redirectUri: site.url('/callback') });
    remember(tokens.access_token, tokens.refresh_token);
    assert.equal((await mcp(worker.url, tokens.access_token, 'tools/list')).status, 200, 'the fresh token works');

    const rv = await postForm(worker.url, '/oauth/revoke', { token: tokens.access_token, token_type_hint: 'access_token', client_id: clientId });
    assert.equal(rv.status, 200, `revoke: HTTP ${rv.status} ${scrub(rv.text.slice(0, 200))}`);
    const after1 = await mcp(worker.url, tokens.access_token, 'tools/list');
    assert.equal(after1.status, 401, 'the revoked access token is refused');
    assertBearerChallenge(after1.headers, worker.url, { error: 'invalid_token' });

    const rv2 = await postForm(worker.url, '/oauth/revoke', { token: tokens.refresh_token, token_type_hint: 'refresh_token', client_id: clientId });
    assert.equal(rv2.status, 200, 'revoke the refresh token');
    assertOAuthError(await refresh(worker.url, { refreshToken: tokens.refresh_token, clientId }), 'invalid_grant');
    // Revoking again, or an unknown token: still 200 (RFC 7009 §2.2).
    assert.equal((await postForm(worker.url, '/oauth/revoke', { token: tokens.refresh_token, client_id: clientId })).status, 200);
    assert.equal((await postForm(worker.url, '/oauth/revoke', { token: `vk_rt_${randomBytes(32).toString('base64url')}`, client_id: clientId })).status, 200);
  });
});

describe('SDK 1.32.2 with a Client ID Metadata Document', () => {
  const clientName = `vaultedge CIMD client ${randomBytes(2).toString('hex')}`;
  /** @type {BrowserOAuthProvider} */
  let provider;
  let session;
  let clientId;

  test('client_id = http://127.0.0.1:<port>/client.json (development): no registration, the document is fetched', T, async () => {
    clientId = site.url('/client.json');
    site.serve('/client.json', {
      client_id: clientId,
      client_name: clientName,
      client_uri: 'https://client.example.test/',
      redirect_uris: [site.url('/cimd-callback')],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    });
    const clientsBefore = await countRows(worker, 'oauth_clients');
    const hitsBefore = site.hits('/client.json');
    const browser = userBrowser();
    // SDK 1.32.2 accepts `clientMetadataUrl` only for https (isHttpsUrl), so the
    // URL-based client_id is handed over as known client information instead;
    // the SDK then sends it as client_id exactly as it would after choosing it.
    provider = new BrowserOAuthProvider({ browser, redirectUrl: site.url('/cimd-callback'), clientName, clientId });
    session = await connectThroughConsent(provider, 'oauth-cimd-agent');

    assert.equal(await countRows(worker, 'oauth_clients'), clientsBefore, 'no client row: nothing was registered');
    assert.ok(site.hits('/client.json') > hitsBefore, 'the server fetched the metadata document');
    const fetchReq = site.requests.filter((r) => r.path === '/client.json').at(-1);
    assert.equal(fetchReq.method, 'GET', 'the document is fetched with GET');
    checkAuthorizationUrl(provider.authorizationUrls[0], (id) => id === clientId, site.url('/cimd-callback'));
    checkConsentText(provider.lastConsentText, clientName);
    assert.equal(provider.last.iss, worker.url);

    const names = await sdkListKeys(session.client);
    assert.ok(names.includes(keyNameStored), 'list_keys through the CIMD client');
    const grant = await grantOfToken(worker, provider.tokens().access_token);
    assert.equal(grant.client_id, clientId, 'the grant names the URL client_id');
    assert.equal(grant.client_name, clientName, 'the grant keeps the document\'s client_name');
  });

  describe('connected apps', () => {
    let grants;

    test('GET /v1/oauth/grants lists both clients with scopes, redirect host and resource', T, async () => {
      const r = await getJson(worker.url, '/v1/oauth/grants', { token: user.token });
      assert.equal(r.status, 200, `HTTP ${r.status} ${scrub(r.text.slice(0, 200))}`);
      assert.ok(Array.isArray(r.json?.grants), 'a grants array');
      grants = r.json.grants;
      const cimd = grants.filter((g) => g.client_id === clientId);
      assert.equal(cimd.length, 1, 'one active grant for the CIMD client');
      const g = cimd[0];
      for (const f of ['id', 'client_id', 'client_name', 'redirect_host', 'scopes', 'resource', 'authorized_at', 'rotation_count']) {
        assert.ok(f in g, `grant field ${f} (fields: ${Object.keys(g).join(', ')})`);
      }
      assert.match(String(g.last_active_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'last_active_at ISO 8601 Z');
      assert.equal(g.client_name, clientName);
      const scopes = Array.isArray(g.scopes) ? g.scopes : String(g.scopes).split(' ');
      assert.deepEqual([...scopes].sort(), ['vault:read', 'vault:write'], 'scopes');
      assert.match(String(g.redirect_host), /^127\.0\.0\.1(:\d+)?$/, 'redirect_host');
      assert.equal(g.resource, resource());
      assert.match(String(g.authorized_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, 'authorized_at ISO 8601 Z');
      assert.equal(g.rotation_count, 0);
      // Only active grants: the revoked ones of the registered client are not listed.
      for (const x of grants) {
        const row = await worker.db.prepare('SELECT revoked_at FROM oauth_grants WHERE id = ?1').bind(x.id).first();
        assert.ok(row && row.revoked_at === null, `listed grant ${x.id} is active`);
      }
      const activeRows = await countRows(worker, 'oauth_grants', 'user_id = ?1 AND revoked_at IS NULL AND activated_at IS NOT NULL', [user.userId]);
      assert.equal(grants.length, activeRows, 'every active grant is listed');
      // The self-declared homepage is shown on consent only; the list has exactly these fields.
      assert.deepEqual(Object.keys(g).sort(), ['approved_at', 'authorized_at', 'client_id', 'client_kind', 'client_name',
        'id', 'last_active_at', 'last_used_at', 'redirect_host', 'resource', 'rotation_count', 'scopes',
        'scopes_described', 'verified_host']);
      // A Client ID Metadata Document client: the document's host vouches for it.
      assert.equal(g.client_kind, 'metadata_document');
      assert.equal(g.verified_host, new URL(clientId).hostname);
      assert.deepEqual(g.scopes_described.map((s) => s.scope).sort(), [...g.scopes].sort(), 'every scope described');
      for (const s of g.scopes_described) assert.ok(s.description.length > 10, `scope ${s.scope} in words`);
    });

    test('another user sees none of them; no credential → 401', T, async () => {
      const other = await addUser(worker, `oauth-other-${randomBytes(3).toString('hex')}@example.test`);
      registerSecret(other.token);
      const r = await getJson(worker.url, '/v1/oauth/grants', { token: other.token });
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.grants, [], 'tenant isolation');
      const bad = await sendJson(worker.url, `/v1/oauth/grants/${grants[0].id}/revoke`, undefined, { token: other.token });
      assert.equal(bad.status, 404, 'another user cannot revoke it (404)');
      assert.equal((await getJson(worker.url, '/v1/oauth/grants')).status, 401, 'no credential → 401');
    });

    test('POST /v1/oauth/grants/:id/revoke cuts the client off on its next request', T, async () => {
      const g = grants.find((x) => x.client_id === clientId);
      const live = provider.tokens();
      const r = await sendJson(worker.url, `/v1/oauth/grants/${g.id}/revoke`, undefined, { token: user.token });
      assert.equal(r.status, 200, `HTTP ${r.status} ${scrub(r.text.slice(0, 200))}`);
      assert.equal(r.json.revoked, true);
      assert.equal(r.json.id, g.id);
      assert.ok(Number.isInteger(r.json.tokens_revoked) && r.json.tokens_revoked >= 1, `tokens_revoked ≥ 1 (got ${r.json.tokens_revoked})`);

      const raw = await mcp(worker.url, live.access_token, 'tools/list');
      assert.equal(raw.status, 401, 'the access token is dead');
      assertBearerChallenge(raw.headers, worker.url, { error: 'invalid_token' });
      assertOAuthError(await refresh(worker.url, { refreshToken: live.refresh_token, clientId }), 'invalid_grant');
      // The SDK client: its next call fails and it is sent back to consent (which nobody answers now).
      provider.decision = 'ignore';
      await assert.rejects(session.client.callTool({ name: 'list_keys', arguments: {} }, undefined, RPC), (e) => {
        assert.ok(e instanceof UnauthorizedError, scrub(`UnauthorizedError (got ${e?.name}: ${e?.message})`));
        return true;
      });
      assert.equal(provider.authorizationUrls.length, 2, 'the SDK asked for a new consent');
      await session.client.close().catch(() => {});

      const list = await getJson(worker.url, '/v1/oauth/grants', { token: user.token });
      assert.ok(!list.json.grants.some((x) => x.id === g.id), 'the revoked grant is no longer listed');
      const again = await sendJson(worker.url, `/v1/oauth/grants/${g.id}/revoke`, undefined, { token: user.token });
      assert.equal(again.status, 404, 'revoking it again → 404');
      const row = await worker.db.prepare('SELECT revoked_at, revoked_reason FROM oauth_grants WHERE id = ?1').bind(g.id).first();
      assert.ok(row.revoked_at, 'revoked_at set');
      assert.equal(row.revoked_reason, 'user');
    });

    test('DELETE /v1/oauth/grants/:id revokes too', T, async () => {
      const r0 = await registerClient(worker.url, { client_name: 'to be deleted', redirect_uris: [site.url('/callback')] });
      assert.equal(r0.status, 201);
      const browser = userBrowser();
      const { tokens } = await obtainTokens(worker.url, browser, { clientId: r0.json.client_id, redirectUri: site.url('/callback') });
      remember(tokens.access_token, tokens.refresh_token);
      const g = await grantOfToken(worker, tokens.access_token);
      const r = await sendJson(worker.url, `/v1/oauth/grants/${g.id}`, undefined, { token: user.token, method: 'DELETE' });
      assert.equal(r.status, 200, `HTTP ${r.status} ${scrub(r.text.slice(0, 200))}`);
      assert.equal(r.json.revoked, true);
      assert.equal(r.json.id, g.id);
      assert.equal((await mcp(worker.url, tokens.access_token, 'tools/list')).status, 401, 'cut off');
      assert.equal((await sendJson(worker.url, `/v1/oauth/grants/${g.id}`, undefined, { token: user.token, method: 'DELETE' })).status, 404);
    });
  });
});

describe('scope step-up', () => {
  let clientId;
  let readOnly;

  /** Valid store_key arguments, built from the tool's inputSchema (listed to the device's master token). */
  async function storeKeyArgs() {
    const list = await mcp(worker.url, user.token, 'tools/list');
    const tool = list.json?.result?.tools?.find((x) => x.name === 'store_key');
    assert.ok(tool, 'store_key is listed to a master token');
    return argsFor(tool, [
      [['name', 'key_name'], keyName('STEP_UP')],
      [['provider'], 'openai'],
      [['value', 'key', 'secret', 'api_key', 'key_value'], fakeSecret()],
      [['credential_type'], 'api_key'],
    ]);
  }

  test('vault:write unticked on the consent page → a vault:read token', T, async () => {
    const r = await registerClient(worker.url, { client_name: 'step-up client', redirect_uris: [site.url('/callback')] });
    assert.equal(r.status, 201, scrub(`register: HTTP ${r.status} ${r.text.slice(0, 200)}`));
    clientId = r.json.client_id;
    const browser = userBrowser();
    const got = await obtainTokens(worker.url, browser, {
      clientId, redirectUri: site.url('/callback'), scope: 'vault:read vault:write vault:proxy', uncheck: ['vault:write', 'vault:proxy'],
    });
    readOnly = got.tokens;
    remember(readOnly.access_token, readOnly.refresh_token);
    assert.equal(readOnly.scope, 'vault:read', 'only vault:read was granted');
    // The consent page offered vault:write and vault:proxy as checkboxes that can be unticked.
    const boxes = scopeCheckboxes(consentForm(got.consentPage.html));
    assert.ok(boxes.includes('vault:write') && boxes.includes('vault:proxy'), `scope checkboxes (got ${boxes.join(', ')})`);
    assert.match(got.consentPage.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, 'consent: frame-ancestors \'none\'');
    const grant = await grantOfToken(worker, readOnly.access_token);
    assert.equal(grant.scope, 'vault:read');
  });

  test('reading works; a write tool → 403 insufficient_scope naming vault:write, nothing written', T, async () => {
    const list = await mcp(worker.url, readOnly.access_token, 'tools/call', { name: 'list_keys', arguments: {} });
    assert.equal(list.status, 200, 'list_keys with vault:read');
    assert.ok(!list.json.result?.isError, scrub(`list_keys succeeded: ${list.text.slice(0, 200)}`));

    const keysBefore = await countRows(worker, 'keys', 'user_id = ?1', [user.userId]);
    const r = await mcp(worker.url, readOnly.access_token, 'tools/call', { name: 'store_key', arguments: await storeKeyArgs() });
    assert.equal(r.status, 403, scrub(`store_key with vault:read: HTTP ${r.status} ${r.text.slice(0, 300)}`));
    const params = assertBearerChallenge(r.headers, worker.url, { error: 'insufficient_scope', scopeIncludes: ['vault:read', 'vault:write'] });
    assert.ok(!params.scope.split(' ').includes('vault:proxy'), 'the challenge asks for what is held + needed, not more');
    assert.equal(r.json?.jsonrpc, '2.0', 'a JSON-RPC error body');
    assert.ok(r.json?.error && Number.isInteger(r.json.error.code) && typeof r.json.error.message === 'string', 'error code and message');
    assert.equal(await countRows(worker, 'keys', 'user_id = ?1', [user.userId]), keysBefore, 'no key was stored');
  });

  test('the SDK meets the 403: it tries to step up (re-authorizes with the challenged scope)', T, async () => {
    // A provider holding only the read-only access token (no refresh token), so
    // the SDK's step-up goes to the authorization endpoint with the new scope.
    const browser = userBrowser();
    const provider = new BrowserOAuthProvider({ browser, redirectUrl: site.url('/callback'), clientName: 'step-up client', clientId, decision: 'ignore' });
    provider.saveTokens({ access_token: readOnly.access_token, token_type: 'Bearer', scope: 'vault:read' });
    const { client, transport } = sdkClient(provider, 'step-up-agent');
    await client.connect(transport, RPC);
    const args = await storeKeyArgs();
    await assert.rejects(client.callTool({ name: 'store_key', arguments: args }, undefined, RPC), (e) => {
      assert.ok(e instanceof UnauthorizedError, scrub(`UnauthorizedError (got ${e?.name}: ${e?.message})`));
      return true;
    });
    assert.equal(provider.authorizationUrls.length, 1, 'the SDK asked for authorization');
    const scope = provider.authorizationUrls[0].searchParams.get('scope') ?? '';
    assert.ok(scope.split(' ').includes('vault:write'), `the step-up request asks for vault:write (got "${scope}")`);
    await client.close().catch(() => {});
  });
});

describe('audit and storage', () => {
  test('MCP calls with OAuth tokens are audited as actor_kind=oauth with the client name and grant id', T, async () => {
    const rows = await auditRows(worker, user.userId);
    const calls = rows.filter((r) => r.action === 'mcp.tool_call' && r.actor_kind === 'oauth');
    assert.ok(calls.length >= 4, `mcp.tool_call rows with actor_kind oauth (got ${calls.length}; actor kinds: ${[...new Set(rows.map((r) => r.actor_kind))].join(', ')})`);
    const dcr = await worker.db.prepare("SELECT id, client_id, client_name FROM oauth_grants WHERE client_name LIKE 'vaultedge SDK test client%' ORDER BY created_at").all();
    const cimd = await worker.db.prepare("SELECT id, client_id, client_name FROM oauth_grants WHERE client_name LIKE 'vaultedge CIMD client%'").all();
    assert.ok(dcr.results.length >= 1 && cimd.results.length === 1, 'grants of both SDK clients');
    for (const g of [dcr.results[0], cimd.results[0]]) {
      const mine = calls.filter((r) => r.token_id === g.id);
      assert.ok(mine.length >= 1, `tool calls under grant of ${g.client_name} carry token_id = grant id`);
      for (const r of mine) {
        assert.equal(r.actor_id, g.client_id, 'actor_id = client_id');
        assert.equal(r.client, g.client_name, 'client = the OAuth client_name (not the MCP clientInfo name)');
      }
    }
    const actions = new Set(rows.map((r) => r.action));
    for (const a of ['oauth.approve', 'oauth.token', 'oauth.refresh', 'oauth.refresh_reuse', 'oauth.revoke', 'oauth.grant_revoke']) {
      assert.ok(actions.has(a), `audit action ${a} (have: ${[...actions].filter((x) => x.startsWith('oauth')).join(', ')})`);
    }
  });

  test('no vk_at_ / vk_rt_ / vk_code_ string anywhere in D1, only hashes', T, async () => {
    assert.ok(issued.size >= 10, `tokens collected (${issued.size})`);
    await assertNoPlainCredentials(worker, issued);
  });

  test('no browser cookie value (session, pre-login secret) is stored in D1 either', T, async () => {
    const values = browsers.flatMap((b) => [...b.jar.seen]).filter((v) => v.length >= 20);
    assert.ok(values.length >= 2, `cookie values collected (${values.length})`);
    const dump = await dumpD1(worker);
    for (const [table, text] of dump) values.forEach((v, i) => assert.ok(!text.includes(v), `D1 table ${table} holds cookie value #${i}`));
  });
});
