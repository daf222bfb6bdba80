// Entry point of tests/conformance/run:
//   node main.mjs <wasm> <timeout seconds> <keep 0|1> [scenario ...]
// Exits with the conformance CLI's exit code; 124 when the CLI, or the whole run
// (CLI timeout + 60 s for starting and stopping the Worker), took too long.

import { runConformance } from './runner.mjs';

const [wasm, timeout, keep, ...scenarios] = process.argv.slice(2);
const timeoutMs = Number(timeout) * 1000;
setTimeout(() => {
  console.error(`tests/conformance/run: no result after ${timeoutMs / 1000 + 60} s, giving up`);
  process.exit(124);
}, timeoutMs + 60_000).unref();
process.exit(await runConformance({ wasm, timeoutMs, keep: keep === '1', scenarios }));
