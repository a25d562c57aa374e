/**
 * The Store on SQL, written once for both backings. A driver runs statements with `?`
 * placeholders; everything the store means — which tenant sees what, idempotency, the
 * outbox rows in the submission's transaction — is here, so the two cannot drift apart.
 */
import type { FeeStatement } from '@ozg-forms/core';
import type {
  AttachmentMeta,
  AuditAction,
  Delivery,
  DeliveryOutcome,
  DeliveryState,
  NewSubmission,
  PaymentAttempt,
  PaymentState,
  Store,
  StoredSubmission,
  SubmissionPaymentState,
  SubmissionSummary,
} from '../store.js';
import { consoleStore } from '../console/store.js';

export type Statement = [sql: string, values: unknown[]];

export interface SqlDriver {
  readonly kind: Store['kind'];
  /** Column type for binary content. */
  readonly blobType: string;
  /** Column type for an auto-incrementing id. */
  readonly serialType: string;
  all<T>(sql: string, values?: unknown[]): Promise<T[]>;
  /** What a row-claiming subquery adds so concurrent claimers skip each other's rows (" FOR UPDATE SKIP LOCKED"; SQLite has one writer). */
  readonly skipLocked: string;
  /**
   * Atomically: runs `first`; when it returns a row, runs `rest` too and commits; when it
   * returns none, changes nothing. Answers with that row.
   */
  insertIf<T>(first: Statement, rest: Iterable<Statement>): Promise<T | undefined>;
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
  payment_state: SubmissionPaymentState | null;
  fees: string | null;
  authentication: string | null;
}

interface PaymentRow {
  id: string;
  submission_id: string;
  provider: string;
  state: PaymentState;
  amount: number | string;
  currency: string;
  return_url: string;
  redirect_url: string | null;
  provider_ref: string | null;
  created_at: string;
  updated_at: string;
  paid_at: string | null;
  duplicate: number | string;
}

const toAttempt = (r: PaymentRow): PaymentAttempt => ({
  id: r.id,
  submissionId: r.submission_id,
  provider: r.provider,
  state: r.state,
  amount: Number(r.amount),
  currency: r.currency,
  returnUrl: r.return_url,
  ...(r.redirect_url ? { redirectUrl: r.redirect_url } : {}),
  ...(r.provider_ref ? { providerRef: r.provider_ref } : {}),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  ...(r.paid_at ? { paidAt: r.paid_at } : {}),
  duplicate: Number(r.duplicate) === 1,
});

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
  progress?: string | null;
  outcome?: string | null;
  outcome_detail?: string | null;
  outcome_at?: string | null;
}

interface AttachmentRow {
  id: string;
  filename: string;
  mime_type: string;
  size: number | string;
  sha512: string;
  purpose: string;
}

/**
 * The tables, as numbered migrations: each runs once per database, in order, in one
 * transaction with its number recorded in schema_version. Never edit a released migration;
 * add the next one. Migration 1 is written so that it also fits databases created before
 * migrations existed (CREATE … IF NOT EXISTS).
 */
