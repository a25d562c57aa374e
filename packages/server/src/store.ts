/**
 * Where submissions, their attachments and their delivery state are kept. One contract, two
 * backings: SQLite (a local file, the embedded default) and PostgreSQL (DATABASE_URL). A
 * submission, its attachments and its outbox entries are written in one transaction, so an
 * acknowledged submission is never without its delivery (transactional outbox).
 */
import type { ConsentRecord } from '@ozg-forms/core';

export interface AttachmentMeta {
  id: string;
  filename: string;
  mimeType: string;
  size: number;
  /** SHA-512 (hex) of the content, as FIT-Connect metadata needs it. */
  sha512: string;
  /** What the citizen attached it as (the multipart field name), e.g. "nachweis". */
  purpose: string;
}

export interface NewAttachment extends AttachmentMeta {
  content: Buffer;
}

export interface NewSubmission {
  id: string;
  vorgangsnummer: string;
  tenant: string;
  service: string;
  idempotencyKey: string;
  receivedAt: string;
  locale: string;
  schemaId?: string;
  data: unknown;
  consent?: ConsentRecord;
  attachments: NewAttachment[];
  /** Outbox targets to create, e.g. ["authority", "mail"]. */
  deliveries: string[];
}

export interface SubmissionSummary {
  vorgangsnummer: string;
  service: string;
  receivedAt: string;
  /** Delivery state per target. */
  deliveries: Record<string, DeliveryState>;
}

export interface StoredSubmission extends SubmissionSummary {
  id: string;
  tenant: string;
  idempotencyKey: string;
  locale: string;
  schemaId?: string;
  data: unknown;
  consent?: ConsentRecord;
  attachments: AttachmentMeta[];
  deliveryDetails: Delivery[];
}

export type DeliveryState = 'pending' | 'delivered' | 'dead';

export interface Delivery {
  id: number;
  submissionId: string;
  target: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  deliveredAt?: string;
  /** What the receiver called it (e.g. the FIT-Connect submission id). */
  reference?: string;
}

export interface DeliveryUpdate {
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string;
  lastError?: string;
  deliveredAt?: string;
  reference?: string;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Stores a submission unless one with the same tenant and idempotency key exists; either
   * way answers with the stored one's Vorgangsnummer (`created` tells which).
   */
  insert(submission: NewSubmission): Promise<{ created: boolean; vorgangsnummer: string }>;
  /** The Vorgangsnummer already stored for this tenant and idempotency key. */
  findByKey(tenant: string, idempotencyKey: string): Promise<string | undefined>;
  list(tenant: string, options: { limit: number; before?: string }): Promise<SubmissionSummary[]>;
  get(tenant: string, vorgangsnummer: string): Promise<StoredSubmission | undefined>;
  attachment(tenant: string, vorgangsnummer: string, attachmentId: string): Promise<(AttachmentMeta & { content: Buffer }) | undefined>;
  /** The submission behind a delivery, whatever its tenant (for the outbox only). */
  byId(id: string): Promise<StoredSubmission | undefined>;
  attachmentContent(submissionId: string, attachmentId: string): Promise<Buffer | undefined>;
  /** Pending deliveries whose time has come, oldest first. */
  due(now: string, limit: number): Promise<Delivery[]>;
  updateDelivery(id: number, update: DeliveryUpdate): Promise<void>;
  /** Cheap round trip for the readiness probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Rows as both backings return them (snake_case columns). */
export interface SubmissionRow {
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

export interface DeliveryRow {
  id: number;
  submission_id: string;
  target: string;
  state: DeliveryState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  delivered_at: string | null;
  reference: string | null;
}

export interface AttachmentRow {
  id: string;
  filename: string;
  mime_type: string;
  size: number | string;
  sha512: string;
  purpose: string;
}

export const toDelivery = (r: DeliveryRow): Delivery => ({
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

export const toAttachment = (r: AttachmentRow): AttachmentMeta => ({
  id: r.id,
  filename: r.filename,
  mimeType: r.mime_type,
  size: Number(r.size),
  sha512: r.sha512,
  purpose: r.purpose,
});

export function toStored(row: SubmissionRow, attachments: AttachmentRow[], deliveries: DeliveryRow[]): StoredSubmission {
  const details = deliveries.map(toDelivery);
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
    ...(row.consent ? { consent: JSON.parse(row.consent) as ConsentRecord } : {}),
    attachments: attachments.map(toAttachment),
    deliveries: Object.fromEntries(details.map((d) => [d.target, d.state])),
    deliveryDetails: details,
  };
}

/** The tables, in SQL both SQLite and PostgreSQL accept. */
export const SCHEMA_SQL = [
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
    filename TEXT NOT NULL,
    mime_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha512 TEXT NOT NULL,
    purpose TEXT NOT NULL,
    content %BLOB% NOT NULL,
    PRIMARY KEY (submission_id, id)
  )`,
  `CREATE TABLE IF NOT EXISTS deliveries (
    id %SERIAL% PRIMARY KEY,
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

export const SUMMARY_SQL = `SELECT s.vorgangsnummer, s.service, s.received_at, d.target, d.state
  FROM submissions s LEFT JOIN deliveries d ON d.submission_id = s.id`;

export function summaries(
  rows: Array<{ vorgangsnummer: string; service: string; received_at: string; target: string | null; state: DeliveryState | null }>,
): SubmissionSummary[] {
  const out = new Map<string, SubmissionSummary>();
  for (const r of rows) {
    const s = out.get(r.vorgangsnummer) ?? { vorgangsnummer: r.vorgangsnummer, service: r.service, receivedAt: r.received_at, deliveries: {} };
    if (r.target && r.state) s.deliveries[r.target] = r.state;
    out.set(r.vorgangsnummer, s);
  }
  return [...out.values()];
}
