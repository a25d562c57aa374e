/**
 * `ozg-forms-host backup <file>`: a consistent copy of the host's database while hosts run —
 * SQLite through `VACUUM INTO` (a read transaction: writers wait a moment, nothing is torn), and
 * PostgreSQL through `pg_dump` (custom format, for `pg_restore`). Never copy a live SQLite file.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sqlite from 'node-sqlite3-wasm';
import type { HostSettings } from './settings.js';

export function backup(settings: HostSettings, target: string): string {
  const file = resolve(target);
  if (existsSync(file)) throw new Error(`${file} exists: a backup never overwrites a file`);
  if (settings.databaseUrl) {
    const dump = spawnSync('pg_dump', ['--format=custom', `--file=${file}`, settings.databaseUrl], { encoding: 'utf8' });
    if (dump.error) throw new Error(`pg_dump could not run (${dump.error.message}): install PostgreSQL's client tools`);
    if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr.trim()}`);
  } else {
    const source = join(settings.dataDir, 'ozg-forms.sqlite');
    if (!existsSync(source)) throw new Error(`no database at ${source}`);
    const db = new sqlite.Database(source, { readOnly: true });
    try {
      db.run('VACUUM INTO ?', [file]);
    } finally {
      db.close();
    }
  }
  chmodSync(file, 0o600);
  return file;
}