const MIGRATIONS: Array<(d: SqlDriver) => string[]> = [
  (d) => [
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
  ],
  // 2: payments (issue 7). An application with fees keeps its payment state and fee statement;
  // each try to pay is an attempt; provider notifications are remembered against replays.
  () => [
    `ALTER TABLE submissions ADD COLUMN payment_state TEXT`,
    `ALTER TABLE submissions ADD COLUMN fees TEXT`,
    `CREATE TABLE payments (
      id TEXT PRIMARY KEY,
      submission_id TEXT NOT NULL REFERENCES submissions (id),
      provider TEXT NOT NULL,
      state TEXT NOT NULL,
      amount BIGINT NOT NULL,
      currency TEXT NOT NULL,
      return_url TEXT NOT NULL,
      redirect_url TEXT,
      provider_ref TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      paid_at TEXT,
      duplicate INTEGER NOT NULL DEFAULT 0
    )`,
    `CREATE INDEX payments_by_submission ON payments (submission_id, created_at)`,
    `CREATE INDEX payments_open ON payments (state, created_at)`,
    `CREATE TABLE payment_notifications (
      provider TEXT NOT NULL,
      notification_id TEXT NOT NULL,
      received_at TEXT NOT NULL,
      PRIMARY KEY (provider, notification_id)
    )`,
  ],
  // 3: integrity and accountability (issue 15). The hash of the canonical payload beside the
  // idempotency key; every consent text by its hash; the operators' audit trail.
  (d) => [
    `ALTER TABLE submissions ADD COLUMN payload_hash TEXT`,
    `CREATE TABLE consent_texts (
      hash TEXT PRIMARY KEY,
      tenant TEXT NOT NULL,
      service TEXT NOT NULL,
      locale TEXT NOT NULL,
      text TEXT NOT NULL,
      first_served_at TEXT NOT NULL
    )`,
    `CREATE TABLE audit_log (
      id ${d.serialType} PRIMARY KEY,
      at TEXT NOT NULL,
      tenant TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      vorgangsnummer TEXT,
      detail TEXT,
      address TEXT
    )`,
    `CREATE INDEX audit_by_tenant ON audit_log (tenant, at)`,
  ],
  // 4: many hosts on one database (issue 16). Deliveries are claimed with a lease (and keep how
  // far a multi-step delivery got); periodic jobs are leased rows; secrets every host must share
  // and the sandbox provider's transactions live here, not in one process.
  () => [
    `ALTER TABLE deliveries ADD COLUMN lease_owner TEXT`,
    `ALTER TABLE deliveries ADD COLUMN lease_until TEXT`,
    `ALTER TABLE deliveries ADD COLUMN progress TEXT`,
    `CREATE TABLE jobs (name TEXT PRIMARY KEY, owner TEXT, lease_until TEXT NOT NULL, last_run_at TEXT)`,
    `CREATE TABLE host_secrets (name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at TEXT NOT NULL)`,
    `CREATE TABLE sandbox_transactions (reference TEXT PRIMARY KEY, state TEXT NOT NULL, data TEXT NOT NULL, created_at TEXT NOT NULL)`,
  ],
  // 5: attachment content in pieces of 256 KiB (issue 16), written and read one piece at a time,
  // so no request and no download holds a whole file. Existing content moves into one piece.
  (d) => [
    `CREATE TABLE attachment_chunks (
      submission_id TEXT NOT NULL,
      attachment_id TEXT NOT NULL,
      seq INTEGER NOT NULL,
      bytes ${d.blobType} NOT NULL,
      PRIMARY KEY (submission_id, attachment_id, seq)
    )`,
    `INSERT INTO attachment_chunks (submission_id, attachment_id, seq, bytes) SELECT submission_id, id, 0, content FROM attachments WHERE length(content) > 0`,
    `UPDATE attachments SET content = CAST('' AS ${d.blobType})`,
  ],
  // 6: sign-in with a Nutzerkonto (issue 19). Short-lived protocol state (OIDC state/nonce/PKCE,
  // SAML request ids) shared by every host; sessions, found first by a one-time code's hash and
  // then by the session token's; each submission's authentication record.
  () => [
    `CREATE TABLE login_state (key TEXT PRIMARY KEY, data TEXT NOT NULL, expires_at TEXT NOT NULL)`,
    `CREATE TABLE login_sessions (
      id TEXT PRIMARY KEY,
      code_hash TEXT UNIQUE,
      code_expires_at TEXT,
      token_hash TEXT UNIQUE,
      data TEXT NOT NULL,
      expires_at TEXT NOT NULL
    )`,
    `ALTER TABLE submissions ADD COLUMN authentication TEXT`,
  ],
  // 7: the self-service console (issue 20). Tenant layers live here, every published version kept
  // (`seq` orders them across tenants: its maximum is the configuration's generation, which every
  // host polls); one draft per layer; uploaded logos by content hash; staff accounts and sessions
  // (hashes only). The audit trail is audit_log's.
  (d) => [
    `CREATE TABLE config_layers (
      seq ${d.serialType} PRIMARY KEY,
      tenant TEXT NOT NULL,
      version INTEGER NOT NULL,
      config TEXT NOT NULL,
      published_at TEXT NOT NULL,
      published_by TEXT NOT NULL,
      note TEXT,
      UNIQUE (tenant, version)
    )`,
    `CREATE TABLE config_drafts (
      tenant TEXT PRIMARY KEY,
      config TEXT NOT NULL,
      base_version INTEGER NOT NULL,
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL
    )`,
    `CREATE TABLE config_assets (hash TEXT PRIMARY KEY, mime_type TEXT NOT NULL, bytes ${d.blobType} NOT NULL, created_at TEXT NOT NULL)`,
    `CREATE TABLE console_users (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      role TEXT NOT NULL,
      tenants TEXT NOT NULL,
      password_hash TEXT,
      invitation_hash TEXT UNIQUE,
      invitation_expires_at TEXT,
      failed_attempts INTEGER NOT NULL DEFAULT 0,
      locked_until TEXT,
      oidc_subject TEXT UNIQUE,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL
    )`,
    `CREATE TABLE console_sessions (
      token_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES console_users (id),
      csrf TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    )`,
  ],
  // 8: the authority's answer to a delivery (issue 21): FIT-Connect's event log says whether the
  // authority accepted or rejected the application; `outcome_checked_at` paces the polling.
  () => [
    'ALTER TABLE deliveries ADD COLUMN outcome TEXT',
    'ALTER TABLE deliveries ADD COLUMN outcome_detail TEXT',
    'ALTER TABLE deliveries ADD COLUMN outcome_at TEXT',
    'ALTER TABLE deliveries ADD COLUMN outcome_checked_at TEXT',
  ],
];

