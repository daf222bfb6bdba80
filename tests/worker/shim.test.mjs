// Tests of what the JS shim itself is responsible for (js-shim/): the ABI
// byte codec, the WASI imports, the 1 MiB body limit (enforced before the core
// is touched), failure handling, and serving the real core's GET /healthz
// through Miniflare. Nothing here depends on a core route except /healthz.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  AbiError, decodeOutput, encodeConfigure, encodeRequest, encodeResults, Reader, Writer,
} from '../../js-shim/abi.js';
import { createWasiImports, ERRNO_NOSYS, WasiExit } from '../../js-shim/wasi.js';
import { startWorker } from './harness.mjs';

const MiB = 1024 * 1024;
const te = new TextEncoder();
const td = new TextDecoder();

/** The smallest valid wasm module: compiles, exports nothing (so the shim cannot start it). */
const EMPTY_WASM = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

/**
 * A module that only declares function imports of type (i32, i32) -> i32.
 * @param {Array<[string, string]>} imports (module, name) pairs
 */
function moduleImporting(imports) {
  const name = (s) => [s.length, ...te.encode(s)];
  const section = (id, body) => [id, body.length, ...body];
  const types = section(1, [1, 0x60, 2, 0x7f, 0x7f, 1, 0x7f]);
  const entries = imports.flatMap(([m, n]) => [...name(m), ...name(n), 0x00, 0x00]);
  const importSec = section(2, [imports.length, ...entries]);
  return new WebAssembly.Module(new Uint8Array([...EMPTY_WASM, ...types, ...importSec]));
}

