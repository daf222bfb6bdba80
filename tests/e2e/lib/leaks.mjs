// Binary-safe search of every file under a directory (the server's wrangler
// state: local D1 SQLite files with their -wal/-shm, KV blobs, caches) for
// secret values. Each needle is searched as raw UTF-8 and also as base64,
// base64url and hex, so "stored but merely encoded" counts as a leak too.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every regular file under dir (recursive). */
export function listFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const ent of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, ent.name);
      if (ent.isDirectory()) walk(p);
      else if (ent.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

function encodings(value) {
  const buf = Buffer.from(value, 'utf8');
  const forms = [
    ['raw', buf],
    ['base64', Buffer.from(buf.toString('base64').replace(/=+$/, ''))],
    ['base64url', Buffer.from(buf.toString('base64url'))],
    ['hex', Buffer.from(buf.toString('hex'))],
    ['HEX', Buffer.from(buf.toString('hex').toUpperCase())],
  ];
  // base64 of a value depends on its alignment inside a larger encoded blob;
  // these forms cover values encoded on their own (the usual leak). Forms that
  // are byte-identical (base64 without + or /) are searched once.
  const seen = new Set();
  return forms.filter(([, b]) => !seen.has(b.toString('latin1')) && seen.add(b.toString('latin1')));
}

/**
 * @param {string} dir
 * @param {Array<{label: string, value: string}>} needles
 * @returns {{files: number, bytes: number, hits: Array<{label: string, encoding: string, file: string, offset: number}>}}
 */
export function scanForLeaks(dir, needles) {
  const files = listFiles(dir);
  const hits = [];
  let bytes = 0;
  const prepared = needles
    .filter((n) => n.value && n.value.length >= 8)
    .map((n) => ({ ...n, forms: encodings(n.value) }));
  for (const file of files) {
    let data;
    try {
      if (statSync(file).size > 512 * 1024 * 1024) continue;
      data = readFileSync(file);
    } catch {
      continue; // vanished (e.g. a -shm file) between listing and reading
    }
    bytes += data.length;
    for (const n of prepared) {
      for (const [encoding, form] of n.forms) {
        const at = data.indexOf(form);
        if (at >= 0) hits.push({ label: n.label, encoding, file, offset: at });
      }
    }
  }
  return { files: files.length, bytes, hits };
}
