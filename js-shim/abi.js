// Byte codec for the messages of wasm/ABI.md — the contract between this shim
// and core.wasm. Pure functions over Uint8Array: no I/O, no knowledge of what
// the messages mean. Every multi-byte number is little-endian.

/** Output kind 0 (ABI.md "Output"): the request is done; status, headers, body, log line. */
export const OUTPUT_DONE = 0;
/** Output kind 1 (ABI.md "Output"): the task waits on these effects. */
export const OUTPUT_EFFECTS = 1;
/** Output kind 2 (ABI.md "Output"): the reply to `configure`. */
export const OUTPUT_CONFIG = 2;

/** Effect type 1 (ABI.md "Effect"): kv.get `str key`. */
export const EFFECT_KV_GET = 1;
/** Effect type 2 (ABI.md "Effect"): kv.put `str key · bytes value`. */
export const EFFECT_KV_PUT = 2;
/** Effect type 3 (ABI.md "Effect"): kv.delete `str key`. */
export const EFFECT_KV_DELETE = 3;
/** Effect type 4 (ABI.md "Effect"): d1.batch, one transaction. */
export const EFFECT_D1_BATCH = 4;
/** Effect type 5 (ABI.md "Effect"): outbound fetch, redirects not followed. */
export const EFFECT_FETCH = 5;

/** SQL `value` tag 0 (ABI.md "Primitive encodings"): NULL. */
export const VALUE_NULL = 0;
/** SQL `value` tag 1: `i64` INTEGER. */
export const VALUE_INTEGER = 1;
/** SQL `value` tag 2: `f64` REAL. */
export const VALUE_REAL = 2;
/** SQL `value` tag 3: `str` TEXT. */
export const VALUE_TEXT = 3;
/** SQL `value` tag 4: `bytes` BLOB. */
export const VALUE_BLOB = 4;

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const TWO_POW_63 = 2 ** 63;

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Thrown when a message is truncated, malformed or a value cannot be encoded. */
export class AbiError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'AbiError';
  }
}

/**
 * Appends ABI primitives to a growable buffer.
 * Usage: `const w = new Writer(); w.u32(1).str('x'); const bytes = w.finish();`
 */
export class Writer {
  /** @param {number} [capacity=256] initial size in bytes; grows by doubling. */
  constructor(capacity = 256) {
    this.buf = new Uint8Array(Math.max(16, capacity));
    this.view = new DataView(this.buf.buffer);
    this.pos = 0;
  }

  /** @param {number} n bytes about to be written */
  reserve(n) {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** @param {number} v 0..255 */
  u8(v) {
    this.reserve(1);
    this.view.setUint8(this.pos, v);
    this.pos += 1;
    return this;
  }

  /** @param {number} v 0..65535 */
  u16(v) {
    this.reserve(2);
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
    return this;
  }

  /** @param {number} v 0..2^32-1 */
  u32(v) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new AbiError(`u32 out of range: ${v}`);
    this.reserve(4);
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
    return this;
  }

  /** @param {bigint} v signed 64-bit */
  i64(v) {
    if (v < I64_MIN || v > I64_MAX) throw new AbiError('i64 out of range');
    this.reserve(8);
    this.view.setBigInt64(this.pos, v, true);
    this.pos += 8;
    return this;
  }

