// Shared pieces of the OAuth integration tests (tests/worker/oauth-*.test.mjs),
// written against docs/oauth.md:
//   - a headless "browser" for the worker's origin: a cookie jar, no
//     JavaScript, redirects followed by hand within the origin only; it signs
//     in through the development form (/auth/dev, one `email` field) and
//     answers the consent page by submitting its own HTML form with every
//     hidden field (tests/e2e/lib/html-forms.mjs reads the forms);
//   - a loopback "client site" on 127.0.0.1 that serves Client ID Metadata
//     Documents and a /callback page, and records every request it gets;
//   - a TCP trap that counts connection attempts (to prove a fetch was NOT made);
//   - PKCE (RFC 7636 S256) with node:crypto, raw token/revoke/register calls;
//   - an OAuthClientProvider for @modelcontextprotocol/sdk 1.32.2 whose
//     redirectToAuthorization() drives the browser and captures the code;
//   - D1 inspection: rows of every table, and a scan for plaintext credentials.
//
// Nothing here prints a credential: scrub() replaces every `vk_…_` token and
// every registered secret in text that goes into an assertion message.

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';

import { extractForms, formEntries, submitters, textOf } from '../e2e/lib/html-forms.mjs';
import { mcpPost, redact, registerSecret } from './mcp-support.mjs';

/** The scopes docs/oauth.md defines. */
export const SCOPES = Object.freeze(['vault:read', 'vault:write', 'vault:proxy']);
/** The default scope (docs/oauth.md "Authorization request", and the 401 challenge). */
export const DEFAULT_SCOPE = 'vault:read vault:write';
/** The protocol revision raw MCP requests here speak (after a notional initialize). */
export const MCP_VERSION = '2025-11-25';

/** Any bearer credential the server issues: kind prefix and a random tail. */
const CREDENTIAL_RE = /vk_(at|rt|code|sess|master|pl|[a-z]+)_[A-Za-z0-9_\-.~+/=%]{8,}/g;

/**
 * `s` with every registered secret and every `vk_<kind>_…` credential replaced
 * (`vk_at_[redacted]`), safe for an assertion message.
 * @param {unknown} s
 * @returns {string}
 */
export function scrub(s) {
  return redact(String(s)).replace(CREDENTIAL_RE, (_m, kind) => `vk_${kind}_[redacted]`);
}

/**
 * Lower-case hex SHA-256 of a credential, as the server stores it (`*_hash` columns).
 * @param {string} token
 * @returns {string}
 */
export function sha256hex(token) {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The RFC 7636 S256 code challenge of a verifier: BASE64URL(SHA256(ASCII(verifier))).
 * @param {string} verifier
 * @returns {string}
 */
export function s256(verifier) {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * A fresh PKCE pair: a 43-character verifier (32 random bytes, base64url) and its S256 challenge.
 * @returns {{verifier: string, challenge: string}}
 */
export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256(verifier) };
}

/**
 * A random `state` value; with `tricky`, one holding characters that must
 * survive URL encoding exactly (space, +, &, =, %, /, non-ASCII).
 * @param {boolean} [tricky]
 * @returns {string}
 */
export function randomState(tricky = false) {
  const r = randomBytes(9).toString('base64url');
  return tricky ? `st ${r}+a&b=c%2Fd/ü~é` : `st-${r}`;
}

/**
 * Parses a `WWW-Authenticate` challenge (one scheme, RFC 9110 §11.6.1
 * auth-params, quoted or token values).
 * @param {string | null} header
 * @returns {{scheme: string, params: Record<string, string>} | null}
 */
