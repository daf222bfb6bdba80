// Runs the real, unmodified `apilocker` CLI (node_modules/apilocker) as a
// subprocess, with its own HOME (its config is ~/.apilocker/config.json) and
// our headless browser first on PATH as `xdg-open`.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = join(E2E_DIR, '..', '..');
export const CLI_JS = join(ROOT, 'node_modules', 'apilocker', 'dist', 'index.js');
export const BROWSER_BIN = join(E2E_DIR, 'bin');

/** Removes ANSI colour sequences (the CLI prints them even when NO_COLOR is set). */
export function stripAnsi(s) {
  return s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

/**
 * @typedef {object} CliResult
 * @property {number|null} code
 * @property {string|null} signal
 * @property {string} stdout  ANSI stripped
 * @property {string} stderr  ANSI stripped
 * @property {string} rawStdout
 * @property {boolean} timedOut
 */

/**
 * Runs `apilocker ...args`.
 * @param {string[]} args
 * @param {object} o
 * @param {string} o.home           HOME for the CLI
 * @param {string} [o.cwd]          working directory (default: home)
 * @param {Record<string,string>} [o.env] extra environment
 * @param {number} [o.timeoutMs]    killed (SIGKILL) after this long (default 30 s)
 * @param {string} [o.input]        written to stdin, then stdin is closed
 * @param {(child: import('node:child_process').ChildProcess) => void} [o.onSpawn]
 * @returns {Promise<CliResult>}
 */
export function apilocker(args, o) {
  const env = {
    // A clean, predictable environment: no desktop, no banner, no colours.
    PATH: `${BROWSER_BIN}:${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: o.home,
    LANG: 'C.UTF-8',
    CI: '1',
    NO_COLOR: '1',
    ...o.env,
  };
  mkdirSync(o.home, { recursive: true, mode: 0o700 });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_JS, ...args], {
      cwd: o.cwd ?? o.home,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, o.timeoutMs ?? 30_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: stripAnsi(stdout), stderr: stripAnsi(stderr), rawStdout: stdout, timedOut });
    });
    if (o.input !== undefined) child.stdin.end(o.input);
    else child.stdin.end();
    o.onSpawn?.(child);
  });
}

/** The CLI's saved config for a HOME, or null. */
export function readConfig(home) {
  const p = join(home, '.apilocker', 'config.json');
  return existsSync(p) ? JSON.parse(readFileSync(p, 'utf8')) : null;
}

/** One-line description of a CLI result for assertion messages. */
export function describeRun(r) {
  const cut = (s) => (s.length > 1500 ? s.slice(0, 1500) + '…' : s);
  return `exit ${r.code}${r.signal ? ` (signal ${r.signal})` : ''}${r.timedOut ? ' TIMED OUT' : ''}\n--- stdout ---\n${cut(r.stdout)}\n--- stderr ---\n${cut(r.stderr)}`;
}
