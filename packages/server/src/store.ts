/**
 * Where submissions, their attachments and their delivery state are kept. One contract, two
 * backings: SQLite (a local file, the embedded default) and PostgreSQL (DATABASE_URL). A
 * submission, its attachments and its outbox entries are written in one transaction, so an
 * acknowledged submission is never without its delivery (transactional outbox).
 */
import type { ConsentRecord, FeeStatement } from '@ozg-forms/core';
import type { ConsoleStore } from './console/store.js';

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
  /** The content in pieces, read one at a time while the store writes them (never the whole file at once). */
  chunks(): Iterable<Buffer>;
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
  /** Fees to pay first: the deliveries wait ("held") until a payment for the total is confirmed. */
  fees?: FeeStatement;
  /** SHA-256 of the canonical payload: the same key with other answers is refused (409). */
  payloadHash: string;
  /** Who signed in for it (services with login): never the raw assertion or token. */
  authentication?: AuthenticationRecord;
}

/** A sign-in as stored with an application and delivered with it. */
export interface AuthenticationRecord {
  /** The identity provider's id in host.json. */
  provider: string;
  /** `saml` or `oidc`. */
  protocol: string;
  /** The level the provider asserted: niedrig | substanziell | hoch. */
  level: string;
  authenticatedAt: string;
  /** A pseudonym of the person, stable per provider and host (HMAC of the provider's subject), never the subject itself. */
  subject: string;
}

/** What an operator did, for the audit trail (never with the citizen's personal data). */
export type AuditAction =
  | 'list'
  | 'read'
  | 'download'
  | 'delete'
  | 'retry'
  | 'consent-text'
  | 'audit-read'
  // the console's (issue 20): `detail` says what changed
  | 'sign-in'
  | 'sign-in-failed'
  | 'draft-save'
  | 'draft-discard'
  | 'publish'
  | 'restore'
  | 'logo-upload'
  | 'user-invite'
  | 'user-delete'
  | 'import';

export interface AuditEntry {
  at: string;
  tenant: string;
  /** The operator token's label, never the token. */
  actor: string;
  action: AuditAction;
  vorgangsnummer?: string;
  /** E.g. the attachment id or delivery target. */
  detail?: string;
  /** The client's address as the host sees it (behind a trusted proxy: the forwarded one). */
  address?: string;
}

/** A consent text as the host served it, kept by its SHA-256 (the `textVersion` of consent records). */
export interface ConsentText {
  hash: string;
  tenant: string;
  service: string;
  locale: string;
  text: string;
  firstServedAt: string;
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
  /** For applications with fees. */
  payment?: { state: SubmissionPaymentState; fees: FeeStatement; attempts: PaymentAttempt[] };
  authentication?: AuthenticationRecord;
}

/** `held`: waits for the payment; released (pending) when the provider confirms it. */
export type DeliveryState = 'held' | 'pending' | 'delivered' | 'dead';

/** `open` until a provider confirms a payment; `paid` then. Absent: nothing to pay. */
export type SubmissionPaymentState = 'open' | 'paid';

/**
 * One try to pay (a submission may need several: cancelled, failed, another provider). Only the
 * provider's verified word moves it out of `open`; `abandoned`: a newer attempt replaced it.
 */
export type PaymentState = 'open' | 'paid' | 'cancelled' | 'failed' | 'abandoned';

export interface PaymentAttempt {
  /** Random, unguessable; the merchant transaction id the provider sees. */
  id: string;
  submissionId: string;
  provider: string;
  state: PaymentState;
  /** Cents. */
  amount: number;
  currency: string;
  /** The municipal page the citizen returns to. */
  returnUrl: string;
  /** The provider's payment page (to send a second click to the same place). */
  redirectUrl?: string;
  /** The provider's transaction reference: shown on the receipt. */
  providerRef?: string;
  createdAt: string;
  updatedAt: string;
  paidAt?: string;
  /** Paid although another attempt of the same application was paid before: to be refunded. */
  duplicate: boolean;
}

/** What the browser and the operator see of an application that needs payment. */
export interface PaymentRecord {
  submissionId: string;
  vorgangsnummer: string;
  tenant: string;
  service: string;
  idempotencyKey: string;
  locale: string;
  state: SubmissionPaymentState;
  fees: FeeStatement;
  attempts: PaymentAttempt[];
}

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
  /** How far a multi-step delivery got (FIT-Connect: the announced submission and attachment ids), to resume it. */
  progress?: Record<string, unknown>;
  /** What the authority made of it (FIT-Connect's event log), once it said. */
  outcome?: DeliveryOutcome;
  /** Why it was rejected, as the authority put it. */
  outcomeDetail?: string;
  outcomeAt?: string;
}

