// Runs one effect (ABI.md "Effect") against the Worker's bindings and returns
// its result (ABI.md "Results"). Never throws: any failure becomes `ok: false`
// with a short message (never a body, never a value being stored).
//
// Bindings: KV namespace `BLOBS`, D1 database `DB` (wrangler.toml).

import {
  EFFECT_D1_BATCH, EFFECT_FETCH, EFFECT_KV_DELETE, EFFECT_KV_GET, EFFECT_KV_PUT,
} from './abi.js';

/** Used when a fetch effect says `timeout_ms` 0. */
export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
/** Used when a fetch effect says `max_response_bytes` 0. */
export const DEFAULT_FETCH_MAX_BYTES = 8 * 1024 * 1024;
const MAX_MESSAGE = 500;
const NO_BODY_METHODS = new Set(['GET', 'HEAD']);

/**
 * @param {import('./abi.js').Effect} effect
 * @param {{BLOBS?: KVNamespace, DB?: D1Database}} env the Worker env
 * @returns {Promise<import('./abi.js').EffectResult>} resolves, never rejects
 */
export async function runEffect(effect, env) {
  const { id, type } = effect;
  try {
    switch (type) {
      case EFFECT_KV_GET: {
        const value = await kv(env).get(effect.key, 'arrayBuffer');
        return value === null
          ? { id, type, ok: true, found: false, value: null }
          : { id, type, ok: true, found: true, value: new Uint8Array(value) };
      }
      case EFFECT_KV_PUT:
        await kv(env).put(effect.key, effect.value);
        return { id, type, ok: true };
      case EFFECT_KV_DELETE:
        await kv(env).delete(effect.key);
        return { id, type, ok: true };
      case EFFECT_D1_BATCH:
        return { id, type, ok: true, results: await d1Batch(env, effect.statements) };
      case EFFECT_FETCH:
        return { id, type, ok: true, ...(await outboundFetch(effect)) };
      default:
        return failed(effect, `unknown effect type ${type}`);
    }
  } catch (e) {
    return failed(effect, describe(e, effect));
  }
}

/** @param {{BLOBS?: KVNamespace}} env */
function kv(env) {
  if (!env.BLOBS) throw new Error('KV binding BLOBS is not configured');
  return env.BLOBS;
}

/**
 * One D1 `batch()` (a transaction). Rows come back as objects from D1, so
 * columns are the first row's keys in order; a statement with no rows reports
 * no columns. `changes`/`last_row_id` come from each statement's `meta`, also
 * for statements that return no rows.
 *
 * @param {{DB?: D1Database}} env
 * @param {import('./abi.js').SqlStatement[]} statements
 * @returns {Promise<import('./abi.js').StatementRows[]>}
 */
async function d1Batch(env, statements) {
  if (!env.DB) throw new Error('D1 binding DB is not configured');
  if (statements.length === 0) return [];
  const db = env.DB;
  const prepared = statements.map((s) => db.prepare(s.sql).bind(...s.params.map(d1Param)));
  const results = await db.batch(prepared);
  return results.map((r) => {
    const objects = r.results ?? [];
    const columns = objects.length > 0 ? Object.keys(objects[0]) : [];
    return {
      columns,
      rows: objects.map((o) => columns.map((c) => o[c])),
      changes: r.meta?.changes ?? 0,
      lastRowId: r.meta?.last_row_id ?? 0,
    };
  });
}

/** @param {null | number | bigint | string | Uint8Array} v */
function d1Param(v) {
  if (typeof v === 'bigint') {
    throw new RangeError('integer parameter is outside ±(2^53−1), which D1 cannot bind exactly');
  }
  return v;
}

/**
 * An outbound request; redirects are returned, not followed. The timeout
 * covers the whole exchange including reading the body.
 * @param {import('./abi.js').FetchEffect} effect
 * @returns {Promise<{status: number, headers: Array<[string, string]>, body: Uint8Array}>}
 */
async function outboundFetch(effect) {
  const headers = new Headers();
  for (const [name, value] of effect.headers) headers.append(name, value);
  const method = effect.method.toUpperCase();
  /** @type {RequestInit} */
  const init = {
    method: effect.method,
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(timeoutOf(effect)),
  };
  if (effect.body.byteLength > 0 || !NO_BODY_METHODS.has(method)) init.body = effect.body;
  const response = await fetch(effect.url, init);
  const body = await readBounded(response, effect.maxResponseBytes > 0 ? effect.maxResponseBytes : DEFAULT_FETCH_MAX_BYTES);
  return { status: response.status, headers: headerList(response.headers), body };
}

/** Thrown by readBounded; its message is the effect's failure message. */
class ResponseTooLarge extends Error {}

/**
 * The whole response body, read chunk by chunk and abandoned (the stream
 * cancelled) as soon as it exceeds `limit` bytes, so a hostile upstream cannot
 * make the isolate buffer an unbounded body.
 * @param {Response} response
 * @param {number} limit bytes
 * @returns {Promise<Uint8Array>}
 * @throws {ResponseTooLarge} past `limit`
 */
async function readBounded(response, limit) {
  if (!response.body) return new Uint8Array(0);
  const declared = Number(response.headers.get('content-length'));
  const tooLarge = () => new ResponseTooLarge(`response body larger than ${limit} bytes`);
  if (Number.isFinite(declared) && declared > limit) {
    await response.body.cancel();
    throw tooLarge();
  }
  const reader = response.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.byteLength;
  }
  return body;
}

/** @param {import('./abi.js').FetchEffect} effect */
function timeoutOf(effect) {
  return effect.timeoutMs > 0 ? effect.timeoutMs : DEFAULT_FETCH_TIMEOUT_MS;
}

/**
 * All header pairs, with each Set-Cookie kept separate.
 * @param {Headers} h
 * @returns {Array<[string, string]>}
 */
export function headerList(h) {
  const out = [];
  for (const [name, value] of h) if (name !== 'set-cookie') out.push([name, value]);
  const cookies = typeof h.getSetCookie === 'function' ? h.getSetCookie() : [];
  if (cookies.length > 0) {
    for (const c of cookies) out.push(['set-cookie', c]);
  } else if (h.has('set-cookie')) {
    out.push(['set-cookie', h.get('set-cookie')]);
  }
  return out;
}

/**
 * @param {import('./abi.js').Effect} effect
 * @param {string} message
 * @returns {import('./abi.js').FailedResult}
 */
function failed(effect, message) {
  return { id: effect.id, type: effect.type, ok: false, message };
}

/**
 * A short, body-free description of an error.
 * @param {unknown} e
 * @param {import('./abi.js').Effect} effect
 */
function describe(e, effect) {
  let message;
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError') && effect.type === EFFECT_FETCH) {
    message = `fetch timed out after ${timeoutOf(effect)} ms`;
  } else if (e instanceof ResponseTooLarge) {
    message = e.message;
  } else if (e instanceof Error) {
    message = `${e.name}: ${e.message}`;
  } else {
    message = String(e);
  }
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
}
