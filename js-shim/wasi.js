// The WASI preview1 imports core.wasm needs, and nothing more. Time and
// randomness are synchronous imports (docs/architecture.md "The data path"): the core
// never seeds its own PRNG. ABI.md "Exports" (`_initialize`) assumes them.

/** WASI errno 0: success. */
export const ERRNO_SUCCESS = 0;
/** WASI errno 8: bad file descriptor (fd_write to anything but 1 and 2). */
export const ERRNO_BADF = 8;
/** WASI errno 52: function not supported (every import the shim does not implement). */
export const ERRNO_NOSYS = 52;

const WASI_MODULE = 'wasi_snapshot_preview1';
/** crypto.getRandomValues refuses more than 65536 bytes per call. */
const RANDOM_CHUNK = 65536;
const FILETYPE_CHARACTER_DEVICE = 2;

/** Thrown by `proc_exit`: unwinds out of the export that called it. */
export class WasiExit extends Error {
  /** @param {number} code the exit code the module asked for */
  constructor(code) {
    super(`core.wasm called proc_exit(${code})`);
    this.name = 'WasiExit';
    this.code = code;
  }
}

/**
 * Builds the import object for `module` from the imports it declares
 * (`WebAssembly.Module.imports`), so a new import never breaks instantiation:
 * known WASI functions are implemented, every other function import answers
 * ERRNO_NOSYS (52).
 *
 * @param {WebAssembly.Module} module the compiled core
 * @param {{memory: WebAssembly.Memory | null}} ctx filled in by the caller with
 *   the instance's exported memory right after instantiation; the imports read it
 *   on every call (memory may grow, so views are made fresh each time)
 * @returns {WebAssembly.Imports}
 * @throws {Error} if the module imports something other than a function (memory,
 *   table, global): the shim cannot provide those
 */
export function createWasiImports(module, ctx) {
  const impl = wasiFunctions(ctx);
  const nosys = () => ERRNO_NOSYS;
  /** @type {Record<string, Record<string, Function>>} */
  const imports = {};
  for (const { module: mod, name, kind } of WebAssembly.Module.imports(module)) {
    if (kind !== 'function') {
      throw new Error(`core.wasm imports ${kind} ${mod}.${name}; the shim only provides functions`);
    }
    const fn = mod === WASI_MODULE && Object.hasOwn(impl, name) ? impl[name] : nosys;
    (imports[mod] ??= {})[name] = fn;
  }
  return imports;
}

/**
 * @param {{memory: WebAssembly.Memory | null}} ctx
 * @returns {Record<string, Function>}
 */
function wasiFunctions(ctx) {
  const view = () => new DataView(ctx.memory.buffer);
  const bytes = (ptr, len) => new Uint8Array(ctx.memory.buffer, ptr, len);
  /** Per-fd line buffers so a line written in pieces is logged once. */
  const lines = new Map();

  const emptyList = (countPtr, sizePtr) => {
    const v = view();
    v.setUint32(countPtr, 0, true);
    v.setUint32(sizePtr, 0, true);
    return ERRNO_SUCCESS;
  };

  return {
    /** (buf: u32, len: u32) → errno; fills with crypto.getRandomValues. */
    random_get(buf, len) {
      buf >>>= 0;
      len >>>= 0;
      for (let off = 0; off < len; off += RANDOM_CHUNK) {
        crypto.getRandomValues(bytes(buf + off, Math.min(RANDOM_CHUNK, len - off)));
      }
      return ERRNO_SUCCESS;
    },

    /** (id: u32, precision: u64 bigint, out: u32) → errno; ns since the epoch from Date.now(). */
    clock_time_get(_id, _precision, out) {
      view().setBigUint64(out >>> 0, BigInt(Date.now()) * 1_000_000n, true);
      return ERRNO_SUCCESS;
    },

    /** (id: u32, out: u32) → errno; Date.now() has millisecond resolution. */
    clock_res_get(_id, out) {
      view().setBigUint64(out >>> 0, 1_000_000n, true);
      return ERRNO_SUCCESS;
    },

    /**
     * (fd, iovs: u32, iovs_len: u32, nwritten: u32) → errno. fds 1 and 2 go to
     * console.error a line at a time; other fds are EBADF.
     */
    fd_write(fd, iovs, iovsLen, nwritten) {
      if (fd !== 1 && fd !== 2) return ERRNO_BADF;
      const v = view();
      let entry = lines.get(fd);
      if (!entry) {
        entry = { decoder: new TextDecoder(), text: '' };
        lines.set(fd, entry);
      }
      let total = 0;
      for (let i = 0; i < iovsLen >>> 0; i++) {
        const ptr = v.getUint32((iovs >>> 0) + i * 8, true);
        const len = v.getUint32((iovs >>> 0) + i * 8 + 4, true);
        entry.text += entry.decoder.decode(bytes(ptr, len), { stream: true });
        total += len;
      }
      let nl;
      while ((nl = entry.text.indexOf('\n')) >= 0) {
        console.error(entry.text.slice(0, nl));
        entry.text = entry.text.slice(nl + 1);
      }
      v.setUint32(nwritten >>> 0, total, true);
      return ERRNO_SUCCESS;
    },

    /** (fd, out: u32) → errno; fds 0–2 are character devices (so stdio is line-buffered). */
    fd_fdstat_get(fd, out) {
      if (fd > 2) return ERRNO_BADF;
      const v = view();
      out >>>= 0;
      v.setUint8(out, FILETYPE_CHARACTER_DEVICE);
      v.setUint16(out + 2, 0, true);
      v.setBigUint64(out + 8, 0xffffffffffffffffn, true);
      v.setBigUint64(out + 16, 0xffffffffffffffffn, true);
      return ERRNO_SUCCESS;
    },

    /** (code: u32) → never returns; throws WasiExit. */
    proc_exit(code) {
      throw new WasiExit(code);
    },

    /** No environment variables: configuration arrives through `configure`. */
    environ_sizes_get: emptyList,
    environ_get: () => ERRNO_SUCCESS,
    args_sizes_get: emptyList,
    args_get: () => ERRNO_SUCCESS,

    sched_yield: () => ERRNO_SUCCESS,
  };
}
