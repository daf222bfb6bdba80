// One instance of core.wasm and the calls into it (ABI.md "Exports"): copy a
// message in, call, copy the Output out. Knows nothing about HTTP or effects.

import { decodeOutput, encodeConfigure, OUTPUT_CONFIG } from './abi.js';
import { createWasiImports } from './wasi.js';

/**
 * Any failure inside a call into the core: a trap (WebAssembly.RuntimeError),
 * proc_exit, an exception from an import, or a malformed Output. The instance
 * that raised it is poisoned: its memory can't be trusted any more.
 */
export class CoreFailure extends Error {
  /**
   * @param {string} message what went wrong (the trap's message; never request data)
   * @param {unknown} [cause]
   */
  constructor(message, cause) {
    super(message, { cause });
    this.name = 'CoreFailure';
  }
}

/**
 * A live core instance. Created once per isolate and shared by every request
 * in it; JS runs one call at a time, so calls never overlap.
 */
export class Core {
  /**
   * Instantiates `module` (never compiles: the module comes precompiled from the
   * `*.wasm` import), calls `_initialize`, then `configure` with `vars`.
   * A config rejection is not an error: it is reported in `core.config`.
   *
   * @param {WebAssembly.Module} module compiled core.wasm
   * @param {Array<[string, string]>} vars string-valued env entries (vars and secrets)
   * @returns {Core}
   * @throws {CoreFailure} if instantiation, `_initialize` or `configure` fails
   */
  static create(module, vars) {
    const ctx = { memory: null };
    let instance;
    try {
      instance = new WebAssembly.Instance(module, createWasiImports(module, ctx));
      ctx.memory = instance.exports.memory;
      if (!(ctx.memory instanceof WebAssembly.Memory)) throw new Error('core.wasm exports no memory');
      for (const name of ['alloc', 'configure', 'begin', 'scheduled', 'resume']) {
        if (typeof instance.exports[name] !== 'function') throw new Error(`core.wasm does not export ${name}`);
      }
      if (typeof instance.exports._initialize === 'function') instance.exports._initialize();
    } catch (e) {
      throw new CoreFailure(`core.wasm could not start: ${messageOf(e)}`, e);
    }
    const core = new Core(instance);
    const out = core.call('configure', encodeConfigure(vars));
    if (out.kind !== OUTPUT_CONFIG) {
      core.poisoned = true;
      throw new CoreFailure(`configure returned output kind ${out.kind}, expected ${OUTPUT_CONFIG}`);
    }
    core.config = { ok: out.ok, message: out.message };
    return core;
  }

  /** @param {WebAssembly.Instance} instance */
  constructor(instance) {
    this.exports = instance.exports;
    /** @type {WebAssembly.Memory} */
    this.memory = instance.exports.memory;
    /** True once a call failed: no further call is made on this instance. */
    this.poisoned = false;
    /** Reply to `configure` (ABI.md "Output" kind 2). @type {{ok: boolean, message: string}} */
    this.config = { ok: false, message: 'not configured' };
  }

  /**
   * Copies `input` into a buffer from `alloc`, calls `name(ptr, len)` and
   * decodes the Output it points at (copied out at once: it is valid only until
   * the next call).
   *
   * @param {'configure' | 'begin' | 'scheduled' | 'resume'} name
   * @param {Uint8Array} input an encoded ABI message
   * @returns {import('./abi.js').Output}
   * @throws {CoreFailure} on a trap or malformed Output; the instance is then poisoned
   */
  call(name, input) {
    if (this.poisoned) throw new CoreFailure('core instance was poisoned by an earlier failure');
    try {
      const ptr = this.exports.alloc(input.byteLength) >>> 0;
      if (ptr === 0) throw new Error(`alloc(${input.byteLength}) returned 0`);
      new Uint8Array(this.memory.buffer, ptr, input.byteLength).set(input);
      const out = this.exports[name](ptr, input.byteLength) >>> 0;
      return decodeOutput(this.read(out));
    } catch (e) {
      this.poisoned = true;
      throw new CoreFailure(`${name}: ${messageOf(e)}`, e);
    }
  }

  /** Number of unfinished request tasks (`tasks_live`), or -1 if not exported. */
  tasksLive() {
    return typeof this.exports.tasks_live === 'function' ? this.exports.tasks_live() >>> 0 : -1;
  }

  /**
   * @param {number} out pointer to `u32 length` + Output
   * @returns {Uint8Array} an independent copy of the Output bytes
   */
  read(out) {
    const size = this.memory.buffer.byteLength;
    if (out === 0 || out + 4 > size) throw new Error(`output pointer ${out} is out of bounds`);
    const len = new DataView(this.memory.buffer).getUint32(out, true);
    if (out + 4 + len > size) throw new Error(`output length ${len} at ${out} is out of bounds`);
    return new Uint8Array(this.memory.buffer.slice(out + 4, out + 4 + len));
  }
}

/** @param {unknown} e */
function messageOf(e) {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
