// Reads the dev server's local storage (wrangler's --persist-to directory)
// directly, to prove what the API says: which rows and blobs of a user exist.
// Miniflare keeps each D1 database and each KV namespace in a SQLite file
// under <state>/v3/; D1's holds our tables, KV's an `_mf_entries` table whose
// `key` column holds the KV keys (values live in separate blob files).

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** Every *.sqlite file under `dir`, recursively. */
function sqliteFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sqliteFiles(p));
    else if (e.name.endsWith('.sqlite')) out.push(p);
  }
  return out;
}

const quote = (name) => `"${name.replaceAll('"', '""')}"`;

/**
 * Counts what belongs to `userId` in the local state: D1 rows of every table
 * with a `user_id` column, rows of tables whose foreign key points at such a
 * row (one level: codes of a grant, credentials of a token, versions of a
 * key), the `users` row itself, rows of any user left pointing at a deleted
 * parent, and KV entries under `blob/<userId>/`. Tables are discovered, not
 * listed, so a table added later is covered too.
 * @param {string} stateDir the --persist-to directory
 * @param {string} userId
 * @returns {{rows: number, blobs: number, where: Record<string, number>}}
 */
export function userRowsAndBlobs(stateDir, userId) {
  const where = {};
  let rows = 0;
  let blobs = 0;
  for (const file of sqliteFiles(join(stateDir, 'v3'))) {
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all().map((t) => t.name);
      if (tables.includes('_mf_entries')) {
        const n = db.prepare('SELECT count(*) AS n FROM _mf_entries WHERE key LIKE ?').get(`blob/${userId}/%`).n;
        if (n) where[`kv:${file}`] = n;
        blobs += n;
        continue;
      }
      const owned = new Set(tables.filter((t) => db.prepare(`PRAGMA table_info(${quote(t)})`).all().some((c) => c.name === 'user_id')));
      for (const t of tables) {
        let n = 0;
        if (t === 'users') {
          n = db.prepare('SELECT count(*) AS n FROM users WHERE id = ?').get(userId).n;
        } else if (owned.has(t)) {
          n = db.prepare(`SELECT count(*) AS n FROM ${quote(t)} WHERE user_id = ?`).get(userId).n;
        } else {
          for (const fk of db.prepare(`PRAGMA foreign_key_list(${quote(t)})`).all()) {
            if (!owned.has(fk.table) || !fk.to) continue;
            n += db.prepare(
              `SELECT count(*) AS n FROM ${quote(t)} c WHERE c.${quote(fk.from)} IN (SELECT p.${quote(fk.to)} FROM ${quote(fk.table)} p WHERE p.user_id = ?)`,
            ).get(userId).n;
          }
        }
        // Rows left pointing at a parent that no longer exists (anyone's):
        // a deletion that skipped a child table shows up here.
        for (const fk of db.prepare(`PRAGMA foreign_key_list(${quote(t)})`).all()) {
          if (!fk.to) continue;
          const orphans = db.prepare(
            `SELECT count(*) AS n FROM ${quote(t)} c WHERE c.${quote(fk.from)} IS NOT NULL AND c.${quote(fk.from)} NOT IN (SELECT p.${quote(fk.to)} FROM ${quote(fk.table)} p)`,
          ).get().n;
          if (orphans) where[`${t} (orphaned)`] = orphans;
          n += orphans;
        }
        if (n) where[t] = n;
        rows += n;
      }
    } finally {
      db.close();
    }
  }
  return { rows, blobs, where };
}
