// The only place in the dashboard that calls fetch: every request goes to this
// origin's REST API with the session cookie (credentials: 'same-origin'),
// sends and reads JSON, and carries X-CSRF-Token on unsafe methods (the token
// GET /v1/auth/me gives a browser session; docs/dashboard.md). Errors are
// thrown as ApiError with the server's own `error` text, so pages show what the
// server said. A 401 sends the browser to sign in and back here.
//
// Secrets: request and response bodies are never logged or stored here; a
// reveal's answer goes straight to the caller, which keeps it in component
// state only (components/secret.jsx).

/** A failed API call: HTTP status, the server's machine `code`, its `error` text. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status (0 when the network failed)
   * @param {string} code machine code from the body (`network`, `bad_response` when none)
   * @param {string} message the server's `error` text, shown to the user as is
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** @type {Promise<object> | null} the signed-in user (GET /v1/auth/me), fetched once */
let mePromise = null;

/** Sends the browser to the sign-in page, which returns here afterwards. */
export function signIn() {
  const here = location.pathname + location.search;
  location.assign(`/auth/login?return_to=${encodeURIComponent(here)}`);
}

/** A promise that never settles: after a redirect nothing more should render. */
const never = () => new Promise(() => {});

async function send(method, path, body, headers) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(path, init);
  } catch {
    throw new ApiError(0, 'network', 'The vault could not be reached. Check your connection and try again.');
  }
}

/** Reads an error body ({error, code}) into an ApiError. */
async function failure(res) {
  let code = 'bad_response';
  let message = `The server answered ${res.status} ${res.statusText}`.trim();
  try {
    const data = await res.json();
    if (data && typeof data.error === 'string') message = data.error;
    if (data && typeof data.code === 'string') code = data.code;
    // A JSON-RPC error (POST /v1/mcp): {error: {code, message}}.
    if (data && typeof data.error?.message === 'string') message = data.error.message;
  } catch {
    // Not JSON: keep the status line.
  }
  return new ApiError(res.status, code, message);
}

/**
 * The signed-in user: {user_id, email, csrf_token?, principal?, session_id?}.
 * Cached for the page's life; `fresh` re-reads it (after a CSRF refusal).
 * @param {boolean} [fresh]
 * @returns {Promise<object>}
 */
export function me(fresh = false) {
  if (!mePromise || fresh) {
    mePromise = raw('GET', '/v1/auth/me').then((res) => res.json());
    mePromise.catch(() => {
      mePromise = null;
    });
  }
  return mePromise;
}

/**
 * One request; resolves to the Response when it is 2xx.
 * @param {string} method
 * @param {string} path same-origin path, e.g. `/v1/keys`
 * @param {unknown} [body] sent as JSON
 * @returns {Promise<Response>}
 * @throws {ApiError} on a non-2xx answer (after a 401: never settles, the page is leaving)
 */
async function raw(method, path, body, retried = false, extra = {}) {
  const headers = { ...extra };
  if (!SAFE.has(method)) {
    const user = await me();
    if (user.csrf_token) headers['X-CSRF-Token'] = user.csrf_token;
  }
  const res = await send(method, path, body, headers);
  if (res.ok) return res;
  if (res.status === 401) {
    signIn();
    return never();
  }
  const err = await failure(res);
  // The page's token is stale (a new session in another tab): read it again once.
  if (err.code === 'csrf_required' && !retried) {
    await me(true);
    return raw(method, path, body, true, extra);
  }
  throw err;
}

/**
 * A JSON API call.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>} the parsed body (null for 204)
 * @throws {ApiError}
 */
export async function api(method, path, body) {
  const res = await raw(method, path, body);
  if (res.status === 204) return null;
  try {
    return await res.json();
  } catch {
    throw new ApiError(res.status, 'bad_response', 'The server sent an answer the page cannot read.');
  }
}

/**
 * One request with extra headers (the MCP connection test sends Accept and
 * MCP-Protocol-Version); the caller reads the body (JSON, SSE or none).
 * @param {string} method
 * @param {string} path
 * @param {unknown} body sent as JSON
 * @param {Record<string, string>} headers
 * @returns {Promise<Response>} a 2xx answer
 * @throws {ApiError}
 */
export const request = (method, path, body, headers) => raw(method, path, body, false, headers);

export const get = (path) => api('GET', path);
export const post = (path, body = {}) => api('POST', path, body);
export const del = (path, body) => api('DELETE', path, body);

/**
 * A file download (activity export): the body as a Blob and the file name the
 * server's Content-Disposition gives.
 * @param {string} path
 * @param {string} fallbackName used when the server names no file
 * @returns {Promise<{blob: Blob, filename: string}>}
 * @throws {ApiError}
 */
export async function download(path, fallbackName) {
  const res = await raw('GET', path);
  const disposition = res.headers.get('Content-Disposition') || '';
  const m = disposition.match(/filename="([^"]+)"/);
  return { blob: await res.blob(), filename: m ? m[1] : fallbackName };
}

/**
 * Signs out this browser session (POST /auth/logout with the CSRF header) and
 * goes to the sign-in page.
 */
export async function signOut() {
  await raw('POST', '/auth/logout');
  mePromise = null;
  location.assign('/auth/login');
}

/** Builds `path?k=v&…` from the non-empty values of `params`. */
export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
