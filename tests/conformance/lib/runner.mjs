// The MCP conformance layer: the official @modelcontextprotocol/conformance
// server scenarios against the Worker built with the conformance fixture
// (build/wasm/core-conformance.opt.wasm), through a bearer-adding proxy.
// Invoked by tests/conformance/run; see there for usage and environment.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { addUser, ROOT, startWorker } from '../../worker/harness.mjs';
import { startBearerProxy } from './bearer-proxy.mjs';
import { baselineScenarios, readResults } from './results.mjs';

const CLI = join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const BASELINE = join(ROOT, 'tests', 'conformance', 'baseline.yml');

/**
 * Runs the conformance CLI once, bounded by `timeoutMs`; its output goes to `logFile`.
 * @param {string[]} args arguments after the CLI path
 * @param {string} logFile
 * @param {number} timeoutMs
 * @returns {Promise<number>} the CLI's exit code; 124 when it timed out
 */
function runCli(args, logFile, timeoutMs) {
  return new Promise((resolve, reject) => {
    const log = [];
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: tmpdir(), // the CLI writes nothing into the repository
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => log.push(d));
    child.stderr.on('data', (d) => log.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      writeFileSync(logFile, Buffer.concat(log));
      resolve(timedOut ? 124 : code ?? 1);
    });
  });
}

/**
 * Starts the Worker, seeds a user, runs every server scenario (`--suite all`)
 * against the baseline, prints one line per scenario and a summary line.
 * @param {object} opts
 * @param {string} opts.wasm the conformance core (wasm-opt output of core_conformance)
 * @param {number} opts.timeoutMs bound on the CLI run
 * @param {boolean} opts.keep keep the results directory even when everything passed
 * @param {string[]} [opts.scenarios] run only these scenarios (no baseline check)
 * @returns {Promise<number>} the conformance CLI's exit code (124: timeout)
 */
export async function runConformance({ wasm, timeoutMs, keep, scenarios }) {
  const worker = await startWorker({ coreWasm: wasm });
  const work = mkdtempSync(join(tmpdir(), 'vaultedge-conformance-'));
  const resultsDir = join(work, 'results');
  const logFile = join(work, 'cli.log');
  let proxy;
  let code = 1;
  try {
    const user = await addUser(worker, 'conformance@example.test');
    proxy = await startBearerProxy({ target: worker.url, token: user.token });
    const url = `${proxy.url}/v1/mcp`;
    if (scenarios?.length) {
      code = 0;
      for (const s of scenarios) {
        const rc = await runCli(['server', '--url', url, '--scenario', s, '-o', resultsDir],
          `${logFile}.${s}`, timeoutMs);
        code = Math.max(code, rc);
      }
    } else {
      // `all` = the default `active` suite plus the `pending` scenarios
      // (json-schema-2020-12, server-sse-polling): every server scenario there is.
      code = await runCli(['server', '--url', url, '--suite', 'all', '--expected-failures', BASELINE,
        '-o', resultsDir], logFile, timeoutMs);
    }
  } finally {
    await proxy?.close();
    await worker.stop();
  }

  const results = readResults(resultsDir, scenarios?.length ? [] : baselineScenarios(BASELINE));
  for (const r of results) {
    const mark = r.passed ? (r.expected ? 'STALE' : 'pass ') : (r.expected ? 'xfail' : 'FAIL ');
    console.log(`  ${mark} ${r.scenario}`);
    if (!r.passed && (!r.expected || keep)) for (const p of r.problems) console.log(`          ${p}`);
  }
  if (code !== 0 && !scenarios?.length) {
    console.log('\n--- conformance CLI output ---');
    console.log(readFileSync(logFile, 'utf8').replace(/\x1b\[[0-9;]*m/g, ''));
  }
  const passed = results.filter((r) => r.passed && !r.expected).length;
  const xfail = results.filter((r) => !r.passed && r.expected).length;
  const unexpected = results.filter((r) => r.passed === r.expected).length;
  console.log(`conformance: ${results.length} scenarios, ${passed} passed, ${xfail} expected failures ` +
    `(baseline), ${unexpected} unexpected${code === 124 ? ', TIMED OUT' : ''} -> exit ${code}`);
  if (keep || code !== 0) console.log(`results kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
  return code;
}
