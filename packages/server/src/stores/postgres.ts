/**
 * PostgreSQL, for when one machine's SQLite file is outgrown (DATABASE_URL). Same tables,
 * same contract; the idempotent insert relies on the (tenant, idempotency_key) constraint, so
 * two hosts behind a load balancer still store one record per application.
 */
import pg from 'pg';
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

export async function openPostgresStore(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const client = await pool.connect();
  try {
    // One host at a time creates the tables.
    await client.query('SELECT pg_advisory_lock(726354)');
    for (const sql of SCHEMA_SQL) await client.query(sql.replace('%BLOB%', 'BYTEA').replace('%SERIAL%', 'BIGSERIAL'));
    await client.query('SELECT pg_advisory_unlock(726354)');
  } finally {
    client.release();
  }
  const all = async <T>(sql: string, values: unknown[] = []) => (await pool.query(sql, values)).rows as T[];
  const one = async <T>(sql: string, values: unknown[] = []) => (await all<T>(sql, values))[0];
  const load = async (row: SubmissionRow | undefined) =>
    row
      ? toStored(
          row,
          await all<AttachmentRow>('SELECT id, filename, mime_type, size, sha512, purpose FROM attachments WHERE submission_id = $1 ORDER BY ctid', [
            row.id,
          ]),
          await all<DeliveryRow>('SELECT * FROM deliveries WHERE submission_id = $1 ORDER BY id', [row.id]),
        )
      : undefined;

  return {
    kind: 'postgres',
    async insert(s: NewSubmission) {
      const tx = await pool.connect();
      try {
        await tx.query('BEGIN');
        const inserted = await tx.query(
          `INSERT INTO submissions (id, vorgangsnummer, tenant, service, idempotency_key, received_at, locale, schema_id, data, consent)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (tenant, idempotency_key) DO NOTHING RETURNING vorgangsnummer`,
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
        if (inserted.rowCount === 0) {
          await tx.query('ROLLBACK');
          const existing = await one<{ vorgangsnummer: string }>(
            'SELECT vorgangsnummer FROM submissions WHERE tenant = $1 AND idempotency_key = $2',
            [s.tenant, s.idempotencyKey],
          );
          return { created: false, vorgangsnummer: existing!.vorgangsnummer };
        }
        for (const a of s.attachments)
          await tx.query(
            'INSERT INTO attachments (submission_id, id, filename, mime_type, size, sha512, purpose, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
            [s.id, a.id, a.filename, a.mimeType, a.size, a.sha512, a.purpose, a.content],
          );
        for (const target of s.deliveries)
          await tx.query('INSERT INTO deliveries (submission_id, target, state, attempts, next_attempt_at) VALUES ($1, $2, $3, 0, $4)', [
            s.id,
            target,
            'pending',
            s.receivedAt,
          ]);
        await tx.query('COMMIT');
        return { created: true, vorgangsnummer: s.vorgangsnummer };
      } catch (err) {
        await tx.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        tx.release();
      }
    },
    async findByKey(tenant, key) {
      return (
        await one<{ vorgangsnummer: string }>('SELECT vorgangsnummer FROM submissions WHERE tenant = $1 AND idempotency_key = $2', [tenant, key])
      )?.vorgangsnummer;
    },
    async list(tenant, { limit, before }) {
      return summaries(
        await all(
          `${SUMMARY_SQL} WHERE s.id IN (SELECT id FROM submissions WHERE tenant = $1 AND received_at < $2 ORDER BY received_at DESC LIMIT $3) ORDER BY s.received_at DESC, d.id`,
          [tenant, before ?? '9999', limit],
        ),
      );
    },
    async get(tenant, vorgangsnummer) {
      return load(await one<SubmissionRow>('SELECT * FROM submissions WHERE tenant = $1 AND vorgangsnummer = $2', [tenant, vorgangsnummer]));
    },
    async byId(id) {
      return load(await one<SubmissionRow>('SELECT * FROM submissions WHERE id = $1', [id]));
    },
    async attachment(tenant, vorgangsnummer, attachmentId) {
      const row = await one<AttachmentRow & { content: Buffer }>(
        'SELECT a.* FROM attachments a JOIN submissions s ON s.id = a.submission_id WHERE s.tenant = $1 AND s.vorgangsnummer = $2 AND a.id = $3',
        [tenant, vorgangsnummer, attachmentId],
      );
      return row ? { ...toAttachment(row), content: row.content } : undefined;
    },
    async attachmentContent(submissionId, attachmentId) {
      return (await one<{ content: Buffer }>('SELECT content FROM attachments WHERE submission_id = $1 AND id = $2', [submissionId, attachmentId]))
        ?.content;
    },
    async due(now, limit) {
      return (
        await all<DeliveryRow>("SELECT * FROM deliveries WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2", [
          now,
          limit,
        ])
      ).map(toDelivery);
    },
    async updateDelivery(id, u) {
      await pool.query(
        'UPDATE deliveries SET state = $1, attempts = $2, next_attempt_at = $3, last_error = $4, delivered_at = $5, reference = $6 WHERE id = $7',
        [u.state, u.attempts, u.nextAttemptAt, u.lastError ?? null, u.deliveredAt ?? null, u.reference ?? null, id],
      );
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
