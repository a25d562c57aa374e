/**
 * The embedded default store: one SQLite file (WebAssembly SQLite, no native build), rollback
 * journal with synchronous=FULL, so a committed transaction is on disk before the host answers.
 * The host is the only writer; a lock directory left by a crashed host is cleared at start
 * once no live process owns the data folder (see `claimDataDir`).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sqlite from 'node-sqlite3-wasm';
import {
  SCHEMA_SQL,
  SUMMARY_SQL,
  summaries,
  toAttachment,
  toDelivery,
  toStored,
  type AttachmentRow,
  type DeliveryRow,
  type NewSubmission,
  type Store,
  type SubmissionRow,
} from '../store.js';

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

export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'ozg-forms.sqlite');
  const release = claimDataDir(dataDir, file);
  const db = new sqlite.Database(file);
  db.exec('PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;');
  for (const sql of SCHEMA_SQL) db.exec(sql.replace('%BLOB%', 'BLOB').replace('%SERIAL%', 'INTEGER'));

  const all = <T>(sql: string, values: SQLValue[] = []) => db.all(sql, values) as unknown as T[];
  const one = <T>(sql: string, values: SQLValue[] = []) => (db.get(sql, values) as unknown as T | null) ?? undefined;
  const load = (row: SubmissionRow | undefined) =>
    row
      ? toStored(
          row,
          all<AttachmentRow>('SELECT id, filename, mime_type, size, sha512, purpose FROM attachments WHERE submission_id = ? ORDER BY rowid', [
            row.id,
          ]),
          all<DeliveryRow>('SELECT * FROM deliveries WHERE submission_id = ? ORDER BY id', [row.id]),
        )
      : undefined;

  return {
    kind: 'sqlite',
    async insert(s: NewSubmission) {
      // Synchronous from BEGIN to COMMIT: no other request runs in between.
      const existing = one<{ vorgangsnummer: string }>('SELECT vorgangsnummer FROM submissions WHERE tenant = ? AND idempotency_key = ?', [
        s.tenant,
        s.idempotencyKey,
      ]);
      if (existing) return { created: false, vorgangsnummer: existing.vorgangsnummer };
      db.exec('BEGIN IMMEDIATE');
      try {
        db.run(
          'INSERT INTO submissions (id, vorgangsnummer, tenant, service, idempotency_key, received_at, locale, schema_id, data, consent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [
            s.id,
            s.vorgangsnummer,
            s.tenant,
            s.service,
            s.idempotencyKey,
            s.receivedAt,
            s.locale,
            s.schemaId ?? null,
            JSON.stringify(s.data),
            s.consent ? JSON.stringify(s.consent) : null,
          ],
        );
        for (const a of s.attachments)
          db.run('INSERT INTO attachments (submission_id, id, filename, mime_type, size, sha512, purpose, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
            s.id,
            a.id,
            a.filename,
            a.mimeType,
            a.size,
            a.sha512,
            a.purpose,
            new Uint8Array(a.content.buffer, a.content.byteOffset, a.content.byteLength),
          ]);
        for (const target of s.deliveries)
          db.run('INSERT INTO deliveries (submission_id, target, state, attempts, next_attempt_at) VALUES (?, ?, ?, 0, ?)', [
            s.id,
            target,
            'pending',
            s.receivedAt,
          ]);
        db.exec('COMMIT');
      } catch (err) {
        db.exec('ROLLBACK');
        throw err;
      }
      return { created: true, vorgangsnummer: s.vorgangsnummer };
    },
    async findByKey(tenant, key) {
      return one<{ vorgangsnummer: string }>('SELECT vorgangsnummer FROM submissions WHERE tenant = ? AND idempotency_key = ?', [tenant, key])
        ?.vorgangsnummer;
    },
    async list(tenant, { limit, before }) {
      const rows = all<Parameters<typeof summaries>[0][number]>(
        `${SUMMARY_SQL} WHERE s.id IN (SELECT id FROM submissions WHERE tenant = ? AND received_at < ? ORDER BY received_at DESC LIMIT ?) ORDER BY s.received_at DESC, d.id`,
        [tenant, before ?? '9999', limit],
      );
      return summaries(rows);
    },
    async get(tenant, vorgangsnummer) {
      return load(one<SubmissionRow>('SELECT * FROM submissions WHERE tenant = ? AND vorgangsnummer = ?', [tenant, vorgangsnummer]));
    },
    async byId(id) {
      return load(one<SubmissionRow>('SELECT * FROM submissions WHERE id = ?', [id]));
    },
    async attachment(tenant, vorgangsnummer, attachmentId) {
      const row = one<AttachmentRow & { content: Uint8Array }>(
        'SELECT a.* FROM attachments a JOIN submissions s ON s.id = a.submission_id WHERE s.tenant = ? AND s.vorgangsnummer = ? AND a.id = ?',
        [tenant, vorgangsnummer, attachmentId],
      );
      return row ? { ...toAttachment(row), content: Buffer.from(row.content) } : undefined;
    },
    async attachmentContent(submissionId, attachmentId) {
      const row = one<{ content: Uint8Array }>('SELECT content FROM attachments WHERE submission_id = ? AND id = ?', [submissionId, attachmentId]);
      return row ? Buffer.from(row.content) : undefined;
    },
    async due(now, limit) {
      return all<DeliveryRow>("SELECT * FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?", [
        now,
        limit,
      ]).map(toDelivery);
    },
    async updateDelivery(id, u) {
      db.run('UPDATE deliveries SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, delivered_at = ?, reference = ? WHERE id = ?', [
        u.state,
        u.attempts,
        u.nextAttemptAt,
        u.lastError ?? null,
        u.deliveredAt ?? null,
        u.reference ?? null,
        id,
      ]);
    },
    async ping() {
      db.get('SELECT 1');
    },
    async close() {
      if (db.isOpen) db.close();
      release();
    },
  };
}
