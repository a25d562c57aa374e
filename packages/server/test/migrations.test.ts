/**
 * Upgrading: a SQLite database written by a host from before migrations existed (the tables
 * as released with issue 6, written out here as they were) is taken over — its submissions
 * stay readable, the payment tables are added, and applications with fees can be stored.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sqlite from 'node-sqlite3-wasm';
import { demoToken, geburtsurkunde, newDataDir, operator, post, startHost } from './harness.js';

/** The schema of the first released host (no schema_version, no payments). */
const RELEASED_V1 = `
CREATE TABLE submissions (id TEXT PRIMARY KEY, vorgangsnummer TEXT NOT NULL UNIQUE, tenant TEXT NOT NULL, service TEXT NOT NULL,
  idempotency_key TEXT NOT NULL, received_at TEXT NOT NULL, locale TEXT NOT NULL, schema_id TEXT, data TEXT NOT NULL, consent TEXT,
  UNIQUE (tenant, idempotency_key));
CREATE INDEX submissions_by_tenant ON submissions (tenant, received_at);
CREATE TABLE attachments (submission_id TEXT NOT NULL REFERENCES submissions (id), id TEXT NOT NULL, position INTEGER NOT NULL,
  filename TEXT NOT NULL, mime_type TEXT NOT NULL, size BIGINT NOT NULL, sha512 TEXT NOT NULL, purpose TEXT NOT NULL,
  content BLOB NOT NULL, PRIMARY KEY (submission_id, id));
CREATE TABLE deliveries (id INTEGER PRIMARY KEY, submission_id TEXT NOT NULL REFERENCES submissions (id), target TEXT NOT NULL,
  state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL, last_error TEXT, delivered_at TEXT,
  reference TEXT, UNIQUE (submission_id, target));
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);
INSERT INTO submissions VALUES ('s1', 'OZG-2026-OLD0-0001', 'stadt-musterstadt', 'hundeanmeldung', 'old-key-0001',
  '2026-11-01T10:00:00.000Z', 'de', NULL, '{"hund":{"name":"Bello"}}', NULL);
INSERT INTO attachments VALUES ('s1', 'a1', 0, 'impfpass.pdf', 'application/pdf', 9, 'sha', 'nachweis', CAST('%PDF-old!' AS BLOB));
INSERT INTO deliveries (submission_id, target, state, attempts, next_attempt_at, delivered_at)
  VALUES ('s1', 'mail', 'delivered', 1, '2026-11-01T10:00:00.000Z', '2026-11-01T10:00:01.000Z');
`;

describe('database migrations', () => {
  it('takes over a database from before migrations: old submissions and their attachments stay, payments work', async () => {
    const dataDir = newDataDir();
    const db = new sqlite.Database(join(dataDir, 'ozg-forms.sqlite'));
    db.exec(RELEASED_V1);
    db.close();
    // Its delivery was confirmed long ago: kept here beyond the retention period to be read.
    const host = await startHost({ dataDir, env: { OZG_RETENTION_DAYS: '3650' } });
    try {
      const old = (await (await operator(host.base, 'stadt-musterstadt/submissions/OZG-2026-OLD0-0001', demoToken('stadt-musterstadt'))).json()) as {
        data: unknown;
        deliveries: Record<string, string>;
        payment?: unknown;
      };
      assert.deepEqual(old.data, { hund: { name: 'Bello' } });
      assert.deepEqual(old.deliveries, { mail: 'delivered' });
      assert.equal(old.payment, undefined);
      // Migration 5 moved the content into pieces: the download is the bytes stored before.
      const file = await operator(host.base, 'stadt-musterstadt/submissions/OZG-2026-OLD0-0001/attachments/a1', demoToken('stadt-musterstadt'));
      assert.equal(file.status, 200);
      assert.equal(await file.text(), '%PDF-old!');
      const paying = await post(
        host.base,
        geburtsurkunde({ idempotencyKey: 'after-upgrade-0001', payment: { provider: 'sandbox', returnUrl: `${host.base}/geburtsurkunde.html` } }),
      );
      assert.equal(paying.status, 202);
    } finally {
      await host.stop();
    }
    const after = new sqlite.Database(join(dataDir, 'ozg-forms.sqlite'));
    try {
      assert.deepEqual(
        after.all('SELECT version FROM schema_version ORDER BY version').map((r) => r.version),
        [1, 2, 3, 4, 5, 6, 7, 8],
      );
    } finally {
      after.close();
    }
  });
});