  /** @param {number} v IEEE 754 double */
  f64(v) {
    this.reserve(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
    return this;
  }

  /** `bytes`: u32 length, then the bytes. @param {Uint8Array} b */
  bytes(b) {
    this.u32(b.byteLength);
    this.reserve(b.byteLength);
    this.buf.set(b, this.pos);
    this.pos += b.byteLength;
    return this;
  }

  /** `str`: UTF-8 `bytes`. @param {string} s */
  str(s) {
    return this.bytes(utf8Encoder.encode(s));
  }

  /**
   * `headers`: u32 count, then (name, value) pairs. Names are lower-cased here
   * because ABI.md requires lower-case names.
   * @param {Iterable<[string, string]>} pairs
   */
  headers(pairs) {
    const list = Array.from(pairs);
    this.u32(list.length);
    for (const [name, value] of list) this.str(name.toLowerCase()).str(value);
    return this;
  }

  /**
   * A SQL `value` from what D1 returns: null/undefined → 0; an integral number
   * within i64 (or a bigint, or a boolean) → 1; any other number → 2; string →
   * 3; ArrayBuffer, typed array or array of byte numbers (D1's blob form) → 4.
   * @param {unknown} v
   */
  value(v) {
    if (v === null || v === undefined) return this.u8(VALUE_NULL);
    switch (typeof v) {
      case 'number':
        if (Number.isInteger(v) && v >= -TWO_POW_63 && v < TWO_POW_63) {
          return this.u8(VALUE_INTEGER).i64(BigInt(v));
        }
        return this.u8(VALUE_REAL).f64(v);
      case 'bigint':
        return this.u8(VALUE_INTEGER).i64(v);
      case 'boolean':
        return this.u8(VALUE_INTEGER).i64(v ? 1n : 0n);
      case 'string':
        return this.u8(VALUE_TEXT).str(v);
      default:
        break;
    }
    if (v instanceof ArrayBuffer) return this.u8(VALUE_BLOB).bytes(new Uint8Array(v));
    if (ArrayBuffer.isView(v)) {
      return this.u8(VALUE_BLOB).bytes(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    }
    if (Array.isArray(v) && v.every((b) => Number.isInteger(b) && b >= 0 && b < 256)) {
      return this.u8(VALUE_BLOB).bytes(Uint8Array.from(v));
    }
    throw new AbiError(`cannot encode a SQL value of type ${typeof v}`);
  }

  /** @returns {Uint8Array} the written bytes (a view, no copy). */
  finish() {
    return this.buf.subarray(0, this.pos);
  }
}

/**
 * Reads ABI primitives from a byte array; every read checks bounds and throws
 * AbiError on truncation. Returned `bytes` are views into the input, so give
 * it a copy of wasm memory, never a live view.
 */
export class Reader {
  /** @param {Uint8Array} bytes */
  constructor(bytes) {
    this.buf = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
  }

  /** @param {number} n */
  need(n) {
    if (this.buf.byteLength - this.pos < n) {
      throw new AbiError(`message truncated at byte ${this.pos} (needed ${n} more)`);
    }
  }

  u8() {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }

  u16() {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  u32() {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** @returns {bigint} */
  i64() {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  f64() {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** @returns {Uint8Array} a view into the input */
  bytes() {
    const n = this.u32();
    this.need(n);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  /** @returns {string} (throws AbiError on invalid UTF-8) */
  str() {
    const b = this.bytes();
    try {
      return utf8Decoder.decode(b);
    } catch {
      throw new AbiError(`invalid UTF-8 in a str ending at byte ${this.pos}`);
    }
  }

  /** @returns {Array<[string, string]>} */
  headers() {
    const n = this.u32();
    const out = [];
    for (let i = 0; i < n; i++) out.push([this.str(), this.str()]);
    return out;
  }

  /**
   * A SQL `value`: null, bigint (tag 1), number (tag 2), string, or Uint8Array.
   * @returns {null | bigint | number | string | Uint8Array}
   */
  value() {
    const tag = this.u8();
    switch (tag) {
      case VALUE_NULL: return null;
      case VALUE_INTEGER: return this.i64();
      case VALUE_REAL: return this.f64();
      case VALUE_TEXT: return this.str();
      case VALUE_BLOB: return this.bytes();
      default: throw new AbiError(`unknown SQL value tag ${tag}`);
    }
  }

  /** Throws unless every byte was consumed. */
  end() {
    if (this.pos !== this.buf.byteLength) {
      throw new AbiError(`${this.buf.byteLength - this.pos} unexpected trailing bytes`);
    }
  }
}

/**
 * Input of `configure` (ABI.md "Exports"): the string vars and secrets of the
 * Worker env as a `headers` list. Names keep their case (`VAULT_KEYS`): they are
 * variable names, not HTTP header names.
 * @param {Array<[string, string]>} entries
 * @returns {Uint8Array}
 */
export function encodeConfigure(entries) {
  const w = new Writer(64 + entries.reduce((n, [k, v]) => n + k.length + v.length * 3 + 8, 0));
  w.u32(entries.length);
  for (const [name, value] of entries) w.str(name).str(value);
  return w.finish();
}

/**
 * Input of `scheduled` (ABI.md "Scheduled"): the cron expression of the
 * trigger that fired.
 * @param {string} cron e.g. `17 * * * *`; must not be empty
 * @returns {Uint8Array}
 */
export function encodeScheduled(cron) {
  return new Writer(cron.length * 3 + 16).str(cron).finish();
}

/**
 * @typedef {object} RequestMessage  ABI.md "Request"
 * @property {string} method      e.g. "GET"
 * @property {string} url         absolute URL
 * @property {Iterable<[string, string]>} headers  lower-cased on encoding
 * @property {Uint8Array} body    raw body bytes (≤ 1 MiB, checked by the caller)
 * @property {string} clientIp    "" when unknown
 * @property {string} country     ISO 3166 alpha-2, "" when unknown
 */

/**
 * Input of `begin`.
 * @param {RequestMessage} req
 * @returns {Uint8Array}
 */
export function encodeRequest(req) {
  const w = new Writer(req.body.byteLength + req.url.length * 3 + 2048);
  w.str(req.method).str(req.url).headers(req.headers).bytes(req.body).str(req.clientIp).str(req.country);
  return w.finish();
}

/**
 * @typedef {{id: number, type: 1, key: string}} KvGetEffect
 * @typedef {{id: number, type: 2, key: string, value: Uint8Array}} KvPutEffect
 * @typedef {{id: number, type: 3, key: string}} KvDeleteEffect
 * @typedef {{sql: string, params: Array<null | number | bigint | string | Uint8Array>}} SqlStatement
 *   params: tag-1 integers inside ±(2^53−1) become numbers (D1 takes numbers), larger ones stay bigint.
 * @typedef {{id: number, type: 4, statements: SqlStatement[]}} D1BatchEffect
 * @typedef {{id: number, type: 5, method: string, url: string, headers: Array<[string, string]>,
 *            body: Uint8Array, timeoutMs: number, maxResponseBytes: number}} FetchEffect
 * @typedef {KvGetEffect | KvPutEffect | KvDeleteEffect | D1BatchEffect | FetchEffect} Effect
 *   ABI.md "Effect".
 *
 * @typedef {{taskId: number, kind: 0, status: number, headers: Array<[string, string]>,
 *            body: Uint8Array, logLine: string}} DoneOutput
 * @typedef {{taskId: number, kind: 1, effects: Effect[]}} EffectsOutput
 * @typedef {{taskId: number, kind: 2, ok: boolean, message: string}} ConfigOutput
 * @typedef {DoneOutput | EffectsOutput | ConfigOutput} Output  ABI.md "Output".
 */

/** @param {bigint} v */
function sqlInteger(v) {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/**
 * @param {Reader} r
 * @returns {Effect}
 */
function readEffect(r) {
  const id = r.u32();
  const type = r.u8();
  switch (type) {
    case EFFECT_KV_GET:
      return { id, type, key: r.str() };
    case EFFECT_KV_PUT:
      return { id, type, key: r.str(), value: r.bytes() };
    case EFFECT_KV_DELETE:
      return { id, type, key: r.str() };
    case EFFECT_D1_BATCH: {
      const n = r.u32();
      const statements = [];
      for (let i = 0; i < n; i++) {
        const sql = r.str();
        const count = r.u32();
        const params = [];
        for (let p = 0; p < count; p++) {
          const v = r.value();
          params.push(typeof v === 'bigint' ? sqlInteger(v) : v);
        }
        statements.push({ sql, params });
      }
      return { id, type, statements };
    }
    case EFFECT_FETCH:
      return {
        id, type, method: r.str(), url: r.str(), headers: r.headers(), body: r.bytes(), timeoutMs: r.u32(),
        maxResponseBytes: r.u32(),
      };
    default:
      throw new AbiError(`unknown effect type ${type}`);
  }
}

/**
 * Decodes an *Output* (the bytes after the `u32 length` that `out` points at).
 * @param {Uint8Array} bytes a copy of the message, not a view of wasm memory
 * @returns {Output}
 * @throws {AbiError} when malformed, truncated or followed by trailing bytes
 */
export function decodeOutput(bytes) {
  const r = new Reader(bytes);
  const taskId = r.u32();
  const kind = r.u8();
  let out;
  switch (kind) {
    case OUTPUT_DONE:
      out = { taskId, kind, status: r.u16(), headers: r.headers(), body: r.bytes(), logLine: r.str() };
      break;
    case OUTPUT_EFFECTS: {
      const n = r.u32();
      const effects = [];
      for (let i = 0; i < n; i++) effects.push(readEffect(r));
      out = { taskId, kind, effects };
      break;
    }
    case OUTPUT_CONFIG:
      out = { taskId, kind, ok: r.u8() === 1, message: r.str() };
      break;
    default:
      throw new AbiError(`unknown output kind ${kind}`);
  }
  r.end();
  return out;
}

/**
 * @typedef {{columns: string[], rows: unknown[][], changes: number | bigint, lastRowId: number | bigint}} StatementRows
 *   One statement's result; `rows[i][j]` is column `columns[j]` (encoded with Writer#value).
 * @typedef {{id: number, type: number, ok: false, message: string}} FailedResult
 * @typedef {{id: number, type: 1, ok: true, found: boolean, value: Uint8Array | null}} KvGetResult
 * @typedef {{id: number, type: 2 | 3, ok: true}} KvWriteResult
 * @typedef {{id: number, type: 4, ok: true, results: StatementRows[]}} D1BatchResult
 * @typedef {{id: number, type: 5, ok: true, status: number, headers: Array<[string, string]>,
 *            body: Uint8Array}} FetchResult
 * @typedef {FailedResult | KvGetResult | KvWriteResult | D1BatchResult | FetchResult} EffectResult
 */

/** @param {number | bigint} v */
function toI64(v) {
  if (typeof v === 'bigint') return v;
  if (!Number.isInteger(v)) throw new AbiError(`expected an integer, got ${v}`);
  return BigInt(v);
}

/**
 * Input of `resume` (ABI.md "Results"): one result per effect of the Output,
 * each naming its effect id; a successful one repeats the effect's type before
 * its payload. A result that cannot be encoded (e.g. a D1 cell of
 * an unexpected type) is sent as failed (`ok 0`) with the reason, so the core
 * always hears back about every effect it asked for.
 * @param {number} taskId the task the effects belong to
 * @param {EffectResult[]} results
 * @returns {Uint8Array}
 */
export function encodeResults(taskId, results) {
  const w = new Writer(256 + results.reduce((n, x) => n + (x.body?.byteLength ?? x.value?.byteLength ?? 0), 0));
  w.u32(taskId).u32(results.length);
  for (const res of results) {
    const start = w.pos;
    try {
      writeResult(w, res);
    } catch (e) {
      if (!(e instanceof AbiError)) throw e;
      w.pos = start;
      writeResult(w, { id: res.id, type: res.type, ok: false, message: `result could not be encoded: ${e.message}` });
    }
  }
  return w.finish();
}

/**
 * @param {Writer} w
 * @param {EffectResult} res
 */
function writeResult(w, res) {
  w.u32(res.id);
  if (!res.ok) {
    w.u8(0).str(res.message);
    return;
  }
  w.u8(1).u8(res.type); // ok 1, then the effect's type, then its payload
  switch (res.type) {
    case EFFECT_KV_GET:
      w.u8(res.found ? 1 : 0).bytes(res.found && res.value ? res.value : new Uint8Array(0));
      break;
    case EFFECT_KV_PUT:
    case EFFECT_KV_DELETE:
      break;
    case EFFECT_D1_BATCH:
      w.u32(res.results.length);
      for (const st of res.results) {
        w.u32(st.columns.length);
        for (const c of st.columns) w.str(c);
        w.u32(st.rows.length);
        for (const row of st.rows) {
          if (row.length !== st.columns.length) throw new AbiError('row width differs from column count');
          for (const cell of row) w.value(cell);
        }
        w.i64(toI64(st.changes)).i64(toI64(st.lastRowId));
      }
      break;
    case EFFECT_FETCH:
      w.u16(res.status).headers(res.headers).bytes(res.body);
      break;
    default:
      throw new AbiError(`unknown effect type ${res.type}`);
  }
}
