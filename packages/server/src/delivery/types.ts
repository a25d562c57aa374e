import type { StoredSubmission } from '../store.js';

/** What a delivery adapter gets: the stored submission and a way to read attachment bytes. */
export interface DeliveryContext {
  submission: StoredSubmission;
  attachmentContent(id: string): Promise<Buffer>;
  /** Absolute URL of an attachment in the operator API (for receivers that fetch them). */
  attachmentUrl(id: string): string;
  /** The data schema's URI (its $id, or the host URL it is served at). */
  schemaUri: string;
  serviceTitle: string;
  tenantName: string;
  /** The tenant's area key (its own, else inherited): what FIT-Connect routes by. */
  area: { ars?: string; ags?: string };
  /** The application as PDF (made once per attempt, the same bytes every time). */
  applicationPdf(): Promise<Uint8Array>;
  /** The citizen's e-mail address for replies, when the form asks for one. */
  replyAddress?: string;
  /** The host's own base URL. */
  publicUrl: string;
  /** How far an earlier attempt of this delivery got (resumable deliveries), if anywhere. */
  progress?: Record<string, unknown>;
  /** Records how far this attempt got, before the next step: a retry resumes from there. */
  saveProgress(progress: Record<string, unknown>): Promise<void>;
  /** The delivery's stable id: the same on every attempt and every host (receivers deduplicate on it). */
  deliveryId: string;
}

/** A failed attempt the outbox should retry (or dead-letter after the last attempt). */
export class DeliveryError extends Error {
  constructor(
    message: string,
    /** false: retrying cannot help (e.g. the receiver refused the content); dead-letter at once. */
    readonly retryable = true,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Answers with the receiver's reference for the delivery, if it gives one. */
export type Deliver = (ctx: DeliveryContext) => Promise<string | undefined>;