export function parseChallenge(header) {
  if (!header) return null;
  const m = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s*(.*)$/s.exec(header);
  if (!m) return null;
  const params = {};
  const re = /([A-Za-z0-9_!#$%&'*+.^`|~-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))\s*,?\s*/g;
  let p;
  while ((p = re.exec(m[2])) !== null) {
    params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
  }
  return { scheme: m[1], params };
}

/**
 * Asserts an RFC 6750 §3 challenge: scheme Bearer, `resource_metadata` =
 * `<base>/.well-known/oauth-protected-resource/v1/mcp`, and the given params.
 * @param {Headers} headers response headers
 * @param {string} base worker URL
 * @param {{error?: string | null, scopeIncludes?: string[], scope?: string}} [want]
 *   `error: null` asserts there is no error param
 * @returns {Record<string, string>} the params
 */
export function assertBearerChallenge(headers, base, want = {}) {
  const raw = headers.get('www-authenticate');
  const c = parseChallenge(raw);
  assert.ok(c, `a WWW-Authenticate header (got ${JSON.stringify(raw)})`);
  assert.equal(c.scheme.toLowerCase(), 'bearer', `WWW-Authenticate scheme Bearer (got ${raw})`);
  assert.equal(c.params.resource_metadata, `${base}/.well-known/oauth-protected-resource/v1/mcp`,
    `WWW-Authenticate resource_metadata (got ${raw})`);
  if (want.error === null) assert.ok(!('error' in c.params), `no error param when no token was presented (got ${raw})`);
  else if (want.error !== undefined) assert.equal(c.params.error, want.error, `WWW-Authenticate error (got ${raw})`);
  if (want.scope !== undefined) assert.equal(c.params.scope, want.scope, `WWW-Authenticate scope (got ${raw})`);
  for (const s of want.scopeIncludes ?? []) {
    assert.ok((c.params.scope ?? '').split(' ').includes(s), `WWW-Authenticate scope includes ${s} (got ${raw})`);
  }
  return c.params;
}

/**
 * @typedef {object} Page
 * @property {number} status
 * @property {string} url the URL that answered
 * @property {Headers} headers
 * @property {string} html the body
 * @property {string | null} location the Location header, resolved against `url`
 * @property {URL | null} external set when the chain ended at a redirect that
 *   leaves the worker's origin (the client's redirect_uri): it was not followed
 * @property {Array<{method: string, url: string, status: number}>} steps every hop
 */

const MAX_REDIRECTS = 8;

/**
 * The cookies of one origin (name → value), from Set-Cookie lines; a cookie
 * with `Max-Age=0` or an `Expires` in the past is deleted. Paths are ignored:
 * the worker's cookies are all `__Host-` (Path=/).
 */
export class CookieJar {
  constructor() {
    /** @type {Map<string, string>} */
    this.cookies = new Map();
    /** Every cookie value ever set (for leak scans). */
    this.seen = new Set();
  }

  /**
   * Stores the Set-Cookie lines of a response.
   * @param {Response} res
   */
  store(res) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a)) ||
        attrs.some((a) => /^\s*expires\s*=/i.test(a) && Date.parse(a.split('=').slice(1).join('=')) <= Date.now());
      if (gone || value === '') this.cookies.delete(name);
      else {
        this.cookies.set(name, value);
        this.seen.add(registerSecret(value));
      }
    }
  }

  /** The Cookie header value, or '' when there is none. */
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * A browser for the worker's origin: cookies (sent only to that origin), no
 * JavaScript, redirects followed only within the origin (a redirect anywhere
 * else ends the navigation and is reported in `external`, never fetched).
 */
export class HeadlessBrowser {
  /**
   * @param {string} origin the worker URL
   * @param {{email?: string, timeoutMs?: number}} [opts] `email` for the
   *   development sign-in form; `timeoutMs` bounds each request (10 s)
   */
  constructor(origin, opts = {}) {
    this.origin = new URL(origin).origin;
    this.email = opts.email ?? `oauth-${randomBytes(4).toString('hex')}@example.test`;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.jar = new CookieJar();
    this.signedIn = false;
  }

  /** True when the session cookie is held. */
  hasSession() {
    return [...this.jar.cookies.keys()].some((n) => /session/i.test(n));
  }

