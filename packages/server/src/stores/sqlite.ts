/**
 * The embedded default store: one SQLite file (WebAssembly SQLite, no native build), rollback
 * journal with synchronous=EXTRA, so a committed transaction is on disk, journal deletion included,
 * before the host answers.
 * Statements run synchronously: nothing else runs between BEGIN and COMMIT. The host is the
 * only writer; a lock directory left by a crashed host is cleared at start once no live
 * process owns the data folder (see `claimDataDir`). ADR 6.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sqlite from 'node-sqlite3-wasm';
import type { Store } from '../store.js';
import { sqlStore, type SqlDriver } from './sql-store.js';

type SQLValue = string | number | null | Uint8Array;

/** Refuses to share a data folder with a live host; clears what a crashed one left. */
function claimDataDir(dir: string, dbFile: string) {
  const pidFile = join(dir, 'host.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    let alive = false;
    try {
      if (pid && pid !== process.pid) {
        process.kill(pid, 0);
        alive = true;
      }
    } catch {
      alive = false;
    }
    if (alive) throw new Error(`Another host (pid ${pid}) uses ${dir}. Stop it or set OZG_DATA_DIR to another folder.`);
  }
  writeFileSync(pidFile, String(process.pid));
  // SQLite's own hot journal rolls back an unfinished transaction when the file is opened.
  rmSync(`${dbFile}.lock`, { recursive: true, force: true });
  return () => rmSync(pidFile, { force: true });
}

/** Buffers bound as blobs (the package takes Uint8Array only). */
const bind = (values: unknown[]) => values.map((v) => (Buffer.isBuffer(v) ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : v)) as SQLValue[];

export async function openSqliteStore(dataDir: string): Promise<Store> {
  // Applications are personal data: only the host's own user reads the folder (and the journal
  // SQLite writes beside the file gets the host's umask, 077).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const file = join(dataDir, 'ozg-forms.sqlite');
  const release = claimDataDir(dataDir, file);
  const db = new sqlite.Database(file);
  chmodSync(file, 0o600);
  // Rollback journal with synchronous=EXTRA: besides the database file, the directory is synced
  // after the journal is deleted, so a commit the host acknowledged survives a power loss too
  // (FULL leaves the journal's unlink unsynced: after power loss a hot journal may roll it back).
  db.exec('PRAGMA journal_mode = DELETE; PRAGMA synchronous = EXTRA; PRAGMA foreign_keys = ON;');
  const all = <T>(sql: string, values: unknown[] = []) => db.all(sql, bind(values)) as unknown as T[];
  const driver: SqlDriver = {
    kind: 'sqlite',
    skipLocked: '',
    blobType: 'BLOB',
    serialType: 'INTEGER',
    all: async (sql, values) => all(sql, values),
    async insertIf<T>(first: [string, unknown[]], rest: Iterable<[string, unknown[]]>) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const row = all<T>(...first)[0];
        if (row) for (const statement of rest) all(...statement);
        db.exec(row ? 'COMMIT' : 'ROLLBACK');
        return row;
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
    },
    async close() {
      if (db.isOpen) db.close();
      release();
    },
  };
  return sqlStore(driver, (run) => run(async (sql, values) => all(sql, values)));
}
