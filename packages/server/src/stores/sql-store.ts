/**
 * The Store on SQL, written once for both backings. A driver runs statements with `?`
 * placeholders; everything the store means — which tenant sees what, idempotency, the
 * outbox rows in the submission's transaction — is here, so the two cannot drift apart.
 */
import type { AttachmentMeta, Delivery, DeliveryState, NewSubmission, Store, StoredSubmission, SubmissionSummary } from '../store.js';

export type Statement = [sql: string, values: unknown[]];

export interface SqlDriver {
  readonly kind: Store['kind'];
  /** Column type for binary content. */
  readonly blobType: string;
  /** Column type for an auto-incrementing id. */
  readonly serialType: string;
  all<T>(sql: string, values?: unknown[]): Promise<T[]>;
  /**
   * Atomically: runs `first`; when it returns a row, runs `rest` too and commits; when it
   * returns none, changes nothing. Answers with that row.
   */
  insertIf<T>(first: Statement, rest: Statement[]): Promise<T | undefined>;
  close(): Promise<void>;
}

interface SubmissionRow {
  id: string;
  vorgangsnummer: string;
  tenant: string;
  service: string;
  idempotency_key: string;
  received_at: string;
  locale: string;
  schema_id: string | null;
  data: string;
  consent: string | null;
}

interface DeliveryRow {
  id: number | string;
  submission_id: string;
  target: string;
  state: DeliveryState;
  attempts: number | string;
  next_attempt_at: string;
  last_error: string | null;
  delivered_at: string | null;
  reference: string | null;
}

interface AttachmentRow {
  id: string;
  filename: string;
  mime_type: string;
  size: number | string;
  sha512: string;
  purpose: string;
}

const SCHEMA = (d: SqlDriver) => [
  `CREATE TABLE IF NOT EXISTS submissions (
    id TEXT PRIMARY KEY,
    vorgangsnummer TEXT NOT NULL UNIQUE,
    tenant TEXT NOT NULL,
    service TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    received_at TEXT NOT NULL,
    locale TEXT NOT NULL,
    schema_id TEXT,
    data TEXT NOT NULL,
    consent TEXT,
    UNIQUE (tenant, idempotency_key)
  )`,
  `CREATE INDEX IF NOT EXISTS submissions_by_tenant ON submissions (tenant, received_at)`,
  `CREATE TABLE IF NOT EXISTS attachments (
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    filename TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha512 TEXT NOT NULL,
    purpose TEXT NOT NULL,
    content ${d.blobType} NOT NULL,
    PRIMARY KEY (submission_id, id)
  )`,
  `CREATE TABLE IF NOT EXISTS deliveries (
    id ${d.serialType} PRIMARY KEY,
    submission_id TEXT NOT NULL REFERENCES submissions (id),
    target TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    delivered_at TEXT,
    reference TEXT,
    UNIQUE (submission_id, target)
  )`,
  `CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_attempt_at)`,
];

const toDelivery = (r: DeliveryRow): Delivery => ({
  id: Number(r.id),
  submissionId: r.submission_id,
  target: r.target,
  state: r.state,
  attempts: Number(r.attempts),
  nextAttemptAt: r.next_attempt_at,
  ...(r.last_error ? { lastError: r.last_error } : {}),
  ...(r.delivered_at ? { deliveredAt: r.delivered_at } : {}),
  ...(r.reference ? { reference: r.reference } : {}),
});

const toAttachment = (r: AttachmentRow): AttachmentMeta => ({
  id: r.id,
  filename: r.filename,
  mimeType: r.mime_type,
  size: Number(r.size),
  sha512: r.sha512,
  purpose: r.purpose,
});

const ATTACHMENT_COLUMNS = 'id, filename, mime_type, size, sha512, purpose';