  /**
   * One request, no redirect following. Cookies are sent to and stored from the
   * worker's origin only. A `form` is sent urlencoded with the `Origin` and
   * `Sec-Fetch-Site: same-origin` a browser adds to a same-origin form POST.
   * @param {string} method
   * @param {string} url absolute, or a path on the worker
   * @param {{form?: Array<[string,string]> | Record<string,string>, headers?: Record<string,string>, cookies?: boolean}} [o]
   *   `cookies: false` sends none (another browser)
   * @returns {Promise<Page>}
   */
  async request(method, url, o = {}) {
    const target = new URL(url, this.origin);
    assert.equal(target.hostname, '127.0.0.1', `the browser only talks to 127.0.0.1 (asked for ${scrub(target.origin)})`);
    const headers = {
      'User-Agent': 'vaultedge-oauth-test-browser/1',
      Accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
      'Sec-Fetch-Mode': 'navigate',
      'Sec-Fetch-Dest': 'document',
      'Sec-Fetch-Site': 'same-origin',
    };
    const same = target.origin === this.origin;
    if (same && o.cookies !== false) {
      const cookie = this.jar.header();
      if (cookie) headers.Cookie = cookie;
    }
    let body;
    if (o.form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers.Origin = this.origin;
      body = new URLSearchParams(o.form).toString();
    }
    Object.assign(headers, o.headers ?? {});
    const res = await fetch(target, {
      method, headers, body, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (same && o.cookies !== false) this.jar.store(res);
    const loc = res.headers.get('location');
    return {
      status: res.status,
      url: target.href,
      headers: res.headers,
      html: await res.text(),
      location: loc === null ? null : new URL(loc, target).href,
      external: null,
      steps: [{ method, url: target.href, status: res.status }],
    };
  }

  /**
   * A request, then its redirects within the worker's origin (303/302/301 →
   * GET), at most 8. Stops at a redirect elsewhere (`external`).
   * @param {string} method
   * @param {string} url
   * @param {Parameters<HeadlessBrowser['request']>[2]} [o]
   * @returns {Promise<Page>}
   */
  async navigate(method, url, o = {}) {
    let page = await this.request(method, url, o);
    const steps = [...page.steps];
    for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
      if (!(page.status >= 300 && page.status < 400 && page.location)) break;
      const next = new URL(page.location);
      if (next.origin !== this.origin) {
        page.external = next;
        break;
      }
      const keep = page.status === 307 || page.status === 308;
      page = await this.request(keep ? method : 'GET', next.href, keep ? o : { cookies: o.cookies });
      steps.push(...page.steps);
    }
    assert.ok(!(page.status >= 300 && page.status < 400 && page.location && !page.external),
      `more than ${MAX_REDIRECTS} redirects from ${scrub(url)}`);
    page.steps = steps;
    return page;
  }

  /**
   * Signs in through the development form at `/auth/dev` (GET the form, submit
   * it with its hidden `return_to` and `csrf` fields and this browser's email).
   * @returns {Promise<Page>} the page the sign-in ended on
   */
  async signIn() {
    const form = await this.request('GET', '/auth/dev?return_to=%2F');
    assert.equal(form.status, 200, `GET /auth/dev (HTTP ${form.status}: ${scrub(textOf(form.html).slice(0, 200))})`);
    const page = await this.submitSignIn(form);
    assert.ok(this.hasSession(), `a session cookie after the development sign-in (steps: ${scrub(JSON.stringify(page.steps))})`);
    return page;
  }

  /**
   * Submits the development sign-in form found on `page`.
   * @param {Page} page
   * @returns {Promise<Page>}
   */
  async submitSignIn(page) {
    const form = signInForm(page.html);
    assert.ok(form, `a sign-in form with an email field at ${scrub(page.url)}: ${scrub(textOf(page.html).slice(0, 300))}`);
    const entries = formEntries(form, submitters(form)[0] ?? null, { email: this.email });
    const next = await this.navigate(form.method, new URL(form.action || page.url, page.url).href, { form: entries });
    this.signedIn = this.hasSession();
    return next;
  }

  /**
   * Opens an authorization URL the way a person's browser does: signs in when
   * sent to the sign-in page, and stops at the consent page (or at a redirect
   * out of the origin, or an error page).
   * @param {string | URL} authorizationUrl
   * @returns {Promise<Page & {consent: import('../e2e/lib/html-forms.mjs').Form | null, text: string}>}
   */
  async openAuthorization(authorizationUrl) {
    let page = await this.navigate('GET', String(authorizationUrl));
    for (let i = 0; i < 3; i++) {
      if (page.external || page.status !== 200) break;
      if (consentForm(page.html)) break;
      if (signInForm(page.html)) {
        assert.ok(!this.signedIn || !this.hasSession(), `the sign-in form came back after signing in at ${scrub(page.url)}`);
        page = await this.submitSignIn(page);
        continue;
      }
      break;
    }
    return { ...page, consent: page.status === 200 && !page.external ? consentForm(page.html) : null, text: textOf(page.html) };
  }

  /**
   * Submits a consent page's form as a person would: every hidden field, the
   * scope checkboxes as ticked (minus `uncheck`), and the Approve or Deny button.
   * @param {Page} page a page holding the consent form
   * @param {{decision?: 'approve'|'deny', uncheck?: string[], override?: Record<string, string|null>, cookies?: boolean}} [o]
   *   `override` replaces (or, with null, drops) named fields after the form is read
   * @returns {Promise<Page>} the answer (for an approval: a redirect to the client, in `external`)
   */
  async submitConsent(page, o = {}) {
    const form = consentForm(page.html);
    assert.ok(form, `a consent form at ${scrub(page.url)}: ${scrub(textOf(page.html).slice(0, 300))}`);
    const entries = consentEntries(form, o);
    return this.navigate(form.method, new URL(form.action || page.url, page.url).href, { form: entries, cookies: o.cookies });
  }

  /**
   * openAuthorization() then submitConsent(): the whole person's part.
   * @param {string | URL} authorizationUrl
   * @param {{decision?: 'approve'|'deny', uncheck?: string[]}} [o]
   * @returns {Promise<{consentPage: Page & {text: string}, answer: Page, redirect: URL}>}
   *   `redirect` is where the server sent the browser (the client's redirect_uri)
   */
  async authorize(authorizationUrl, o = {}) {
    const consentPage = await this.openAuthorization(authorizationUrl);
    assert.ok(!consentPage.external,
      `the consent page, not a redirect to the client first (${scrub(consentPage.external)})`);
    assert.equal(consentPage.status, 200,
      `the consent page (HTTP ${consentPage.status}: ${scrub(consentPage.text.slice(0, 300))})`);
    const answer = await this.submitConsent(consentPage, o);
    assert.ok(answer.external,
      `a redirect to the client after ${o.decision ?? 'approve'} (HTTP ${answer.status}: ${scrub(textOf(answer.html).slice(0, 300))})`);
    return { consentPage, answer, redirect: answer.external };
  }
}

/**
 * The development sign-in form of a page (a form with an `email` input).
 * @param {string} html
 * @returns {import('../e2e/lib/html-forms.mjs').Form | undefined}
 */
export function signInForm(html) {
  return extractForms(html).find((f) => f.controls.some((c) => c.tag === 'input' && c.name === 'email' && ['email', 'text'].includes(c.type)));
}

/**
 * The consent form of a page (docs/oauth.md: fields `request`, `csrf`, `decision`).
 * @param {string} html
 * @returns {import('../e2e/lib/html-forms.mjs').Form | undefined}
 */
export function consentForm(html) {
  return extractForms(html).find((f) => f.controls.some((c) => c.name === 'request'));
}

/**
 * The entries a browser submits for a consent form: every successful control,
 * scope checkboxes as ticked minus `uncheck`, the submitter for `decision`
 * (a button `decision=<value>`, else one labelled Approve/Allow or Deny).
 * @param {import('../e2e/lib/html-forms.mjs').Form} form
 * @param {{decision?: 'approve'|'deny', uncheck?: string[], override?: Record<string, string|null>}} [o]
 * @returns {Array<[string, string]>}
 */
export function consentEntries(form, o = {}) {
  const decision = o.decision ?? 'approve';
  const subs = submitters(form);
  const label = decision === 'deny' ? /\b(deny|reject|decline|cancel)\b/i : /\b(approve|allow|authori[sz]e|connect)\b/i;
  const submitter = subs.find((s) => s.name === 'decision' && s.value === decision) ?? subs.find((s) => label.test(s.label));
  let entries = formEntries(form, submitter ?? null);
  if (!submitter) {
    assert.ok(form.controls.some((c) => c.name === 'decision'), `a ${decision} button on the consent form (buttons: ${subs.map((s) => `${s.name}=${s.value}`).join(', ')})`);
    entries = entries.filter(([k]) => k !== 'decision');
    entries.push(['decision', decision]);
  }
  // Untick the checkbox a person reads as "<scope>": named `scope` with that
  // value, or named after the scope (e.g. `grant:vault:write`).
  const uncheck = new Set(o.uncheck ?? []);
  const boxes = form.controls.filter((c) => c.tag === 'input' && c.type === 'checkbox');
  entries = entries.filter(([k, v]) => !boxes.some((c) => c.name === k && c.value === v && uncheck.has(checkboxScope(c))));
  for (const [k, v] of Object.entries(o.override ?? {})) {
    entries = entries.filter(([name]) => name !== k);
    if (v !== null) entries.push([k, v]);
  }
  return entries;
}

/**
 * The scope a consent checkbox stands for: its value when that is a scope
 * name (`name="scope" value="vault:write"`), else the scope its name ends with
 * (`name="grant:vault:write"`), else ''.
 * @param {{name: string, value: string}} c
 * @returns {string}
 */
export function checkboxScope(c) {
  if (SCOPES.includes(c.value)) return c.value;
  return SCOPES.find((s) => c.name === s || c.name.endsWith(`:${s}`) || c.name.endsWith(`_${s}`)) ?? '';
}

/**
 * The scopes offered as checkboxes (that can be unticked) on a consent form.
 * @param {import('../e2e/lib/html-forms.mjs').Form} form
 * @returns {string[]}
 */
export function scopeCheckboxes(form) {
  return form.controls.filter((c) => c.tag === 'input' && c.type === 'checkbox').map(checkboxScope).filter(Boolean);
}

/**
 * Reads `code`, `state`, `iss`, `error` from a redirect to the client and
 * checks it goes to `redirectUri` (same origin and path).
 * @param {URL} redirect
 * @param {string} redirectUri
 * @returns {{code: string | null, state: string | null, iss: string | null, error: string | null, params: URLSearchParams}}
 */
export function readRedirect(redirect, redirectUri) {
  const want = new URL(redirectUri);
  assert.equal(`${redirect.origin}${redirect.pathname}`, `${want.origin}${want.pathname}`,
    `the redirect goes to the registered redirect_uri (got ${scrub(redirect.origin + redirect.pathname)})`);
  const p = redirect.searchParams;
  assert.equal(redirect.hash, '', 'no fragment in the redirect');
  const code = p.get('code');
  if (code) registerSecret(code);
  return { code, state: p.get('state'), iss: p.get('iss'), error: p.get('error'), params: p };
}

/**
 * @typedef {object} ClientSite
 * @property {string} origin `http://127.0.0.1:<port>`
 * @property {(path: string) => string} url an absolute URL on the site
 * @property {(path: string, body: unknown, o?: {status?: number, type?: string, headers?: Record<string, string>}) => void} serve
 *   answer GET `path` with `body` (an object is sent as JSON), the status, content type and extra headers given
 * @property {Array<{method: string, path: string, headers: Record<string, string | string[] | undefined>}>} requests
 *   every request received, in order
 * @property {(path: string) => number} hits how many requests asked for `path`
 * @property {() => Promise<void>} stop
 */

/**
 * Starts a loopback HTTP site on 127.0.0.1 (a free port) that serves Client ID
 * Metadata Documents and a `/callback` page, and records every request.
 * @returns {Promise<ClientSite>}
 */
export async function startClientSite() {
  /** @type {Map<string, {status: number, type: string, body: string}>} */
  const routes = new Map();
  const requests = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    requests.push({ method: req.method, path, headers: { ...req.headers } });
    req.resume();
    const r = routes.get(path);
    if (path === '/callback' && !r) {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<p>You can close this window.</p>');
      return;
    }
    if (!r) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(r.status, { 'content-type': r.type, 'cache-control': 'no-store', ...r.headers }).end(r.body);
  });
  // No idle close: it would race workerd's reuse of a pooled connection (see
  // upstream-server.mjs); stop() ends the connections.
  server.keepAliveTimeout = 0;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: (path) => `${origin}${path}`,
    serve(path, body, o = {}) {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      routes.set(path, { status: o.status ?? 200, type: o.type ?? 'application/json', headers: o.headers ?? {}, body: text });
    },
    requests,
    hits: (path) => requests.filter((r) => r.path === path).length,
    stop: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}

