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

/** What an attempt changes in a delivery. */
export type DeliveryUpdate = Omit<Delivery, 'id' | 'submissionId' | 'target'>;

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
