/**
 * The payment-provider adapter interface. An adapter knows one provider's protocol: how to
 * start a payment (and where to send the citizen), how to check a notification the provider
 * sends to the host, and — where the provider offers it — how to ask for a payment's state.
 * What counts as paid is decided only from a verified notification or a status answer, never
 * from the citizen's browser (which merely comes back).
 */

/** What the host asks a provider to collect. */
export interface PaymentStart {
  /** Our attempt id: the merchant transaction id the provider keeps and sends back. */
  attemptId: string;
  /** Cents. */
  amount: number;
  currency: string;
  /** Shown on the citizen's bank statement: Vorgangsnummer and service. */
  purpose: string;
  /** Where the provider notifies the host (server to server). */
  notifyUrl: string;
  /** Where the provider sends the citizen back (the host, which forwards to the municipal page). */
  returnUrl: string;
  locale: string;
}

/** The provider's verified word on an attempt. */
export interface ProviderResult {
  attemptId: string;
  /** `open`: not decided yet (the citizen is still on the provider's page). */
  state: 'open' | 'paid' | 'cancelled' | 'failed';
  /** The provider's transaction reference. */
  providerRef?: string;
  /** What the provider says was paid (cents); checked against the attempt. */
  amount?: number;
  currency?: string;
  /** Identifies this notification, so that a replay of it changes nothing. */
  notificationId?: string;
}

/** A notification as it arrived. */
export interface IncomingNotification {
  query: Record<string, string | undefined>;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body (signatures are over bytes, not over parsed JSON). */
  body: Buffer;
}

/** A notification that must not be believed: answered with 400 and logged. */
export class NotificationRejected extends Error {}

/** How the adapter wants the host to answer a notification it accepted. */
export interface NotificationReply {
  status: number;
  body?: string;
}

export interface PaymentProvider {
  readonly id: string;
  start(request: PaymentStart): Promise<{ redirectUrl: string; providerRef?: string }>;
  /** Checks the notification's signature (throws NotificationRejected) and reads it. */
  verifyNotification(notification: IncomingNotification): Promise<ProviderResult>;
  /** Asks the provider (server to server) for an attempt's state, where the protocol allows. */
  status?(attempt: { id: string; providerRef?: string }): Promise<ProviderResult>;
  /** The answer the provider expects for an accepted notification (default 200, empty). */
  acknowledge?: NotificationReply;
}