/** Runs the migrations a database has not had yet. `exec` runs one statement (inside the driver's lock). */
async function migrate(driver: SqlDriver, exec: (sql: string, values?: unknown[]) => Promise<Array<Record<string, unknown>>>) {
  await exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const current = Number((await exec('SELECT MAX(version) AS v FROM schema_version'))[0]?.v ?? 0);
  for (let version = current + 1; version <= MIGRATIONS.length; version++) {
    await exec('BEGIN');
    try {
      for (const sql of MIGRATIONS[version - 1]!(driver)) await exec(sql);
      await exec('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)', [version, new Date().toISOString()]);
      await exec('COMMIT');
    } catch (err) {
      await exec('ROLLBACK');
      throw new Error(`database migration ${version} failed: ${(err as Error).message}`);
    }
  }
}

/** The newest migration: what a database has after `sqlStore` opened it. */
export const SCHEMA_VERSION = MIGRATIONS.length;

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
  ...(r.progress ? { progress: JSON.parse(r.progress) as Record<string, unknown> } : {}),
  ...(r.outcome ? { outcome: r.outcome as DeliveryOutcome } : {}),
  ...(r.outcome_detail ? { outcomeDetail: r.outcome_detail } : {}),
  ...(r.outcome_at ? { outcomeAt: r.outcome_at } : {}),
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
/** The legacy `attachments.content` column stays empty; the pieces hold the content (migration 5). */
const EMPTY = Buffer.alloc(0);

/** `setUp` gives `migrate` a way to run statements while no other host does (a lock where needed). */
export type SetUp = (run: (exec: (sql: string, values?: unknown[]) => Promise<Array<Record<string, unknown>>>) => Promise<void>) => Promise<void>;