describe('abi.js', () => {
  test('Request: field order, lower-case header names, raw body bytes', () => {
    const bytes = encodeRequest({
      method: 'POST',
      url: 'https://vault.example/v1/keys?x=1',
      headers: [['Content-Type', 'application/json'], ['x-a', 'b']],
      body: new Uint8Array([0, 255, 10]),
      clientIp: '203.0.113.7',
      country: 'NL',
    });
    const r = new Reader(bytes);
    assert.equal(r.str(), 'POST');
    assert.equal(r.str(), 'https://vault.example/v1/keys?x=1');
    assert.deepEqual(r.headers(), [['content-type', 'application/json'], ['x-a', 'b']]);
    assert.deepEqual([...r.bytes()], [0, 255, 10]);
    assert.equal(r.str(), '203.0.113.7');
    assert.equal(r.str(), 'NL');
    r.end();
  });

  test('configure keeps variable names as given', () => {
    const r = new Reader(encodeConfigure([['VAULT_KEYS', 'k1:AAAA'], ['ENVIRONMENT', 'development']]));
    assert.deepEqual(r.headers(), [['VAULT_KEYS', 'k1:AAAA'], ['ENVIRONMENT', 'development']]);
    r.end();
  });

  test('Output kind 0 (done)', () => {
    const w = new Writer().u32(7).u8(0).u16(201).headers([['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
    w.bytes(te.encode('{"id":1}')).str('{"route":"/x"}');
    const out = decodeOutput(w.finish().slice());
    assert.equal(out.taskId, 7);
    assert.equal(out.kind, 0);
    assert.equal(out.status, 201);
    assert.deepEqual(out.headers, [['set-cookie', 'a=1'], ['set-cookie', 'b=2']]);
    assert.equal(td.decode(out.body), '{"id":1}');
    assert.equal(out.logLine, '{"route":"/x"}');
  });

  test('Output kind 1 (effects): every effect type', () => {
    const w = new Writer().u32(3).u8(1).u32(5);
    w.u32(10).u8(1).str('blob/u/k/1');
    w.u32(11).u8(2).str('blob/u/k/2').bytes(new Uint8Array([1, 2, 3]));
    w.u32(12).u8(3).str('blob/u/k/3');
    w.u32(13).u8(4).u32(1).str('SELECT ?, ?, ?, ?, ?, ?').u32(6);
    w.u8(0).u8(1).i64(42n).u8(1).i64(2n ** 60n).u8(2).f64(2.5).u8(3).str('t').u8(4).bytes(new Uint8Array([9]));
    w.u32(14).u8(5).str('POST').str('https://api.example/v1').headers([['authorization', 'Bearer x']]);
    w.bytes(te.encode('{}')).u32(5000).u32(4096);
    const out = decodeOutput(w.finish().slice());
    assert.equal(out.taskId, 3);
    assert.equal(out.kind, 1);
    const [get, put, del, batch, fetchEffect] = out.effects;
    assert.deepEqual(get, { id: 10, type: 1, key: 'blob/u/k/1' });
    assert.deepEqual([put.id, put.type, put.key, [...put.value]], [11, 2, 'blob/u/k/2', [1, 2, 3]]);
    assert.deepEqual(del, { id: 12, type: 3, key: 'blob/u/k/3' });
    assert.equal(batch.statements[0].sql, 'SELECT ?, ?, ?, ?, ?, ?');
    const [p0, p1, p2, p3, p4, p5] = batch.statements[0].params;
    assert.equal(p0, null);
    assert.equal(p1, 42, 'safe integers become numbers (D1 binds numbers)');
    assert.equal(p2, 2n ** 60n, 'unsafe integers stay bigint');
    assert.equal(p3, 2.5);
    assert.equal(p4, 't');
    assert.deepEqual([...p5], [9]);
    assert.equal(fetchEffect.method, 'POST');
    assert.equal(fetchEffect.url, 'https://api.example/v1');
    assert.deepEqual(fetchEffect.headers, [['authorization', 'Bearer x']]);
    assert.equal(td.decode(fetchEffect.body), '{}');
    assert.equal(fetchEffect.timeoutMs, 5000);
    assert.equal(fetchEffect.maxResponseBytes, 4096);
  });

  test('Output kind 2 (config)', () => {
    const out = decodeOutput(new Writer().u32(0).u8(2).u8(0).str('VAULT_KEYS is malformed').finish().slice());
    assert.deepEqual(out, { taskId: 0, kind: 2, ok: false, message: 'VAULT_KEYS is malformed' });
  });

  test('malformed Output is an AbiError', () => {
    assert.throws(() => decodeOutput(new Uint8Array([1, 0, 0])), AbiError, 'truncated');
    assert.throws(() => decodeOutput(new Writer().u32(1).u8(9).finish().slice()), AbiError, 'unknown kind');
    const trailing = new Writer().u32(0).u8(2).u8(1).str('').u8(0).finish().slice();
    assert.throws(() => decodeOutput(trailing), AbiError, 'trailing bytes');
    const badUtf8 = new Writer().u32(0).u8(2).u8(1).bytes(new Uint8Array([0xff])).finish().slice();
    assert.throws(() => decodeOutput(badUtf8), AbiError, 'invalid UTF-8');
  });

  test('Results: every result shape, and SQL value tags', () => {
    const bytes = encodeResults(9, [
      { id: 1, type: 1, ok: true, found: true, value: new Uint8Array([7]) },
      { id: 2, type: 1, ok: true, found: false, value: null },
      { id: 3, type: 2, ok: true },
      { id: 4, type: 4, ok: true, results: [{
        columns: ['n', 'i', 'r', 'whole_real', 'huge', 's', 'b_array', 'b_buffer'],
        rows: [[null, 5, 2.5, 3.0, 1e20, 'x', [1, 2], new Uint8Array([3]).buffer]],
        changes: 1,
        lastRowId: 12,
      }] },
      { id: 5, type: 5, ok: true, status: 302, headers: [['location', '/x']], body: new Uint8Array(0) },
      { id: 6, type: 3, ok: false, message: 'KV binding BLOBS is not configured' },
    ]);
    const r = new Reader(bytes);
    assert.equal(r.u32(), 9);
    assert.equal(r.u32(), 6);
    const tag = (type) => assert.equal(r.u8(), type, 'ok 1 is followed by the effect type');

    assert.deepEqual([r.u32(), r.u8()], [1, 1]); tag(1);
    assert.equal(r.u8(), 1); assert.deepEqual([...r.bytes()], [7]);
    assert.deepEqual([r.u32(), r.u8()], [2, 1]); tag(1);
    assert.equal(r.u8(), 0); assert.equal(r.bytes().length, 0);
    assert.deepEqual([r.u32(), r.u8()], [3, 1]); tag(2);

    assert.deepEqual([r.u32(), r.u8()], [4, 1]); tag(4);
    assert.equal(r.u32(), 1);
    const ncols = r.u32();
    const cols = Array.from({ length: ncols }, () => r.str());
    assert.deepEqual(cols, ['n', 'i', 'r', 'whole_real', 'huge', 's', 'b_array', 'b_buffer']);
    assert.equal(r.u32(), 1);
    const tags = [];
    const values = [];
    for (let c = 0; c < ncols; c++) {
      tags.push(r.buf[r.pos]);
      values.push(r.value());
    }
    // D1 hands back JS numbers: integral ones (3.0 too) are tag 1, others tag 2;
    // integral values outside i64 fall back to tag 2.
    assert.deepEqual(tags, [0, 1, 2, 1, 2, 3, 4, 4]);
    assert.deepEqual(values.slice(0, 6), [null, 5n, 2.5, 3n, 1e20, 'x']);
    assert.deepEqual([...values[6]], [1, 2]);
    assert.deepEqual([...values[7]], [3]);
    assert.equal(r.i64(), 1n);
    assert.equal(r.i64(), 12n);

    assert.deepEqual([r.u32(), r.u8()], [5, 1]); tag(5);
    assert.equal(r.u16(), 302); assert.deepEqual(r.headers(), [['location', '/x']]); assert.equal(r.bytes().length, 0);
    assert.deepEqual([r.u32(), r.u8(), r.str()], [6, 0, 'KV binding BLOBS is not configured']);
    r.end();
  });

  test('a result that cannot be encoded is sent as failed, not dropped', () => {
    const bytes = encodeResults(1, [
      { id: 4, type: 4, ok: true, results: [{ columns: ['x'], rows: [[{ weird: true }]], changes: 0, lastRowId: 0 }] },
    ]);
    const r = new Reader(bytes);
    assert.deepEqual([r.u32(), r.u32(), r.u32(), r.u8()], [1, 1, 4, 0]);
    assert.match(r.str(), /could not be encoded/);
    r.end();
  });
});

describe('wasi.js', () => {
  test('imports are built from the module: known WASI calls implemented, the rest ERRNO_NOSYS', () => {
    const mod = moduleImporting([
      ['wasi_snapshot_preview1', 'random_get'],
      ['wasi_snapshot_preview1', 'path_open'],
      ['env', 'something_new'],
    ]);
    const ctx = { memory: new WebAssembly.Memory({ initial: 3 }) };
    const imports = createWasiImports(mod, ctx);
    assert.equal(imports.wasi_snapshot_preview1.path_open(0, 0), ERRNO_NOSYS);
    assert.equal(imports.env.something_new(0, 0), ERRNO_NOSYS);
    // random_get: more than crypto.getRandomValues' 65536-byte limit in one call
    assert.equal(imports.wasi_snapshot_preview1.random_get(16, 150000), 0);
    const filled = new Uint8Array(ctx.memory.buffer, 16, 150000);
    assert.ok(filled.subarray(140000).some((b) => b !== 0), 'the tail is filled too');
    assert.equal(new Uint8Array(ctx.memory.buffer)[15], 0, 'nothing before buf is touched');
    // instantiation with exactly these imports succeeds
    new WebAssembly.Instance(mod, imports);
  });

  test('clock_time_get is Date.now() in nanoseconds; proc_exit throws WasiExit', () => {
    const mod = moduleImporting([['wasi_snapshot_preview1', 'clock_time_get'], ['wasi_snapshot_preview1', 'proc_exit']]);
    const ctx = { memory: new WebAssembly.Memory({ initial: 1 }) };
    const { wasi_snapshot_preview1: w } = createWasiImports(mod, ctx);
    const before = BigInt(Date.now()) * 1_000_000n;
    assert.equal(w.clock_time_get(0, 1n, 8), 0);
    const ns = new DataView(ctx.memory.buffer).getBigUint64(8, true);
    assert.ok(ns >= before && ns <= BigInt(Date.now()) * 1_000_000n);
    assert.throws(() => w.proc_exit(3), WasiExit);
  });
});

describe('worker with a core that cannot start', () => {
  let w;
  before(async () => {
    w = await startWorker({ coreWasm: EMPTY_WASM, migrate: false });
  });
  after(async () => {
    await w?.stop();
  });

  test('a body over 1 MiB (by Content-Length) gets 413 before the core is touched', async () => {
    const res = await fetch(`${w.url}/v1/keys`, { method: 'POST', body: new Uint8Array(MiB + 1) });
    assert.equal(res.status, 413);
    assert.equal(res.headers.get('content-type'), 'application/json');
    assert.deepEqual(await res.json(), { error: 'request body exceeds 1 MiB', code: 'payload_too_large' });
    assert.ok(!w.logs.some((l) => l.message.includes('core_failure')), 'the core was never started');
  });

  test('a streamed body over 1 MiB (no Content-Length) gets 413', async () => {
    const chunk = new Uint8Array(64 * 1024);
    let sent = 0;
    const body = new ReadableStream({
      pull(c) {
        if (sent >= 2 * MiB) return c.close();
        sent += chunk.length;
        c.enqueue(chunk);
      },
    });
    const res = await fetch(`${w.url}/upload`, { method: 'PUT', body, duplex: 'half' });
    assert.equal(res.status, 413);
    assert.equal((await res.json()).code, 'payload_too_large');
  });

  test('exactly 1 MiB passes the limit (and reaches the core, which fails here): 500 internal', async () => {
    const res = await fetch(`${w.url}/x`, { method: 'POST', body: new Uint8Array(MiB) });
    assert.equal(res.status, 500);
    assert.deepEqual(await res.json(), { error: 'internal error', code: 'internal' });
    const failure = w.logs.find((l) => l.message.includes('core_failure'));
    assert.ok(failure, 'the failure is logged');
    assert.match(failure.message, /could not start/);
  });
});

describe('worker with the built core', () => {
  let w;
  before(async () => {
    w = await startWorker({ vars: { LOG_REQUESTS: 'all' } });
  });
  after(async () => {
    await w?.stop();
  });

  test('GET /healthz answers 200', async () => {
    const res = await fetch(`${w.url}/healthz`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  });

  test('concurrent requests in one isolate all complete', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 40 }, () => fetch(`${w.url}/healthz`).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      })),
    );
    assert.deepEqual(new Set(statuses), new Set([200]));
  });

  test('the core\'s log line is written once per request', async () => {
    const before = w.logs.length;
    await (await fetch(`${w.url}/healthz`)).arrayBuffer();
    const lines = w.logs.slice(before).filter((l) => l.level === 'log');
    assert.equal(lines.length, 1);
    assert.doesNotThrow(() => JSON.parse(lines[0].message), 'log_line is one JSON object');
  });
});

describe('worker whose env the core rejects', () => {
  test('every request gets 500 misconfigured with the core\'s message', async () => {
    const w = await startWorker({ vars: { VAULT_KEYS: undefined }, migrate: false });
    try {
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${w.url}/healthz`);
        assert.equal(res.status, 500);
        const body = await res.json();
        assert.equal(body.code, 'misconfigured');
        assert.match(body.error, /VAULT_KEYS/);
      }
    } finally {
      await w.stop();
    }
  });
});