export type DeliveryOutcome = 'accepted' | 'rejected';

/** What an attempt changes in a delivery (`progress: null` forgets how far it got). */
export type DeliveryUpdate = Omit<Delivery, 'id' | 'submissionId' | 'target' | 'progress'> & { progress?: null };

export interface DeliveryCount {
  target: string;
  state: DeliveryState;
  count: number;
  /** The earliest due time among pending ones. */
  oldestPending?: string;
}

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Stores a submission unless one with the same tenant and idempotency key exists; either
   * way answers with the stored one's Vorgangsnummer (`created` tells which).
   */
  insert(submission: NewSubmission): Promise<{ created: boolean; vorgangsnummer: string; payloadHash?: string }>;
  /** The application already stored for this tenant and idempotency key (its payload hash: none for ones stored before migration 3). */
  findByKey(tenant: string, idempotencyKey: string): Promise<{ vorgangsnummer: string; payloadHash?: string } | undefined>;
  list(tenant: string, options: { limit: number; before?: string }): Promise<SubmissionSummary[]>;
  get(tenant: string, vorgangsnummer: string): Promise<StoredSubmission | undefined>;
  /** The application with this Vorgangsnummer, whatever its tenant (the citizen's status lookup: the code is the key). */
  byNumber(vorgangsnummer: string): Promise<StoredSubmission | undefined>;
  attachment(tenant: string, vorgangsnummer: string, attachmentId: string): Promise<(AttachmentMeta & { submissionId: string }) | undefined>;
  /** An attachment's content piece by piece (bounded memory for any size); nothing for an unknown one. */
  attachmentChunks(submissionId: string, attachmentId: string): AsyncIterable<Buffer>;
  /** The submission behind a delivery, whatever its tenant (for the outbox only). */
  byId(id: string): Promise<StoredSubmission | undefined>;
  attachmentContent(submissionId: string, attachmentId: string): Promise<Buffer | undefined>;
  /**
   * Claims pending deliveries whose time has come and that no host holds, for `owner` until
   * `leaseUntil` (PostgreSQL: FOR UPDATE SKIP LOCKED, so hosts never wait for or take each other's rows).
   */
  claimDue(now: string, limit: number, owner: string, leaseUntil: string): Promise<Delivery[]>;
  /** Extends the leases `owner` holds on these deliveries (while their delivery runs). */
  renewLeases(ids: number[], owner: string, leaseUntil: string): Promise<void>;
  /** Records how far a delivery got, while `owner` holds it. */
  saveProgress(id: number, owner: string, progress: Record<string, unknown>): Promise<void>;
  /**
   * Records an attempt's outcome and releases the lease. With `owner`, only while it still holds
   * the lease; answers whether the row changed.
   */
  updateDelivery(id: number, update: DeliveryUpdate, owner?: string): Promise<boolean>;
  /** A tenant's dead-lettered deliveries and those the authority rejected, oldest application first. */
  deadDeliveries(tenant: string, limit: number): Promise<Array<Delivery & { vorgangsnummer: string; service: string; receivedAt: string }>>;
  /** Delivered to `target` with no answer from the authority yet, not checked since `checkedBefore`, oldest first. */
  awaitingOutcome(target: string, checkedBefore: string, limit: number): Promise<Delivery[]>;
  /** The authority's answer (once: a later one does not overwrite it), or only that it was checked now. */
  recordOutcome(id: number, outcome: { outcome: DeliveryOutcome; detail?: string; at: string } | undefined, now: string): Promise<void>;
  /** Starts every dead delivery of a tenant again; answers how many. */
  retryDead(tenant: string, now: string): Promise<number>;
  /** Deliveries by target and state (for /metrics). */
  deliveryCounts(): Promise<DeliveryCount[]>;
  /** Whether `owner` may run the periodic job `name` now (a leased row: one host at a time across all). */
  claimJob(name: string, owner: string, now: string, leaseUntil: string): Promise<boolean>;
  /** Gives up the job leases `owner` holds (on a clean stop: the next host need not wait them out). */
  releaseJobs(owner: string, now: string): Promise<void>;
  /** A secret every host shares: made once (by whichever host asks first), then read. */
  sharedSecret(name: string, make: () => string): Promise<string>;
  /** Short-lived sign-in protocol state (OIDC state, SAML request id) shared by every host. */
  putLoginState(key: string, data: Record<string, unknown>, expiresAt: string): Promise<void>;
  loginState(key: string, now: string): Promise<Record<string, unknown> | undefined>;
  /** Reads and deletes at once: a state is used once, by one host. */
  takeLoginState(key: string, now: string): Promise<Record<string, unknown> | undefined>;
  /** A sign-in waiting for its one-time code to be exchanged (only hashes are stored). */
  createLoginSession(session: {
    id: string;
    codeHash: string;
    codeExpiresAt: string;
    data: Record<string, unknown>;
    expiresAt: string;
  }): Promise<void>;
  /** Exchanges a one-time code (once, before it expires) and binds the session to the token's hash. */
  redeemLoginCode(codeHash: string, tokenHash: string, now: string): Promise<{ data: Record<string, unknown>; expiresAt: string } | undefined>;
  loginSession(tokenHash: string, now: string): Promise<{ data: Record<string, unknown>; expiresAt: string } | undefined>;
  endLoginSession(tokenHash: string): Promise<boolean>;
  /** Forgets expired sign-in state and sessions; answers how many rows went. */
  deleteExpiredLogins(now: string): Promise<number>;
  saveSandboxTransaction(reference: string, state: string, data: Record<string, unknown>): Promise<void>;
  sandboxTransaction(reference: string): Promise<{ state: string; data: Record<string, unknown> } | undefined>;
  /** The payment side of the application with this tenant and idempotency key (none without fees). */
  paymentRecord(tenant: string, idempotencyKey: string): Promise<PaymentRecord | undefined>;
  /** An attempt by its id, with its application's tenant. */
  paymentAttempt(id: string): Promise<(PaymentAttempt & { tenant: string }) | undefined>;
  addPaymentAttempt(attempt: PaymentAttempt): Promise<void>;
  /** Changes an attempt while it is open (afterwards only `confirmPayment` moves it). */
  updatePaymentAttempt(id: string, change: Partial<Pick<PaymentAttempt, 'state' | 'redirectUrl' | 'providerRef'>>): Promise<void>;
  /**
   * The provider confirmed the attempt: in one transaction it is marked paid, the application
   * too, and its held deliveries are released. An application already paid by another attempt
   * stays as it is and this attempt is marked `duplicate` (to be refunded). `changed`: whether
   * anything changed (false for a confirmation seen before).
   */
  confirmPayment(id: string, providerRef: string | undefined, now: string): Promise<{ changed: boolean; duplicate: boolean }>;
  /**
   * Remembers a provider's notification id; false when it was seen before (a replay).
   */
  rememberNotification(provider: string, notificationId: string, now: string): Promise<boolean>;
  /**
   * Deletes applications never paid for: payment still open, received before `before`, no attempt
   * open at a provider — with their attachments, deliveries and attempts. Answers with their
   * Vorgangsnummern (for the log).
   */
  deleteUnpaid(before: string, limit: number): Promise<string[]>;
  /**
   * Deletes a tenant's applications whose every delivery was confirmed before `deliveredBefore`,
   * with attachments, deliveries and attempts. Answers with their Vorgangsnummern.
   */
  deleteDelivered(tenant: string, deliveredBefore: string, limit: number): Promise<string[]>;
  /** Deletes one application at once (operator API); false when there is none. */
  deleteOne(tenant: string, vorgangsnummer: string): Promise<boolean>;
  rememberConsentText(text: Omit<ConsentText, 'firstServedAt'>): Promise<void>;
  consentText(tenant: string, hash: string): Promise<ConsentText | undefined>;
  audit(entry: AuditEntry): Promise<void>;
  auditLog(tenant: string, options: { limit: number; before?: string }): Promise<AuditEntry[]>;
  /** Open attempts created before `before`, oldest first (for reconciliation with the provider). */
  openAttempts(before: string, limit: number): Promise<Array<PaymentAttempt & { tenant: string }>>;
  /** The self-service console's tables: tenant layers and their versions, drafts, logos, staff accounts. */
  readonly console: ConsoleStore;
  /** Cheap round trip for the readiness probe. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