export async function sqlStore(driver: SqlDriver, setUp: SetUp): Promise<Store> {
  await setUp((exec) => migrate(driver, exec));
  const one = async <T>(sql: string, values: unknown[]) => (await driver.all<T>(sql, values))[0];
  const load = async (row: SubmissionRow | undefined): Promise<StoredSubmission | undefined> => {
    if (!row) return undefined;
    const attachments = await driver.all<AttachmentRow>(`SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE submission_id = ? ORDER BY position`, [
      row.id,
    ]);
    const details = (await driver.all<DeliveryRow>('SELECT * FROM deliveries WHERE submission_id = ? ORDER BY id', [row.id])).map(toDelivery);
    const payment =
      row.payment_state && row.fees
        ? { state: row.payment_state, fees: JSON.parse(row.fees) as FeeStatement, attempts: await attemptsOf(row.id) }
        : undefined;
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
      ...(payment ? { payment } : {}),
      ...(row.authentication ? { authentication: JSON.parse(row.authentication) as StoredSubmission['authentication'] } : {}),
    };
  };
  /** One piece per query, in order: memory holds a piece, not the file. */
  async function* attachmentChunks(submissionId: string, attachmentId: string): AsyncGenerator<Buffer> {
    for (let seq = 0; ; seq++) {
      const row = await one<{ bytes: Uint8Array }>('SELECT bytes FROM attachment_chunks WHERE submission_id = ? AND attachment_id = ? AND seq = ?', [
        submissionId,
        attachmentId,
        seq,
      ]);
      if (!row) return;
      yield Buffer.from(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength);
    }
  }
  const attemptsOf = async (submissionId: string) =>
    (await driver.all<PaymentRow>('SELECT * FROM payments WHERE submission_id = ? ORDER BY created_at, id', [submissionId])).map(toAttempt);

  const findByKey = async (tenant: string, key: string) => {
    const row = await one<{ vorgangsnummer: string; payload_hash: string | null }>(
      'SELECT vorgangsnummer, payload_hash FROM submissions WHERE tenant = ? AND idempotency_key = ?',
      [tenant, key],
    );
    return row ? { vorgangsnummer: row.vorgangsnummer, ...(row.payload_hash ? { payloadHash: row.payload_hash } : {}) } : undefined;
  };
  const deleteSubmission = (id: string, guard: Statement) =>
    driver.insertIf<{ id: string }>(
      guard,
      ['payments', 'attachment_chunks', 'attachments', 'deliveries']
        .map((table): Statement => [`DELETE FROM ${table} WHERE submission_id = ?`, [id]])
        .concat([['DELETE FROM submissions WHERE id = ?', [id]]]),
    );

  return {
    kind: driver.kind,
    async insert(s: NewSubmission) {
      const inserted = await driver.insertIf<{ vorgangsnummer: string }>(
        [
          `INSERT INTO submissions (id, vorgangsnummer, tenant, service, idempotency_key, received_at, locale, schema_id, data, consent, payment_state, fees, payload_hash, authentication)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, idempotency_key) DO NOTHING RETURNING vorgangsnummer`,
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
            s.fees ? 'open' : null,
            s.fees ? JSON.stringify(s.fees) : null,
            s.payloadHash,
            s.authentication ? JSON.stringify(s.authentication) : null,
          ],
        ],
        (function* (): Generator<Statement> {
          for (const [i, a] of s.attachments.entries()) {
            yield [
              'INSERT INTO attachments (submission_id, id, position, filename, mime_type, size, sha512, purpose, content) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
              [s.id, a.id, i, a.filename, a.mimeType, a.size, a.sha512, a.purpose, EMPTY],
            ];
            // Read piece by piece while the transaction runs: one piece in memory at a time.
            let seq = 0;
            for (const bytes of a.chunks())
              yield ['INSERT INTO attachment_chunks (submission_id, attachment_id, seq, bytes) VALUES (?, ?, ?, ?)', [s.id, a.id, seq++, bytes]];
          }
          for (const target of s.deliveries)
            yield [
              'INSERT INTO deliveries (submission_id, target, state, attempts, next_attempt_at) VALUES (?, ?, ?, 0, ?)',
              [s.id, target, s.fees ? 'held' : 'pending', s.receivedAt],
            ];
        })(),
      );
      if (inserted) return { created: true, vorgangsnummer: inserted.vorgangsnummer };
      // Another request with the same key was first: its answer is this one's (if it sent the same).
      const first = (await findByKey(s.tenant, s.idempotencyKey))!;
      return { created: false, vorgangsnummer: first.vorgangsnummer, ...(first.payloadHash ? { payloadHash: first.payloadHash } : {}) };
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
    async byNumber(vorgangsnummer) {
      return load(await one<SubmissionRow>('SELECT * FROM submissions WHERE vorgangsnummer = ?', [vorgangsnummer]));
    },
    async get(tenant, vorgangsnummer) {
      return load(await one<SubmissionRow>('SELECT * FROM submissions WHERE tenant = ? AND vorgangsnummer = ?', [tenant, vorgangsnummer]));
    },
    async byId(id) {
      return load(await one<SubmissionRow>('SELECT * FROM submissions WHERE id = ?', [id]));
    },
    async attachment(tenant, vorgangsnummer, attachmentId) {
      const row = await one<AttachmentRow & { submission_id: string }>(
        `SELECT a.${ATTACHMENT_COLUMNS.split(', ').join(', a.')}, a.submission_id FROM attachments a JOIN submissions s ON s.id = a.submission_id
         WHERE s.tenant = ? AND s.vorgangsnummer = ? AND a.id = ?`,
        [tenant, vorgangsnummer, attachmentId],
      );
      return row ? { ...toAttachment(row), submissionId: row.submission_id } : undefined;
    },
    attachmentChunks,
    async attachmentContent(submissionId, attachmentId) {
      const known = await one<{ id: string }>('SELECT id FROM attachments WHERE submission_id = ? AND id = ?', [submissionId, attachmentId]);
      if (!known) return undefined;
      const pieces: Buffer[] = [];
      for await (const piece of attachmentChunks(submissionId, attachmentId)) pieces.push(piece);
      return Buffer.concat(pieces);
    },
    async claimDue(now, limit, owner, leaseUntil) {
      // One host per row: a row another host holds (its lease not run out) is skipped, not waited for.
      return (
        await driver.all<DeliveryRow>(
          `UPDATE deliveries SET lease_owner = ?, lease_until = ? WHERE id IN (
             SELECT id FROM deliveries WHERE state = 'pending' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?)
             ORDER BY next_attempt_at, id LIMIT ?${driver.skipLocked})
           RETURNING *`,
          [owner, leaseUntil, now, now, limit],
        )
      ).map(toDelivery);
    },
    async renewLeases(ids, owner, leaseUntil) {
      if (ids.length === 0) return;
      await driver.all(`UPDATE deliveries SET lease_until = ? WHERE lease_owner = ? AND id IN (${ids.map(() => '?').join(', ')})`, [
        leaseUntil,
        owner,
        ...ids,
      ]);
    },
    async saveProgress(id, owner, progress) {
      await driver.all('UPDATE deliveries SET progress = ? WHERE id = ? AND lease_owner = ?', [JSON.stringify(progress), id, owner]);
    },
    async updateDelivery(id, u, owner) {
      // With an owner: only while it still holds the lease (a host whose lease ran out and was taken over changes nothing).
      const rows = await driver.all<{ id: number | string }>(
        `UPDATE deliveries SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, delivered_at = ?, reference = ?,
           lease_owner = NULL, lease_until = NULL${u.progress === null ? ', progress = NULL' : ''}
         WHERE id = ?${owner ? ' AND lease_owner = ?' : ''} RETURNING id`,
        [u.state, u.attempts, u.nextAttemptAt, u.lastError ?? null, u.deliveredAt ?? null, u.reference ?? null, id, ...(owner ? [owner] : [])],
      );
      return rows.length > 0;
    },
    async deadDeliveries(tenant, limit) {
      const rows = await driver.all<DeliveryRow & { vorgangsnummer: string; service: string; received_at: string }>(
        `SELECT d.*, s.vorgangsnummer, s.service, s.received_at FROM deliveries d JOIN submissions s ON s.id = d.submission_id
         WHERE s.tenant = ? AND (d.state = 'dead' OR d.outcome = 'rejected') ORDER BY s.received_at LIMIT ?`,
        [tenant, limit],
      );
      return rows.map((r) => ({ ...toDelivery(r), vorgangsnummer: r.vorgangsnummer, service: r.service, receivedAt: r.received_at }));
    },
    async awaitingOutcome(target, checkedBefore, limit) {
      const rows = await driver.all<DeliveryRow>(
        `SELECT * FROM deliveries WHERE target = ? AND state = 'delivered' AND outcome IS NULL AND progress IS NOT NULL
           AND (outcome_checked_at IS NULL OR outcome_checked_at < ?) ORDER BY delivered_at LIMIT ?`,
        [target, checkedBefore, limit],
      );
      return rows.map(toDelivery);
    },
    async recordOutcome(id, outcome, now) {
      await driver.all(
        outcome
          ? 'UPDATE deliveries SET outcome = ?, outcome_detail = ?, outcome_at = ?, outcome_checked_at = ? WHERE id = ? AND outcome IS NULL'
          : 'UPDATE deliveries SET outcome_checked_at = ? WHERE id = ?',
        outcome ? [outcome.outcome, outcome.detail ?? null, outcome.at, now, id] : [now, id],
      );
    },
    async retryDead(tenant, now) {
      const rows = await driver.all<{ id: number | string }>(
        `UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, lease_owner = NULL, lease_until = NULL
         WHERE state = 'dead' AND submission_id IN (SELECT id FROM submissions WHERE tenant = ?) RETURNING id`,
        [now, tenant],
      );
      return rows.length;
    },
    async deliveryCounts() {
      const rows = await driver.all<{ target: string; state: DeliveryState; n: number | string; oldest: string | null }>(
        `SELECT target, state, COUNT(*) AS n, MIN(CASE WHEN state = 'pending' THEN next_attempt_at END) AS oldest
         FROM deliveries GROUP BY target, state`,
      );
      return rows.map((r) => ({ target: r.target, state: r.state, count: Number(r.n), ...(r.oldest ? { oldestPending: r.oldest } : {}) }));
    },
    async claimJob(name, owner, now, leaseUntil) {
      await driver.all('INSERT INTO jobs (name, owner, lease_until) VALUES (?, NULL, ?) ON CONFLICT (name) DO NOTHING', [name, now]);
      const rows = await driver.all<{ name: string }>(
        'UPDATE jobs SET owner = ?, lease_until = ?, last_run_at = ? WHERE name = ? AND (lease_until <= ? OR owner = ?) RETURNING name',
        [owner, leaseUntil, now, name, now, owner],
      );
      return rows.length > 0;
    },
    async releaseJobs(owner, now) {
      await driver.all('UPDATE jobs SET lease_until = ?, owner = NULL WHERE owner = ?', [now, owner]);
    },
    async sharedSecret(name, make) {
      await driver.all('INSERT INTO host_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [
        name,
        make(),
        new Date().toISOString(),
      ]);
      return (await one<{ value: string }>('SELECT value FROM host_secrets WHERE name = ?', [name]))!.value;
    },
    async putLoginState(key, data, expiresAt) {
      await driver.all('INSERT INTO login_state (key, data, expires_at) VALUES (?, ?, ?)', [key, JSON.stringify(data), expiresAt]);
    },
    async loginState(key, now) {
      const row = await one<{ data: string }>('SELECT data FROM login_state WHERE key = ? AND expires_at > ?', [key, now]);
      return row ? (JSON.parse(row.data) as Record<string, unknown>) : undefined;
    },
    async takeLoginState(key, now) {
      // One statement: of two hosts taking the same state, one gets it.
      const row = await one<{ data: string; expires_at: string }>('DELETE FROM login_state WHERE key = ? RETURNING data, expires_at', [key]);
      return row && row.expires_at > now ? (JSON.parse(row.data) as Record<string, unknown>) : undefined;
    },
    async createLoginSession(session) {
      await driver.all('INSERT INTO login_sessions (id, code_hash, code_expires_at, data, expires_at) VALUES (?, ?, ?, ?, ?)', [
        session.id,
        session.codeHash,
        session.codeExpiresAt,
        JSON.stringify(session.data),
        session.expiresAt,
      ]);
    },
    async redeemLoginCode(codeHash, tokenHash, now) {
      const row = await one<{ data: string; expires_at: string }>(
        `UPDATE login_sessions SET code_hash = NULL, code_expires_at = NULL, token_hash = ?
         WHERE code_hash = ? AND code_expires_at > ? AND token_hash IS NULL RETURNING data, expires_at`,
        [tokenHash, codeHash, now],
      );
      return row ? { data: JSON.parse(row.data) as Record<string, unknown>, expiresAt: row.expires_at } : undefined;
    },
    async loginSession(tokenHash, now) {
      const row = await one<{ data: string; expires_at: string }>(
        'SELECT data, expires_at FROM login_sessions WHERE token_hash = ? AND expires_at > ?',
        [tokenHash, now],
      );
      return row ? { data: JSON.parse(row.data) as Record<string, unknown>, expiresAt: row.expires_at } : undefined;
    },
    async endLoginSession(tokenHash) {
      const rows = await driver.all<{ id: string }>('DELETE FROM login_sessions WHERE token_hash = ? RETURNING id', [tokenHash]);
      return rows.length > 0;
    },
    async deleteExpiredLogins(now) {
      const state = await driver.all<{ key: string }>('DELETE FROM login_state WHERE expires_at <= ? RETURNING key', [now]);
      const sessions = await driver.all<{ id: string }>('DELETE FROM login_sessions WHERE expires_at <= ? RETURNING id', [now]);
      return state.length + sessions.length;
    },
    async saveSandboxTransaction(reference, state, data) {
      await driver.all(
        `INSERT INTO sandbox_transactions (reference, state, data, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (reference) DO UPDATE SET state = excluded.state`,
        [reference, state, JSON.stringify(data), new Date().toISOString()],
      );
    },
    async sandboxTransaction(reference) {
      const row = await one<{ state: string; data: string }>('SELECT state, data FROM sandbox_transactions WHERE reference = ?', [reference]);
      return row ? { state: row.state, data: JSON.parse(row.data) as Record<string, unknown> } : undefined;
    },
    async paymentRecord(tenant, idempotencyKey) {
      const row = await one<SubmissionRow>('SELECT * FROM submissions WHERE tenant = ? AND idempotency_key = ?', [tenant, idempotencyKey]);
      if (!row?.payment_state || !row.fees) return undefined;
      return {
        submissionId: row.id,
        vorgangsnummer: row.vorgangsnummer,
        tenant: row.tenant,
        service: row.service,
        idempotencyKey: row.idempotency_key,
        locale: row.locale,
        state: row.payment_state,
        fees: JSON.parse(row.fees) as FeeStatement,
        attempts: await attemptsOf(row.id),
      };
    },
    async paymentAttempt(id) {
      const row = await one<PaymentRow & { tenant: string }>(
        'SELECT p.*, s.tenant FROM payments p JOIN submissions s ON s.id = p.submission_id WHERE p.id = ?',
        [id],
      );
      return row ? { ...toAttempt(row), tenant: row.tenant } : undefined;
    },
    async addPaymentAttempt(a) {
      await driver.all(
        `INSERT INTO payments (id, submission_id, provider, state, amount, currency, return_url, redirect_url, provider_ref, created_at, updated_at, duplicate)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
        [
          a.id,
          a.submissionId,
          a.provider,
          a.state,
          a.amount,
          a.currency,
          a.returnUrl,
          a.redirectUrl ?? null,
          a.providerRef ?? null,
          a.createdAt,
          a.updatedAt,
        ],
      );
    },
    async updatePaymentAttempt(id, change) {
      const sets = Object.entries({ state: change.state, redirect_url: change.redirectUrl, provider_ref: change.providerRef }).filter(
        ([, v]) => v !== undefined,
      );
      // Only an open attempt changes: what the provider decided (paid, cancelled, failed) stays.
      await driver.all(`UPDATE payments SET ${sets.map(([k]) => `${k} = ?`).join(', ')}, updated_at = ? WHERE id = ? AND state = 'open'`, [
        ...sets.map(([, v]) => v),
        new Date().toISOString(),
        id,
      ]);
    },
    async confirmPayment(id, providerRef, now) {
      const confirmed = await driver.insertIf<{ submission_id: string }>(
        [
          `UPDATE payments SET state = 'paid', paid_at = ?, updated_at = ?, provider_ref = COALESCE(?, provider_ref)
           WHERE id = ? AND state <> 'paid' RETURNING submission_id`,
          [now, now, providerRef ?? null, id],
        ],
        [
          // Another attempt of the same application was paid first: this one is to be refunded.
          [
            `UPDATE payments SET duplicate = 1 WHERE id = ? AND EXISTS (
               SELECT 1 FROM submissions s WHERE s.id = payments.submission_id AND s.payment_state = 'paid')`,
            [id],
          ],
          [`UPDATE submissions SET payment_state = 'paid' WHERE id = (SELECT submission_id FROM payments WHERE id = ?)`, [id]],
          [
            `UPDATE deliveries SET state = 'pending', next_attempt_at = ? WHERE state = 'held'
             AND submission_id = (SELECT submission_id FROM payments WHERE id = ?)`,
            [now, id],
          ],
        ],
      );
      if (!confirmed) return { changed: false, duplicate: false };
      const row = await one<{ duplicate: number | string }>('SELECT duplicate FROM payments WHERE id = ?', [id]);
      return { changed: true, duplicate: Number(row?.duplicate) === 1 };
    },
    async rememberNotification(provider, notificationId, now) {
      const row = await driver.insertIf<{ provider: string }>(
        [
          `INSERT INTO payment_notifications (provider, notification_id, received_at) VALUES (?, ?, ?)
           ON CONFLICT (provider, notification_id) DO NOTHING RETURNING provider`,
          [provider, notificationId, now],
        ],
        [],
      );
      return !!row;
    },
    async deleteUnpaid(before, limit) {
      const candidates = await driver.all<{ id: string; vorgangsnummer: string }>(
        `SELECT id, vorgangsnummer FROM submissions s WHERE s.payment_state = 'open' AND s.received_at < ?
         AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.submission_id = s.id AND p.state IN ('open', 'paid')) LIMIT ?`,
        [before, limit],
      );
      const deleted: string[] = [];
      for (const c of candidates) {
        // Checked again inside the transaction: a payment may have started or been confirmed meanwhile.
        const gone = await deleteSubmission(c.id, [
          `UPDATE submissions SET payment_state = 'expired' WHERE id = ? AND payment_state = 'open'
           AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.submission_id = submissions.id AND p.state IN ('open', 'paid')) RETURNING id`,
          [c.id],
        ]);
        if (gone) deleted.push(c.vorgangsnummer);
      }
      return deleted;
    },
    async deleteDelivered(tenant, deliveredBefore, limit) {
      // Every delivery done, the last one confirmed before the cut-off (an application without
      // deliveries is pull-only: the operator deletes it once the authority fetched it).
      const candidates = await driver.all<{ id: string; vorgangsnummer: string }>(
        `SELECT s.id, s.vorgangsnummer FROM submissions s WHERE s.tenant = ?
         AND EXISTS (SELECT 1 FROM deliveries d WHERE d.submission_id = s.id)
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.submission_id = s.id AND (d.state <> 'delivered' OR d.delivered_at >= ?))
         LIMIT ?`,
        [tenant, deliveredBefore, limit],
      );
      const deleted: string[] = [];
      for (const c of candidates)
        if (
          await deleteSubmission(c.id, [
            `SELECT id FROM submissions WHERE id = ? AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.submission_id = submissions.id AND (d.state <> 'delivered' OR d.delivered_at >= ?))`,
            [c.id, deliveredBefore],
          ])
        )
          deleted.push(c.vorgangsnummer);
      return deleted;
    },
    async deleteOne(tenant, vorgangsnummer) {
      const row = await one<{ id: string }>('SELECT id FROM submissions WHERE tenant = ? AND vorgangsnummer = ?', [tenant, vorgangsnummer]);
      if (!row) return false;
      return !!(await deleteSubmission(row.id, ['SELECT id FROM submissions WHERE id = ?', [row.id]]));
    },
    async rememberConsentText(t) {
      await driver.all(
        `INSERT INTO consent_texts (hash, tenant, service, locale, text, first_served_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
        [t.hash, t.tenant, t.service, t.locale, t.text, new Date().toISOString()],
      );
    },
    async consentText(tenant, hash) {
      const row = await one<{ hash: string; tenant: string; service: string; locale: string; text: string; first_served_at: string }>(
        'SELECT * FROM consent_texts WHERE tenant = ? AND hash = ?',
        [tenant, hash],
      );
      return row
        ? { hash: row.hash, tenant: row.tenant, service: row.service, locale: row.locale, text: row.text, firstServedAt: row.first_served_at }
        : undefined;
    },
    async audit(entry) {
      await driver.all('INSERT INTO audit_log (at, tenant, actor, action, vorgangsnummer, detail, address) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        entry.at,
        entry.tenant,
        entry.actor,
        entry.action,
        entry.vorgangsnummer ?? null,
        entry.detail ?? null,
        entry.address ?? null,
      ]);
    },
    async auditLog(tenant, { limit, before }) {
      const rows = await driver.all<{
        id: number | string;
        at: string;
        actor: string;
        action: string;
        vorgangsnummer: string | null;
        detail: string | null;
        address: string | null;
      }>('SELECT * FROM audit_log WHERE tenant = ? AND at < ? ORDER BY at DESC, id DESC LIMIT ?', [tenant, before ?? '9999', limit]);
      return rows.map((r) => ({
        at: r.at,
        tenant,
        actor: r.actor,
        action: r.action as AuditAction,
        ...(r.vorgangsnummer ? { vorgangsnummer: r.vorgangsnummer } : {}),
        ...(r.detail ? { detail: r.detail } : {}),
        ...(r.address ? { address: r.address } : {}),
      }));
    },
    async openAttempts(before, limit) {
      const rows = await driver.all<PaymentRow & { tenant: string }>(
        `SELECT p.*, s.tenant FROM payments p JOIN submissions s ON s.id = p.submission_id
         WHERE p.state = 'open' AND p.created_at < ? ORDER BY p.created_at LIMIT ?`,
        [before, limit],
      );
      return rows.map((r) => ({ ...toAttempt(r), tenant: r.tenant }));
    },
    async ping() {
      await driver.all('SELECT 1');
    },
    console: consoleStore(driver),
    close: () => driver.close(),
  };
}
