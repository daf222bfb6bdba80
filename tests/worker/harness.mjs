// Starts the built Worker in Miniflare (the same workerd that `wrangler dev`
// runs) for integration tests that make real HTTP requests with fetch().
//
// It loads exactly what wrangler deploys: the modules of js-shim/ and
// js-shim/core.wasm (made by tools/build), with the worker options that
// wrangler itself derives from wrangler.toml (compatibility date, module rules,
// bindings KV `BLOBS` and D1 `DB`), and applies migrations/*.sql in order the
// way `wrangler d1 migrations apply --local` does (wrangler's own SQL splitter,
// one batch per file). State is in memory: every startWorker() gets an empty
// KV and a freshly migrated D1.

import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { unstable_getMiniflareWorkerOptions, unstable_splitSqlQuery } from 'wrangler';

/** Repository root (this file is tests/worker/harness.mjs). */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHIM_DIR = join(ROOT, 'js-shim');
/** The optimized core the shim imports (tools/build writes it). */
export const CORE_WASM = join(SHIM_DIR, 'core.wasm');
const BUILT_WASM = join(process.env.VE_BUILD_ROOT || join(ROOT, 'build'), 'wasm', 'core.wasm');

/**
 * A fresh development keyring: `VAULT_KEYS` = `test1:<32 random bytes, base64>`.
 * @returns {string}
 */
export function freshVaultKeys() {
  return `test1:${randomBytes(32).toString('base64')}`;
}

/**
 * @typedef {object} WorkerOptions
 * @property {Record<string, string>} [vars] merged over `{ENVIRONMENT: 'development',
 *   VAULT_KEYS: <fresh per call>}`; a value of `undefined` removes the var
 * @property {Uint8Array | string} [coreWasm] wasm bytes or a path to use instead of
 *   js-shim/core.wasm (for shim tests with a stand-in core)
 * @property {boolean} [migrate=true] apply migrations/*.sql
 * @property {Record<string, unknown>} [cf] the `request.cf` object Miniflare attaches
 * @property {boolean} [verbose] echo the Worker's console output to stderr
 *   (also on when VE_TEST_VERBOSE=1)
 */

/**
 * @typedef {object} StartedWorker
 * @property {string} url base URL, `http://127.0.0.1:<free port>` (no trailing slash)
 * @property {Miniflare} mf the Miniflare instance
 * @property {D1Database} db the `DB` binding, for seeding and inspecting rows
 * @property {KVNamespace} kv the `BLOBS` binding
 * @property {Array<{level: string, message: string}>} logs everything the Worker
 *   logged (console.log/error), in order
 * @property {() => Promise<void>} stop disposes Miniflare; safe to call twice
 */

/**
 * Starts the Worker on 127.0.0.1 on a free port.
 * @param {WorkerOptions} [opts]
 * @returns {Promise<StartedWorker>}
 * @throws {Error} if core.wasm is missing (run tools/build) or a migration fails
 */