/**
 * Listens on `host` (a free port) and counts TCP connections without answering
 * them; for proving the server made NO request to a refused address.
 * @param {string} host e.g. `::1` or `127.0.0.1`
 * @returns {Promise<{port: number, connections: () => number, stop: () => Promise<void>}>}
 */
export async function startTcpTrap(host) {
  let count = 0;
  const sockets = new Set();
  const server = createTcpServer((s) => {
    count += 1;
    sockets.add(s);
    s.on('error', () => {});
    s.destroy();
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, resolve);
  });
  return {
    port: server.address().port,
    connections: () => count,
    stop: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/**
 * @typedef {object} JsonReply
 * @property {number} status
 * @property {Headers} headers
 * @property {string} text
 * @property {any} json parsed body, or null
 */

async function reply(res) {
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  for (const k of ['access_token', 'refresh_token']) if (typeof json?.[k] === 'string') registerSecret(json[k]);
  return { status: res.status, headers: res.headers, text, json };
}

/**
 * GETs a JSON document from the worker.
 * @param {string} base worker URL
 * @param {string} path
 * @param {{token?: string, headers?: Record<string,string>}} [o]
 * @returns {Promise<JsonReply>}
 */
export async function getJson(base, path, o = {}) {
  const res = await fetch(`${base}${path}`, {
    headers: { Accept: 'application/json', ...(o.token ? { Authorization: `Bearer ${o.token}` } : {}), ...o.headers },
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  return reply(res);
}

/**
 * Sends JSON to the worker (REST routes, RFC 7591 registration).
 * @param {string} base
 * @param {string} path
 * @param {unknown} body a value to JSON-encode, or undefined for an empty body
 * @param {{token?: string, method?: string}} [o]
 * @returns {Promise<JsonReply>}
 */
export async function sendJson(base, path, body, o = {}) {
  const res = await fetch(`${base}${path}`, {
    method: o.method ?? 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      ...(o.token ? { Authorization: `Bearer ${o.token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  return reply(res);
}

/**
 * POSTs an `application/x-www-form-urlencoded` body (token and revocation endpoints).
 * @param {string} base
 * @param {string} path
 * @param {Record<string, string | undefined>} params undefined values are left out
 * @param {Record<string, string>} [headers]
 * @returns {Promise<JsonReply>}
 */
export async function postForm(base, path, params, headers = {}) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) body.append(k, v);
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...headers },
    body: body.toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(10_000),
  });
  return reply(res);
}

/**
 * Asserts an RFC 6749 §5.2 error from the token (or another JSON) endpoint:
 * the status, `error`, and that no token came with it.
 * @param {JsonReply} r
 * @param {string | string[]} error e.g. `invalid_grant` (or the accepted ones)
 * @param {number | number[]} [status] 400 by default
 */
export function assertOAuthError(r, error, status = 400) {
  const where = scrub(`HTTP ${r.status} ${r.text.slice(0, 300)}`);
  const statuses = Array.isArray(status) ? status : [status];
  const errors = Array.isArray(error) ? error : [error];
  assert.ok(statuses.includes(r.status), `HTTP status ${statuses.join(' or ')} (${where})`);
  assert.ok(errors.includes(r.json?.error), `error ${errors.join(' or ')} (${where})`);
  assert.ok(!('access_token' in (r.json ?? {})) && !('refresh_token' in (r.json ?? {})), `no token with an error (${where})`);
  if (r.json?.error_description !== undefined) assert.equal(typeof r.json.error_description, 'string', 'error_description is a string');
}

/**
 * Asserts a successful RFC 6749 §5.1 token response and returns its fields.
 * @param {JsonReply} r
 * @returns {{access_token: string, refresh_token: string, expires_in: number, scope: string, token_type: string}}
 */
export function assertTokenResponse(r) {
  const where = scrub(`HTTP ${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(r.status, 200, `token endpoint: 200 (${where})`);
  const j = r.json;
  assert.ok(j && typeof j === 'object', `a JSON body (${where})`);
  assert.ok(typeof j.access_token === 'string' && j.access_token.startsWith('vk_at_'), `access_token is vk_at_… (${where})`);
  assert.ok(typeof j.refresh_token === 'string' && j.refresh_token.startsWith('vk_rt_'), `refresh_token is vk_rt_… (${where})`);
  assert.ok(j.access_token.length >= 'vk_at_'.length + 43, 'access_token carries at least 256 random bits');
  assert.ok(j.refresh_token.length >= 'vk_rt_'.length + 43, 'refresh_token carries at least 256 random bits');
  assert.equal(String(j.token_type).toLowerCase(), 'bearer', `token_type Bearer (${where})`);
  assert.equal(j.expires_in, 3600, `expires_in 3600 (1 hour) (${where})`);
  assert.equal(typeof j.scope, 'string', `scope (${where})`);
  assert.match(r.headers.get('cache-control') ?? '', /no-store/i, 'Cache-Control: no-store (RFC 6749 §5.1)');
  registerSecret(j.access_token);
  registerSecret(j.refresh_token);
  return j;
}

/**
 * RFC 7591 registration of a public client.
 * @param {string} base
 * @param {Record<string, unknown>} metadata merged over `{client_name, redirect_uris, grant_types,
 *   response_types, token_endpoint_auth_method: "none"}`
 * @returns {Promise<JsonReply>}
 */
export function registerClient(base, metadata) {
  return sendJson(base, '/oauth/register', {
    client_name: 'vaultedge raw test client',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    ...metadata,
  });
}

/**
 * An authorization request URL on the worker (`/oauth/authorize?…`).
 * @param {string} base
 * @param {Record<string, string | undefined>} params undefined values are left out
 * @returns {string}
 */
export function authorizeUrl(base, params) {
  const u = new URL('/oauth/authorize', base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.href;
}

/**
 * The standard parameters of an authorization request for `clientId`.
 * @param {string} base
 * @param {{clientId: string, redirectUri: string, challenge: string, state?: string, scope?: string, resource?: string}} o
 * @returns {Record<string, string | undefined>}
 */
export function authorizeParams(base, o) {
  return {
    response_type: 'code',
    client_id: o.clientId,
    redirect_uri: o.redirectUri,
    code_challenge: o.challenge,
    code_challenge_method: 'S256',
    state: o.state,
    scope: o.scope ?? DEFAULT_SCOPE,
    resource: o.resource ?? `${base}/v1/mcp`,
  };
}

/**
 * The whole authorization-code flow by hand: authorize in `browser` (sign in,
 * consent), then exchange the code with the verifier.
 * @param {string} base
 * @param {HeadlessBrowser} browser
 * @param {{clientId: string, redirectUri: string, scope?: string, uncheck?: string[], state?: string}} o
 * @returns {Promise<{tokens: ReturnType<typeof assertTokenResponse>, code: string, verifier: string, state: string, consentPage: Page & {text: string}}>}
 */
export async function obtainTokens(base, browser, o) {
  const { verifier, challenge } = pkce();
  const state = o.state ?? randomState();
  const { redirect, consentPage } = await browser.authorize(
    authorizeUrl(base, authorizeParams(base, { ...o, challenge, state })), { uncheck: o.uncheck });
  const got = readRedirect(redirect, o.redirectUri);
  assert.equal(got.error, null, `no error in the redirect (got ${got.error})`);
  assert.ok(got.code && got.code.startsWith('vk_code_'), 'a vk_code_… code in the redirect');
  assert.ok(got.state === state, 'state echoed');
  const r = await postForm(base, '/oauth/token', {
    grant_type: 'authorization_code',
    code: got.code,
    redirect_uri: o.redirectUri,
    code_verifier: verifier,
    client_id: o.clientId,
    resource: `${base}/v1/mcp`,
  });
  return { tokens: assertTokenResponse(r), code: got.code, verifier, state, consentPage };
}

/**
 * `POST /oauth/token` with `grant_type=refresh_token`.
 * @param {string} base
 * @param {{refreshToken: string, clientId: string, scope?: string, resource?: string}} o
 * @returns {Promise<JsonReply>}
 */
export function refresh(base, o) {
  return postForm(base, '/oauth/token', {
    grant_type: 'refresh_token',
    refresh_token: o.refreshToken,
    client_id: o.clientId,
    scope: o.scope,
    resource: o.resource,
  });
}

/**
 * A JSON-RPC request to /v1/mcp under 2025-11-25 with `token` as the bearer.
 * @param {string} base
 * @param {string | undefined} token
 * @param {string} method e.g. `tools/list`
 * @param {object} [params]
 * @param {{path?: string, headers?: Record<string, string|null>}} [o]
 * @returns {Promise<import('./mcp-support.mjs').RpcReply>}
 */
export function mcp(base, token, method, params = {}, o = {}) {
  return mcpPost(base, {
    token,
    body: { jsonrpc: '2.0', id: Math.floor(Math.random() * 1e6), method, params },
    headers: { 'MCP-Protocol-Version': MCP_VERSION, ...o.headers },
  });
}

/**
 * Names of the user tables in D1 (without SQLite's and Cloudflare's internals).
 * @param {import('./harness.mjs').StartedWorker} worker
 * @returns {Promise<string[]>}
 */
export async function userTables(worker) {
  const { results } = await worker.db.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name NOT LIKE 'd1_%'",
  ).all();
  return results.map((r) => r.name);
}

/**
 * Every row of every user table, as one JSON string per table.
 * @param {import('./harness.mjs').StartedWorker} worker
 * @returns {Promise<Map<string, string>>}
 */
export async function dumpD1(worker) {
  const out = new Map();
  for (const t of await userTables(worker)) {
    const { results } = await worker.db.prepare(`SELECT * FROM "${t.replaceAll('"', '""')}"`).all();
    out.set(t, JSON.stringify(results));
  }
  return out;
}

/**
 * Asserts none of `tokens` and no `vk_at_` / `vk_rt_` / `vk_code_` string is
 * stored anywhere in D1 (every table, every column). Names the table, never the value.
 * @param {import('./harness.mjs').StartedWorker} worker
 * @param {Iterable<string>} tokens
 */
export async function assertNoPlainCredentials(worker, tokens) {
  const dump = await dumpD1(worker);
  const list = [...tokens];
  assert.ok(list.length > 0, 'some tokens to look for');
  for (const [table, text] of dump) {
    for (const p of ['vk_at_', 'vk_rt_', 'vk_code_']) assert.ok(!text.includes(p), `D1 table ${table} holds a ${p}… string`);
    list.forEach((tok, i) => assert.ok(!text.includes(tok), `D1 table ${table} holds issued credential #${i} (${tok.slice(0, 6)}…)`));
  }
  // And the hashes are what is stored (proof the scan looked at the right place).
  const hashes = dump.get('oauth_tokens') ?? '';
  assert.ok(list.filter((t) => /^vk_(at|rt)_/.test(t)).some((t) => hashes.includes(sha256hex(t))),
    'oauth_tokens holds the SHA-256 hex of the issued tokens');
}

/**
 * `SELECT COUNT(*)` of a table, optionally with a WHERE clause and bindings.
 * @param {import('./harness.mjs').StartedWorker} worker
 * @param {string} table
 * @param {string} [where]
 * @param {unknown[]} [binds]
 * @returns {Promise<number>}
 */
export async function countRows(worker, table, where = '', binds = []) {
  const row = await worker.db.prepare(`SELECT COUNT(*) AS n FROM ${table}${where ? ` WHERE ${where}` : ''}`).bind(...binds).first();
  return Number(row.n);
}

/**
 * The grant row an access or refresh token belongs to (looked up by its hash).
 * @param {import('./harness.mjs').StartedWorker} worker
 * @param {string} token
 * @returns {Promise<Record<string, any> | null>}
 */
export async function grantOfToken(worker, token) {
  return worker.db.prepare(
    'SELECT g.* FROM oauth_tokens t JOIN oauth_grants g ON g.id = t.grant_id WHERE t.token_hash = ?1',
  ).bind(sha256hex(token)).first();
}

/**
 * An OAuthClientProvider (@modelcontextprotocol/sdk 1.32.2, client/auth.d.ts)
 * for tests: everything in memory; redirectToAuthorization() opens the URL in
 * a HeadlessBrowser, approves (or denies) the consent, and keeps the code from
 * the redirect for transport.finishAuth(). Tokens it receives are registered
 * as secrets (never printed).
 */
export class BrowserOAuthProvider {
  /**
   * @param {object} o
   * @param {HeadlessBrowser} o.browser
   * @param {string} o.redirectUrl e.g. `http://127.0.0.1:<port>/callback`
   * @param {string} o.clientName `client_name` of the registration
   * @param {string} [o.clientId] a pre-known client_id (a Client ID Metadata
   *   Document URL): then the SDK does not register
   * @param {'approve'|'deny'|'ignore'} [o.decision] what the browser does (ignore: record the URL only)
   * @param {string[]} [o.uncheck] scopes to untick on the consent page
   */
  constructor(o) {
    this.browser = o.browser;
    this._redirectUrl = o.redirectUrl;
    this.clientName = o.clientName;
    this.decision = o.decision ?? 'approve';
    this.uncheck = o.uncheck ?? [];
    this._clientInfo = o.clientId ? { client_id: o.clientId } : undefined;
    this._tokens = undefined;
    this._verifier = undefined;
    this._state = undefined;
    this._discovery = undefined;
    /** Every authorization URL the SDK sent the "user" to. */
    this.authorizationUrls = [];
    /** Every token set saved, in order. */
    this.savedTokens = [];
    /** The last redirect's code / state / iss / error. */
    this.last = null;
    this.invalidated = [];
  }

  get redirectUrl() {
    return this._redirectUrl;
  }

  get clientMetadata() {
    return {
      client_name: this.clientName,
      redirect_uris: [this._redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      client_uri: 'https://client.example.test/',
      software_id: 'vaultedge-oauth-flow-test',
      software_version: '1.0.0',
    };
  }

  state() {
    this._state = randomState(true);
    return this._state;
  }

  clientInformation() {
    return this._clientInfo;
  }

  saveClientInformation(info) {
    this._clientInfo = info;
  }

  tokens() {
    return this._tokens;
  }

  saveTokens(tokens) {
    if (tokens.access_token) registerSecret(tokens.access_token);
    if (tokens.refresh_token) registerSecret(tokens.refresh_token);
    this._tokens = tokens;
    this.savedTokens.push(tokens);
  }

  saveCodeVerifier(v) {
    this._verifier = v;
  }

  codeVerifier() {
    assert.ok(this._verifier, 'a saved code verifier');
    return this._verifier;
  }

  saveDiscoveryState(s) {
    this._discovery = s;
  }

  discoveryState() {
    return this._discovery;
  }

  invalidateCredentials(scope) {
    this.invalidated.push(scope);
    if (scope === 'all' || scope === 'tokens') this._tokens = undefined;
    if (scope === 'all' || scope === 'client') this._clientInfo = undefined;
    if (scope === 'all' || scope === 'verifier') this._verifier = undefined;
    if (scope === 'all' || scope === 'discovery') this._discovery = undefined;
  }

  /** The code captured from the last approval (for transport.finishAuth). */
  get code() {
    assert.ok(this.last?.code, `an authorization code from the last redirect (error: ${this.last?.error})`);
    return this.last.code;
  }

  async redirectToAuthorization(url) {
    this.authorizationUrls.push(new URL(url.href));
    if (this.decision === 'ignore') return;
    const { redirect, consentPage } = await this.browser.authorize(url, { decision: this.decision, uncheck: this.uncheck });
    this.lastConsentText = consentPage.text;
    this.last = readRedirect(redirect, this._redirectUrl);
    assert.ok(this.last.state === this._state, 'the redirect echoes the SDK\'s state exactly');
  }
}
