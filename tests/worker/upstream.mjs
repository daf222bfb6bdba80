// The proxy tests' upstream: tests/worker/upstream-server.mjs run as a real,
// separate Node process (child_process.fork), listening on 127.0.0.1 only.
// See that file for the behaviours selected by path segments (/_reflect,
// /_sleep, /_big, /_redirect, /_cookie, /_hop, /_status, /_echo).
//
// Everything it received is read back over its control port: requests()
// returns each request as the upstream saw it (method, raw path and query,
// every header, body).

import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = join(dirname(fileURLToPath(import.meta.url)), 'upstream-server.mjs');
const START_TIMEOUT_MS = 10_000;

/**
 * @typedef {object} RecordedRequest
 * @property {number} seq arrival order (1, 2, …) across both listeners
 * @property {'main' | 'other'} listener which port received it
 * @property {string} method
 * @property {string} url the raw request target (path and query)
 * @property {string} path the raw path, still percent-encoded
 * @property {string | null} query the raw query string without '?', null when none
 * @property {Array<[string, string]>} headers every header as received, names lower-cased, in order
 * @property {string} body the body as base64 (first 2 MiB)
 * @property {number} bodyLength the body's full length
 * @property {number} at arrival time (ms since epoch)
 */

/**
 * @typedef {object} Upstream
 * @property {string} url `http://127.0.0.1:<main port>` (the upstream keys point at)
 * @property {string} otherUrl `http://127.0.0.1:<other port>` (the redirect target, "another host")
 * @property {number} pid the child process id
 * @property {() => Promise<RecordedRequest[]>} requests everything both listeners received, in order
 * @property {(prefix: string) => Promise<RecordedRequest[]>} requestsUnder the main listener's
 *   requests whose path starts with `prefix`
 * @property {() => Promise<number>} count how many requests both listeners received so far
 * @property {(n: number, o?: {prefix?: string, timeoutMs?: number}) => Promise<RecordedRequest[]>} waitFor
 *   waits (polling, bounded by timeoutMs, default 5 s) until at least n requests (under `prefix`
 *   when given) arrived, and returns them; throws on timeout
 * @property {() => Promise<void>} reset forgets every recorded request
 * @property {() => string} freshPrefix a new unique base path `/t/<random>` for one test
 * @property {() => Promise<void>} stop kills the process (SIGTERM, then SIGKILL); safe to call twice
 */

/**
 * Starts the upstream process and waits for its ports.
 * @returns {Promise<Upstream>}
 * @throws {Error} when it does not report its ports within 10 s
 */
export async function startUpstream() {
  const child = fork(SERVER, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  const ports = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`upstream did not start within ${START_TIMEOUT_MS} ms: ${stderr}`));
    }, START_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out.slice(0, nl)));
      } catch (e) {
        reject(e);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`upstream exited (${code}) before reporting its ports: ${stderr}`));
    });
  });

  const control = `http://127.0.0.1:${ports.control}`;
  const requests = async () => {
    const r = await fetch(`${control}/requests`, { signal: AbortSignal.timeout(5_000) });
    return (await r.json()).requests;
  };
  let stopped = false;
  const stop = async () => {
    if (stopped || child.exitCode !== null || child.signalCode !== null) return;
    stopped = true;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 2_000);
    await gone;
    clearTimeout(t);
  };
  return {
    url: `http://127.0.0.1:${ports.main}`,
    otherUrl: `http://127.0.0.1:${ports.other}`,
    pid: child.pid,
    requests,
    requestsUnder: async (prefix) => (await requests())
      .filter((r) => r.listener === 'main' && r.path.startsWith(prefix)),
    count: async () => (await requests()).length,
    waitFor: async (n, o = {}) => {
      const deadline = Date.now() + (o.timeoutMs ?? 5_000);
      for (let i = 0; i < 1000; i++) {
        const all = await requests();
        const got = o.prefix === undefined
          ? all
          : all.filter((r) => r.listener === 'main' && r.path.startsWith(o.prefix));
        if (got.length >= n) return got;
        if (Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`upstream: fewer than ${n} requests${o.prefix ? ` under ${o.prefix}` : ''} arrived in time`);
    },
    reset: async () => {
      await fetch(`${control}/reset`, { method: 'POST', signal: AbortSignal.timeout(5_000) });
    },
    freshPrefix: () => `/t/${randomBytes(6).toString('hex')}`,
    stop,
  };
}

/**
 * Every value of header `name` (lower-case) in a recorded request.
 * @param {RecordedRequest} req
 * @param {string} name
 * @returns {string[]}
 */
export function headerValues(req, name) {
  return req.headers.filter(([n]) => n === name).map(([, v]) => v);
}

/**
 * The body of a recorded request as UTF-8 text.
 * @param {RecordedRequest} req
 * @returns {string}
 */
export function bodyText(req) {
  return Buffer.from(req.body, 'base64').toString('utf8');
}

/**
 * Everything a recorded request carried (target, header names and values,
 * body), as one string to search for leaked values.
 * @param {RecordedRequest} req
 * @returns {string}
 */
export function everything(req) {
  return `${req.method} ${req.url}\n${req.headers.map(([n, v]) => `${n}: ${v}`).join('\n')}\n\n${bodyText(req)}`;
}
