// Runs a wasm32-wasi *command* module (one with `_start`) under node:wasi
// (preview1) — how ctest runs the Catch2 unit tests built for wasm
// (CMakeLists.txt, test `unit_wasm`).
//
// Usage: node tests/unit/wasi-runner.mjs <module.wasm> [args...]
// argv[0] seen by the module is the module's path; the rest are forwarded.
// stdio is the process's; the environment is forwarded; no directories are
// preopened. Exits with the module's exit code (proc_exit or return from
// main); a trap prints its message and exits 134, like an abort.

import { readFile } from 'node:fs/promises';
import process from 'node:process';
import { WASI } from 'node:wasi';

// node:wasi is marked experimental; that warning is noise in test logs.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'ExperimentalWarning') console.error(w);
});

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node wasi-runner.mjs <module.wasm> [args...]');
  process.exit(2);
}

const wasi = new WASI({ version: 'preview1', args: [file, ...args], env: process.env, returnOnExit: true });
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());

let code;
try {
  code = wasi.start(instance);
} catch (e) {
  console.error(`wasi-runner: ${file} trapped: ${e instanceof Error ? e.message : e}`);
  code = 134;
}
process.exitCode = code;