export async function sqlStore(driver: SqlDriver, setUp: (statements: string[]) => Promise<void>): Promise<Store> {
  await setUp(SCHEMA(driver));
  const one = async <T>(sql: string, values: unknown[]) => (await driver.all<T>(sql, values))[0];
  const load = async (row: SubmissionRow | undefined): Promise<StoredSubmission | undefined> => {
    if (!row) return undefined;
    const attachments = await driver.all<AttachmentRow>(`SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE submission_id = ? ORDER BY position`, [
      row.id,
    ]);
    const details = (await driver.all<DeliveryRow>('SELECT * FROM deliveries WHERE submission_id = ? ORDER BY id', [row.id])).map(toDelivery);
    return {
      id: row.id,
      vorgangsnummer: row.vorgangsnummer,
      tenant: row.tenant,
      service: row.service,
      idempotencyKey: row.idempotency_key,
      receivedAt: row.received_at,
      locale: row.locale,
      ...(row.schema_id ? { schemaId: row.schema_id } : {}),
      data: JSON.parse(row.data) as unknown,
      ...(row.consent ? { consent: JSON.parse(row.consent) as StoredSubmission['consent'] } : {}),
      attachments: attachments.map(toAttachment),
      deliveries: Object.fromEntries(details.map((d) => [d.target, d.state])),
      deliveryDetails: details,
    };
  };

  const findByKey = async (tenant: string, key: string) =>
    (await one<{ vorgangsnummer: string }>('SELECT vorgangsnummer FROM submissions WHERE tenant = ? AND idempotency_key = ?', [tenant, key]))
      ?.vorgangsnummer;

  return {
    kind: driver.kind,
    async insert(s: NewSubmission) {
      const inserted = await driver.insertIf<{ vorgangsnummer: string }>(
        [
          `INSERT INTO submissions (id, vorgangsnummer, tenant, service, idempotency_key, received_at, locale, schema_id, data, consent)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, idempotency_key) DO NOTHING RETURNING vorgangsnummer`,
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
        ],
        [
          ...s.attachments.map((a, i): Statement => [
            'INSERT INTO attachments (submission_id, id, position, filename, mime_type, size, sha512, purpose, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [s.id, a.id, i, a.filename, a.mimeType, a.size, a.sha512, a.purpose, a.content],
          ]),
          ...s.deliveries.map((target): Statement => [
            'INSERT INTO deliveries (submission_id, target, state, attempts, next_attempt_at) VALUES (?, ?, ?, 0, ?)',
            [s.id, target, 'pending', s.receivedAt],
          ]),
        ],
      );
      if (inserted) return { created: true, vorgangsnummer: inserted.vorgangsnummer };
      // Another request with the same key was first: its answer is this one's.
      return { created: false, vorgangsnummer: (await findByKey(s.tenant, s.idempotencyKey))! };
    },
    findByKey,
    async list(tenant, { limit, before }) {
      const rows = await driver.all<{
        vorgangsnummer: string;
        service: string;
        received_at: string;
        target: string | null;
        state: DeliveryState | null;
      }>(
        `SELECT s.vorgangsnummer, s.service, s.received_at, d.target, d.state
         FROM submissions s LEFT JOIN deliveries d ON d.submission_id = s.id
         WHERE s.id IN (SELECT id FROM submissions WHERE tenant = ? AND received_at < ? ORDER BY received_at DESC LIMIT ?)
         ORDER BY s.received_at DESC, d.id`,
        [tenant, before ?? '9999', limit],
      );
      const out = new Map<string, SubmissionSummary>();
      for (const r of rows) {
        const summary = out.get(r.vorgangsnummer) ?? {
          vorgangsnummer: r.vorgangsnummer,
          service: r.service,
          receivedAt: r.received_at,
          deliveries: {},
        };
        if (r.target && r.state) summary.deliveries[r.target] = r.state;
        out.set(r.vorgangsnummer, summary);
      }
      return [...out.values()];
    },
    async get(tenant, vorgangsnummer) {
      return load(await one<SubmissionRow>('SELECT * FROM submissions WHERE tenant = ? AND vorgangsnummer = ?', [tenant, vorgangsnummer]));
    },
    async byId(id) {
      return load(await one<SubmissionRow>('SELECT * FROM submissions WHERE id = ?', [id]));
    },
    async attachment(tenant, vorgangsnummer, attachmentId) {
      const row = await one<AttachmentRow & { content: Uint8Array }>(
        `SELECT a.${ATTACHMENT_COLUMNS.split(', ').join(', a.')}, a.content FROM attachments a JOIN submissions s ON s.id = a.submission_id
         WHERE s.tenant = ? AND s.vorgangsnummer = ? AND a.id = ?`,
        [tenant, vorgangsnummer, attachmentId],
      );
      return row ? { ...toAttachment(row), content: Buffer.from(row.content) } : undefined;
    },
    async attachmentContent(submissionId, attachmentId) {
      const row = await one<{ content: Uint8Array }>('SELECT content FROM attachments WHERE submission_id = ? AND id = ?', [
        submissionId,
        attachmentId,
      ]);
      return row ? Buffer.from(row.content) : undefined;
    },
    async due(now, limit) {
      return (
        await driver.all<DeliveryRow>(
          "SELECT * FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
          [now, limit],
        )
      ).map(toDelivery);
    },
    async updateDelivery(id, u) {
      await driver.all(
        'UPDATE deliveries SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, delivered_at = ?, reference = ? WHERE id = ?',
        [u.state, u.attempts, u.nextAttemptAt, u.lastError ?? null, u.deliveredAt ?? null, u.reference ?? null, id],
      );
    },
    async ping() {
      await driver.all('SELECT 1');
    },
    close: () => driver.close(),
  };
}
