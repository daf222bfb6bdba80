// The OAuth 2.1 authorization-code flow of docs/oauth.md, driven with fetch
// and the headless browser (no OAuth client library): discovery (RFC 9728,
// RFC 8414), dynamic registration (RFC 7591), the authorization request with
// PKCE S256 and `resource` (RFC 7636, RFC 8707), sign-in through the
// development form and consent (tests/e2e/browser.mjs, stopped before it
// follows the 303 to the client's redirect URI), then the code exchange at the
// token endpoint. Used by tools/bench (an access token for the OAuth rows) and
// tests/e2e/oauth.test.mjs.
//
// Nothing here prints a credential: errors name the endpoint, the status and
// the OAuth `error` code only.

import { createHash, randomBytes } from 'node:crypto';

import { LOOPBACK_HOSTS, visit } from '../browser.mjs';

const TIMEOUT_MS = 15_000;

/**
 * A PKCE pair (RFC 7636 §4.1, §4.2): a 43-character verifier and its S256 challenge.
 * @returns {{verifier: string, challenge: string}}
 */
export function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge };
}

async function getJson(url, what) {
  const res = await fetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${what}: GET ${new URL(url).pathname} → ${res.status} ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what}: GET ${new URL(url).pathname} → not JSON: ${text.slice(0, 200)}`);
  }
}

/**
 * The server's metadata, found the way an MCP client finds it: the protected
 * resource metadata of `<base>/v1/mcp` (RFC 9728), then its authorization
 * server's metadata (RFC 8414).
 * @param {string} base origin of the server, e.g. http://127.0.0.1:8787
 * @returns {Promise<{resource: string, prm: any, as: any}>}
 */
export async function discover(base) {
  const prm = await getJson(`${base}/.well-known/oauth-protected-resource/v1/mcp`, 'protected resource metadata');
  const issuer = prm.authorization_servers?.[0];
  if (typeof issuer !== 'string') throw new Error('protected resource metadata: no authorization_servers');
  const u = new URL(issuer);
  const path = u.pathname === '/' ? '' : u.pathname;
  const as = await getJson(`${u.origin}/.well-known/oauth-authorization-server${path}`, 'authorization server metadata');
  for (const f of ['authorization_endpoint', 'token_endpoint', 'registration_endpoint']) {
    if (typeof as[f] !== 'string') throw new Error(`authorization server metadata: no ${f}`);
  }
  return { resource: prm.resource ?? `${base}/v1/mcp`, prm, as };
}

/**
 * RFC 7591 dynamic registration of a public client.
 * @param {any} as authorization server metadata (from {@link discover})
 * @param {{clientName: string, redirectUri: string}} o
 * @returns {Promise<any>} the registration response (`client_id`, …)
 */
export async function registerClient(as, { clientName, redirectUri }) {
  const res = await fetch(as.registration_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({
      client_name: clientName,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (res.status !== 201 || typeof json?.client_id !== 'string') {
    throw new Error(`POST /oauth/register → ${res.status} ${text.slice(0, 200)}`);
  }
  return json;
}

/**
 * POSTs a form to the token endpoint (RFC 6749 §4.1.3, §6).
 * @param {any} as authorization server metadata
 * @param {Record<string, string>} form
 * @returns {Promise<{status: number, json: any}>}
 */
export async function tokenRequest(as, form) {
  const res = await fetch(as.token_endpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json };
}

/**
 * The whole authorization-code flow for a fresh client: discover, register,
 * authorize (the browser signs in as `email` and approves), exchange the code.
 * The redirect URI is a loopback URL nobody listens on: the browser stops
 * before requesting it and the code is read from it.
 * @param {string} base origin of the server
 * @param {object} [o]
 * @param {string} [o.email]       who signs in (the dev form); use the email of
 *   an existing user to act on that user's vault
 * @param {string} [o.clientName]  RFC 7591 client_name
 * @param {string} [o.scope]       requested scope (default: the server's default)
 * @returns {Promise<{access_token: string, refresh_token: string, expires_in: number,
 *   scope: string, token_type: string, client_id: string, resource: string,
 *   code: string, browser: object}>}
 */
export async function oauthFlow(base, { email = 'oauth@example.test', clientName = 'vaultedge-e2e', scope } = {}) {
  const { resource, as } = await discover(base);
  const redirectUri = 'http://127.0.0.1:9/callback'; // discard port: never requested
  const client = await registerClient(as, { clientName, redirectUri });
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString('base64url');
  const authz = new URL(as.authorization_endpoint);
  const params = {
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    resource,
    ...(scope ? { scope } : {}),
  };
  for (const [k, v] of Object.entries(params)) authz.searchParams.set(k, v);
  const browser = await visit(authz.href, {
    email,
    action: 'approve',
    allowedHosts: LOOPBACK_HOSTS,
    stopAt: (u) => u.startsWith(`${redirectUri}?`),
  });
  if (!browser.ok || !browser.stoppedAt) {
    throw new Error(`authorization (browser): ${browser.error ?? 'no redirect to the client'}`);
  }
  const back = new URL(browser.stoppedAt).searchParams;
  if (back.get('error')) throw new Error(`authorization: redirected with error=${back.get('error')}`);
  if (back.get('state') !== state) throw new Error('authorization: the redirect does not carry our state');
  const code = back.get('code');
  if (!code) throw new Error('authorization: the redirect carries no code');
  const t = await tokenRequest(as, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
    client_id: client.client_id,
    resource,
  });
  if (t.status !== 200 || typeof t.json?.access_token !== 'string') {
    throw new Error(`POST /oauth/token (authorization_code) → ${t.status} error=${t.json?.error ?? '?'} ${t.json?.error_description ?? ''}`);
  }
  return { ...t.json, client_id: client.client_id, resource, code, browser };
}
