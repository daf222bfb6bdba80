// The Worker module: HTTP in, core.wasm's answer out. Thin on purpose — it
// reads the body as bytes, hands the request to the core (ABI.md "Request"),
// runs the effects the core asks for (effects.js) until the core is done
// (ABI.md "Output"), and turns the answer into a Response. A Cron Trigger's
// run goes the same way through the `scheduled` export (ABI.md "Scheduled").
// No routing, no JSON parsing of bodies, no business logic.

import coreModule from './core.wasm';
import { encodeRequest, encodeResults, encodeScheduled, OUTPUT_DONE, OUTPUT_EFFECTS } from './abi.js';
import { Core, CoreFailure } from './core.js';
import { runEffect } from './effects.js';

// The entry module must export nothing but handlers: workerd treats every
// named export as an entrypoint.

/** Largest request body handed to the core, in bytes (1 MiB). */
const MAX_BODY_BYTES = 1024 * 1024;
/** The MCP endpoint, whose clients read only JSON-RPC error bodies. */
const MCP_PATH = '/v1/mcp';
/**
 * How much of an oversized body is still read and discarded, in bytes, so a
 * client that is still sending reads our 413 instead of a reset connection;
 * past this the stream is cancelled.
 */
const DRAIN_BYTES = 8 * 1024 * 1024;
/** Statuses whose Response must have no body. */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

/**
 * The one core instance of this isolate, shared by all requests; replaced by a
 * fresh one after a trap. Everything else is per request.
 * @type {Core | null}
 */
let core = null;

export default {
  /**
   * Serves one request through the core. The work is also registered with
   * `ctx.waitUntil`, so a client that disconnects mid-request does not leave a
   * task half-way through its writes.
   *
   * Shim-generated answers (JSON): 413 `payload_too_large` for a body over
   * 1 MiB (decided before anything is copied into wasm; a JSON-RPC error with
   * code -32000 on /v1/mcp); 500 `internal` when the
   * core traps or breaks the ABI; 500 `misconfigured` with the core's message
   * when `configure` rejected the env (e.g. "VAULT_KEYS is malformed").
   *
   * @param {Request} request
   * @param {Record<string, unknown>} env vars, secrets and bindings (KV `BLOBS`, D1 `DB`)
   * @param {ExecutionContext} [ctx]
   * @returns {Promise<Response>}
   */
  fetch(request, env, ctx) {
    const response = handle(request, env);
    ctx?.waitUntil?.(response.catch(() => undefined));
    return response;
  },

  /**
   * Runs a Cron Trigger (wrangler.toml `[triggers]`) through the core: the
   * retention purge of docs/storage.md "Retention" (ABI.md "Scheduled"). The
   * core's log line (what was purged, never a value) is written as for a
   * request.
   *
   * @param {ScheduledController} controller its `cron` names the trigger
   * @param {Record<string, unknown>} env
   * @param {ExecutionContext} [ctx]
   * @returns {Promise<void>}
   * @throws {Error} when the core cannot start, fails, or answers 5xx (D1
   *   unavailable), so the run is recorded as failed and nothing is half-done:
   *   the purge is one D1 batch
   */
  async scheduled(controller, env, ctx) {
    const work = runScheduled(controller.cron || '(manual)', env);
    ctx?.waitUntil?.(work.catch(() => undefined));
    await work;
  },
};

/**
 * @param {string} cron
 * @param {Record<string, unknown>} env
 * @returns {Promise<void>}
 */
async function runScheduled(cron, env) {
  let out;
  try {
    const instance = currentCore(env);
    if (!instance.config.ok) throw new Error(`scheduled run: ${instance.config.message}`);
    out = await drive(instance, instance.call('scheduled', encodeScheduled(cron)), env, 'the scheduled run');
  } catch (e) {
    if (e instanceof CoreFailure) logFailure(e);
    throw e;
  }
  if (out.logLine) console.log(out.logLine);
  if (out.status >= 500) throw new Error(`scheduled run failed with status ${out.status}`);
}

/**
 * Runs the effects a task asks for until the core is done with it (ABI.md
 * "Output"), starting from the task's first Output.
 * @param {Core} instance
 * @param {import('./abi.js').Output} first
 * @param {Record<string, unknown>} env
 * @param {string} what "this request" or "the scheduled run", for failure messages
 * @returns {Promise<import('./abi.js').DoneOutput>}
 * @throws {CoreFailure} when the core traps, breaks the ABI, or answers another task
 */
async function drive(instance, first, env, what) {
  let out = first;
  while (out.kind === OUTPUT_EFFECTS) {
    const taskId = out.taskId;
    const results = await Promise.all(out.effects.map((effect) => runEffect(effect, env)));
    if (instance.poisoned) throw new CoreFailure(`core instance trapped while ${what} waited on I/O`);
    out = instance.call('resume', encodeResults(taskId, results));
    if (out.taskId !== taskId) {
      throw new CoreFailure(`resume(task ${taskId}) answered for task ${out.taskId}`);
    }
  }
  if (out.kind !== OUTPUT_DONE) throw new CoreFailure(`unexpected output kind ${out.kind} for ${what}`);
  return out;
}