export async function startWorker(opts = {}) {
  const core = loadCore(opts.coreWasm);
  // wrangler.toml's top level (local dev), without .dev.vars: naming an env file
  // that does not exist keeps a developer's local secrets out of the tests.
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml'), undefined, {
    envFiles: ['.env.tests-read-no-dev-vars'],
  });
  // Without [assets]: these tests are about the core; the dashboard's files
  // (dashboard/dist) are served by the edge in front of it, not by the Worker.
  const { rootPath: _root, main: _main, assets: _assets, ...fromWrangler } = workerOptions;

  const bindings = { ...fromWrangler.bindings, ENVIRONMENT: 'development', VAULT_KEYS: freshVaultKeys() };
  for (const [k, v] of Object.entries(opts.vars ?? {})) {
    if (v === undefined) delete bindings[k];
    else bindings[k] = v;
  }

  const verbose = opts.verbose ?? process.env.VE_TEST_VERBOSE === '1';
  const logs = [];
  // wrangler builds its Miniflare options in this (v4) shape and converts them.
  const mf = new Miniflare(convertV4MiniflareOptions({
    host: '127.0.0.1',
    port: 0,
    cf: opts.cf ?? { country: 'NL', colo: 'AMS' },
    telemetry: { enabled: false },
    handleStructuredLogs: ({ level, message }) => {
      logs.push({ level, message });
      if (verbose) process.stderr.write(`[worker ${level}] ${message}\n`);
    },
    workers: [{
      ...fromWrangler,
      name: 'vaultedge',
      modulesRoot: ROOT,
      modules: [
        { type: 'ESModule', path: join(SHIM_DIR, 'worker.js') },
        ...readdirSync(SHIM_DIR)
          .filter((f) => f.endsWith('.js') && f !== 'worker.js')
          .sort()
          .map((f) => ({ type: 'ESModule', path: join(SHIM_DIR, f) })),
        { type: 'CompiledWasm', path: CORE_WASM, contents: core },
      ],
      bindings,
      kvNamespaces: { BLOBS: 'vaultedge-test-blobs' },
      d1Databases: { DB: 'vaultedge-test-db' },
    }],
  }));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await mf.dispose();
  };

  try {
    const url = (await mf.ready).toString().replace(/\/$/, '');
    const db = await mf.getD1Database('DB');
    const kv = await mf.getKVNamespace('BLOBS');
    if (opts.migrate ?? true) await applyMigrations(db);
    return { url, mf, db, kv, logs, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * @param {Uint8Array | string | undefined} override
 * @returns {Uint8Array}
 */
function loadCore(override) {
  if (override instanceof Uint8Array) return override;
  const path = override ?? CORE_WASM;
  if (!existsSync(path)) {
    throw new Error(`${relative(ROOT, path)} is missing: run tools/build first`);
  }
  if (override === undefined && existsSync(BUILT_WASM) && statSync(BUILT_WASM).mtimeMs > statSync(path).mtimeMs) {
    throw new Error('js-shim/core.wasm is older than build/wasm/core.wasm: run tools/build');
  }
  return readFileSync(path);
}

/**
 * Applies migrations/NNNN_*.sql in name order, each file as one D1 batch (a
 * transaction), split with wrangler's own splitter.
 * @param {D1Database} db
 */
async function applyMigrations(db) {
  const dir = join(ROOT, 'migrations');
  if (!existsSync(dir)) return;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    const statements = unstable_splitSqlQuery(readFileSync(join(dir, file), 'utf8'));
    if (statements.length === 0) continue;
    try {
      await db.batch(statements.map((s) => db.prepare(s)));
    } catch (e) {
      throw new Error(`migration ${file} failed: ${e.cause?.message ?? e.message}`);
    }
  }
}

/**
 * Seeds a user with one device and its master token, exactly as the device
 * flow leaves them (the token stored only as its SHA-256 hex), for tests that
 * are not about registration.
 * @param {StartedWorker} worker
 * @param {string} email
 * @returns {Promise<{userId: string, deviceId: string, token: string, email: string}>}
 */
export async function addUser(worker, email) {
  const userId = `usr_${randomBytes(16).toString('hex')}`;
  const deviceId = `dev_${randomBytes(16).toString('hex')}`;
  const token = `vk_master_${randomBytes(32).toString('base64url')}`;
  const hash = createHash('sha256').update(token).digest('hex');
  const now = Date.now();
  await worker.db.batch([
    worker.db.prepare('INSERT INTO users (id, email, created_at) VALUES (?1, ?2, ?3)')
      .bind(userId, email, now),
    worker.db.prepare('INSERT INTO devices (id, user_id, name, created_at) VALUES (?1, ?2, ?3, ?4)')
      .bind(deviceId, userId, 'integration test', now),
    worker.db.prepare(
      'INSERT INTO master_tokens (token_hash, device_id, user_id, created_at) VALUES (?1, ?2, ?3, ?4)',
    ).bind(hash, deviceId, userId, now),
  ]);
  return { userId, deviceId, token, email };
}

/**
 * One JSON request to the Worker, as the apilocker CLI sends it.
 * @param {string} base the Worker's base URL
 * @param {string | null | undefined} token bearer token; none → no Authorization header
 * @param {string} method
 * @param {string} path e.g. `/v1/keys`
 * @param {unknown} [body] a string is sent as is, anything else as JSON; undefined → no body
 * @param {Record<string, string>} [headers] added last (e.g. another Content-Type)
 * @returns {Promise<{status: number, body: any, text: string, headers: Headers}>}
 *   `body` is the parsed JSON answer, or null when it is empty or not JSON
 */
export async function request(base, token, method, path, body, headers = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/**
 * A throwaway HOME whose ~/.apilocker/config.json (mode 600) makes the
 * apilocker CLI talk to `worker` as `user`'s device. The caller removes it.
 * @param {StartedWorker} worker
 * @param {{userId: string, deviceId: string, token: string, email: string}} user from addUser()
 * @param {string} prefix name prefix of the temporary directory
 * @returns {string} the HOME directory
 */
export function cliHome(worker, user, prefix) {
  const home = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(home, '.apilocker'), { mode: 0o700 });
  writeFileSync(join(home, '.apilocker', 'config.json'), JSON.stringify({
    api_url: worker.url, master_token: user.token, user_id: user.userId,
    device_id: user.deviceId, email: user.email, device_name: 'integration test',
  }), { mode: 0o600 });
  return home;
}