/**
 * @param {Request} request
 * @param {Record<string, unknown>} env
 * @returns {Promise<Response>}
 */
async function handle(request, env) {
  const started = Date.now();
  const body = await readBody(request, MAX_BODY_BYTES);
  if (body === null) {
    const mcp = new URL(request.url).pathname === MCP_PATH;
    return shimError(413, 'request body exceeds 1 MiB', 'payload_too_large', started, mcp);
  }

  let instance;
  try {
    instance = currentCore(env);
  } catch (e) {
    logFailure(e);
    return shimError(500, 'internal error', 'internal', started);
  }
  if (!instance.config.ok) return shimError(500, instance.config.message, 'misconfigured', started);

  let out;
  try {
    out = await drive(instance, instance.call('begin', encodeRequest({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body,
      clientIp: request.headers.get('cf-connecting-ip') ?? '',
      country: typeof request.cf?.country === 'string' ? request.cf.country : '',
    })), env, 'this request');
  } catch (e) {
    if (!(e instanceof CoreFailure)) throw e;
    logFailure(e);
    return shimError(500, 'internal error', 'internal', started);
  }

  if (out.logLine) console.log(out.logLine);
  try {
    return toResponse(out);
  } catch (e) {
    logFailure(e);
    return shimError(500, 'internal error', 'internal', started);
  }
}

/**
 * The isolate's core, created (and configured with the env's string values)
 * on first use or after the previous one trapped.
 * @param {Record<string, unknown>} env
 * @returns {Core}
 * @throws {CoreFailure}
 */
function currentCore(env) {
  if (core === null || core.poisoned) {
    core = null;
    const vars = Object.entries(env).filter((entry) => typeof entry[1] === 'string');
    core = Core.create(coreModule, vars);
  }
  return core;
}

/**
 * The request body as bytes, or null when it is larger than `limit`: refused on
 * Content-Length alone when that is too large, otherwise read chunk by chunk and
 * abandoned as soon as the running total passes the limit.
 * @param {Request} request
 * @param {number} limit bytes
 * @returns {Promise<Uint8Array | null>}
 */
async function readBody(request, limit) {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) {
    if (request.body !== null) await drain(request.body.getReader(), DRAIN_BYTES);
    return null;
  }
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = value instanceof Uint8Array ? value : new Uint8Array(value);
    total += chunk.byteLength;
    if (total > limit) {
      await drain(reader, DRAIN_BYTES - total);
      return null;
    }
    chunks.push(chunk);
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    body.set(c, off);
    off += c.byteLength;
  }
  return body;
}

/**
 * Reads and discards up to `budget` more bytes of a body, then cancels the rest.
 * @param {ReadableStreamDefaultReader<Uint8Array>} reader
 * @param {number} budget bytes
 * @returns {Promise<void>} never rejects
 */
async function drain(reader, budget) {
  try {
    for (let left = budget; left > 0;) {
      const { done, value } = await reader.read();
      if (done) return;
      left -= value.byteLength;
    }
    await reader.cancel();
  } catch {
    // The client went away: nothing left to answer.
  }
}

/**
 * @param {import('./abi.js').DoneOutput} out
 * @returns {Response}
 * @throws {RangeError | TypeError} for a status or header the runtime rejects
 */
function toResponse(out) {
  const headers = new Headers();
  for (const [name, value] of out.headers) headers.append(name, value);
  const body = NULL_BODY_STATUSES.has(out.status) ? null : out.body;
  return new Response(body, { status: out.status, headers });
}

/**
 * A JSON error produced by the shim itself, plus its one log line.
 * @param {number} status
 * @param {string} error human-readable message
 * @param {string} code machine-readable code
 * @param {number} started Date.now() when the request arrived
 * @param {boolean} [jsonRpc] answer as a JSON-RPC error (the MCP endpoint)
 */
function shimError(status, error, code, started, jsonRpc = false) {
  console.log(JSON.stringify({ source: 'shim', status, code, latency_ms: Date.now() - started }));
  // An MCP client reads JSON-RPC errors only (MCP "Transports"; `apilocker mcp`
  // prints the body to its user): same status, JSON-RPC shape, no request id
  // because the body was never parsed.
  const payload = jsonRpc
    ? { jsonrpc: '2.0', id: null, error: { code: -32000, message: error } }
    : { error, code };
  return new Response(JSON.stringify(payload), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}

/** Logs a core failure: its message only (no request data, no stack). @param {unknown} e */
function logFailure(e) {
  const message = e instanceof Error ? e.message : String(e);
  console.error(JSON.stringify({ source: 'shim', event: 'core_failure', message }));
}
