/**
 * One application's life in the browser, from the first answer to the receipt, as one state
 * machine both `<ozg-antrag>` and `<ozg-payment>` render: its idempotency key, its draft, the
 * citizen's consent, sending it, every answer the host gives (201/200 receipt, 202 stored to be
 * paid, 402/409/422/429/503 refusals), the payment's state and its retry, and resuming after
 * the round trip to a payment provider.
 *
 * Framework-free and DOM-free: the host is reached through an injected `send` (the browser's
 * `fetch`), drafts through a {@link DraftStore}, the provider's page through `navigate`. The
 * phases carry their own data, so a receipt exists only once received and a payment state only
 * once the host reported one:
 *
 *   offered ──continue/restart──▶ editing ──submit──▶ sending ─┬─▶ received
 *      ▲                            ▲  ▲                       ├─▶ failed ──submit──▶ sending
 *   start()                         │  └──── invalid (422) ◀───┤
 *                                   │                          └─▶ payable ──pay──▶ redirecting ──(provider, back)──▶ start()
 *                                   └──────────── restart ◀────────── payable ──check──▶ sending
 */
import type { Draft, DraftStore } from './draft.js';
import { isObject } from './json-pointer.js';
import type { Locale, MessageKey, MessageParams } from './messages.js';
import { hostMessage, isReceipt, newIdempotencyKey } from './submission.js';
import type { ConsentRecord, PaymentChoice, PaymentStatus, SubmissionPayload, SubmissionReceipt } from './submission.js';
import type { ValidationIssue } from './validator.js';

/** A text for the citizen: a message of the catalogs (the element words it, with the tenant's overrides) or the host's own words. */
export type Notice = { key: MessageKey; params?: MessageParams } | { text: string };

export type Phase =
  /** A draft of this application was found in the browser; the citizen chooses to continue or start anew. */
  | { name: 'offered'; draft: Draft }
  /** Answering; `problem` says why the last payment choice could not be sent (none chosen). */
  | { name: 'editing'; problem?: Notice }
  /** Waiting for the host; `payment` is the stored application's last known state while its payment is asked about. */
  | { name: 'sending'; payment?: PaymentStatus }
  /** The host could not be reached or refused; sending again uses the same key. */
  | { name: 'failed'; reason: Notice }
  /** Stored by the host, to be paid; `problem`: why the last payment action did not work. */
  | { name: 'payable'; payment: PaymentStatus; problem?: Notice }
  /** On the way to the payment provider's page. */
  | { name: 'redirecting'; payment: PaymentStatus }
  | { name: 'received'; receipt: SubmissionReceipt };

/** What the host answered, as far as the application reads it (a `fetch` Response is one). */
export interface HostAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}

/** POSTs to the host: the browser's `fetch` in elements, any HTTP client elsewhere. `body` is a JSON string or multipart form data. */
export type Send = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: unknown }) => Promise<HostAnswer>;

/** A sign-in with a Nutzerkonto, as the host's code exchange answered it (POST /api/login/exchange). */
export interface SignIn {
  /** Sent as `Authorization: Bearer` with the application; bound to this tenant and service. */
  session: string;
  expiresAt: string;
  provider: string;
  level: string;
  /** Answers by JSON pointer, as the provider asserted them. */
  prefill: Record<string, unknown>;
  /** Pointers the citizen may not change (the host refuses another value). */
  readOnly: string[];
}

export type ApplicationEvent =
  | { type: 'phase'; phase: Phase }
  /** The host no longer knows the sign-in (expired, ended): the citizen is asked to sign in again; answers stay. */
  | { type: 'signed-out' }
  /** The host reported the state of the application's payment. */
  | { type: 'payment'; status: PaymentStatus }
  /** The host has the application (paid, where it has fees). */
  | { type: 'received'; receipt: SubmissionReceipt };

export interface ApplicationOptions {
  send: Send;
  /** Sends the browser to the payment provider's page. */
  navigate(url: string): void;
  /** Where drafts are kept; none: nothing is kept (an inline schema has no identity to keep it by). */
  drafts?: DraftStore;
  /** Public device: no draft is kept or offered, except the application being paid for (its round trip to the provider). */
  terminal?: boolean;
  /** What a draft holds besides the application's own data: the answers and where the citizen is. */
  snapshot(): Pick<Draft, 'data' | 'position'>;
  newKey?: () => string;
}

/** Where the application goes, and how. */
export interface Submission {
  /** The host's submissions endpoint (absolute URL). */
  endpoint: string;
  payload: Omit<SubmissionPayload, 'idempotencyKey' | 'consent'>;
  /** Multipart form data with the Nachweise, built from the payload; none: JSON. */
  multipart?: (payload: SubmissionPayload) => unknown;
}

/** The outcome of sending: the new phase, or the host's field errors (422) — the application is `editing` again. */
export type Outcome = Phase | { name: 'invalid'; issues: ValidationIssue[]; reason: Notice };

/** The host's payment actions sit beside its submissions endpoint: …/api/payments/status and …/retry. */
export function paymentActionUrl(submissionEndpoint: string, action: 'status' | 'retry'): string {
  return new URL(`payments/${action}`, submissionEndpoint).href;
}

const networkFailure = (err: unknown): Notice => ({ key: 'submit.failed', params: { reason: (err as Error)?.message || 'network error' } });

export class Application {
  private current: Phase = { name: 'editing' };
  private idempotencyKey: string;
  private agreed?: ConsentRecord;
  /** The citizen's sign-in for this application, if any. */
  signIn?: SignIn;
  /** On the way to an identity provider: the draft saved now is resumed on return. */
  private signingIn = false;
  private readonly listeners = new Set<(event: ApplicationEvent) => void>();

  constructor(private readonly options: ApplicationOptions) {
    this.idempotencyKey = (options.newKey ?? newIdempotencyKey)();
  }

  get phase(): Phase {
    return this.current;
  }

  /** Created once per application (kept in its draft): a retry is never a second application. */
  get key(): string {
    return this.idempotencyKey;
  }

  get consent(): ConsentRecord | undefined {
    return this.agreed;
  }

  /** The host's last word on the payment, once it stored the application to be paid for. */
  get payment(): PaymentStatus | undefined {
    const p = this.current;
    return p.name === 'payable' || p.name === 'redirecting' || (p.name === 'sending' && p.payment)
      ? p.payment
      : p.name === 'received'
        ? p.receipt.payment
        : undefined;
  }

  get busy(): boolean {
    return this.current.name === 'sending' || this.current.name === 'redirecting';
  }

  /** Whether sending needs paying first: the host stored it to be paid, or the fees are above zero. */
  paymentDue(total: number | undefined): boolean {
    return !!this.payment || (total ?? 0) > 0;
  }

  on(listener: (event: ApplicationEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ApplicationEvent) {
    for (const listener of this.listeners) listener(event);
  }

  private enter(phase: Phase): Phase {
    this.current = phase;
    this.emit({ type: 'phase', phase });
    return phase;
  }

  /**
   * Looks for a draft: one the citizen left is offered (phase `offered`); one left on the way to a
   * payment provider is resumed at once and returned — restore its answers, then {@link checkPayment}.
   */
  start(): Draft | undefined {
    const draft = this.options.drafts?.load();
    if (draft?.payment || draft?.signingIn) {
      // A public device kept it for the round trip only.
      if (this.options.terminal && !draft.payment) this.options.drafts?.clear();
      this.adopt(draft);
      this.enter({ name: 'editing' });
      return draft;
    }
    if (draft && !this.options.terminal) this.enter({ name: 'offered', draft });
    else this.enter({ name: 'editing' });
    return undefined;
  }

  /** The citizen continues the offered draft: its key and consent are this application's again. Returns it to restore the answers. */
  continueDraft(): Draft | undefined {
    if (this.current.name !== 'offered') return undefined;
    const { draft } = this.current;
    this.adopt(draft);
    this.enter({ name: 'editing' });
    return draft;
  }

  /** Starts anew: the draft is gone, the next sending is a new application. */
  restart() {
    this.options.drafts?.clear();
    this.idempotencyKey = (this.options.newKey ?? newIdempotencyKey)();
    this.agreed = undefined;
    this.enter({ name: 'editing' });
  }

  private adopt(draft: Draft) {
    this.idempotencyKey = draft.idempotencyKey;
    this.agreed = draft.consent;
  }

  /**
   * Leaves for an identity provider: the answers are kept (also on a public device, for this
   * round trip only) and come back at once on return, without an offer to continue.
   */
  leaveForSignIn(url: string) {
    this.signingIn = true;
    this.save();
    this.options.navigate(url);
  }

  agree(consent: ConsentRecord) {
    this.agreed = consent;
    this.save();
  }

  /**
   * Keeps the answers in the browser. Not while a draft is still offered (it would overwrite it),
   * not after the host has it, and on a public device only on the way to a payment provider.
   * Returns whether the draft could be kept.
   */
  save(): boolean {
    const drafts = this.options.drafts;
    const phase = this.current.name;
    if (!drafts || phase === 'offered' || phase === 'received') return false;
    const payment = this.payment;
    if (this.options.terminal && !payment && !this.signingIn) return false;
    return drafts.save({
      ...this.options.snapshot(),
      idempotencyKey: this.idempotencyKey,
      ...(this.agreed ? { consent: this.agreed } : {}),
      ...(payment ? { payment: true as const } : {}),
      ...(this.signingIn ? { signingIn: true as const } : {}),
    });
  }

  /** Whether this application keeps drafts the citizen can save on purpose (not on a public device). */
  get keepsDrafts(): boolean {
    return !!this.options.drafts && !this.options.terminal;
  }

  /** The citizen acted on the problem shown (chose a provider): it is no longer shown. */
  dismiss() {
    const p = this.current;
    if ((p.name === 'editing' || p.name === 'payable') && p.problem) {
      const { problem: _, ...rest } = p;
      this.enter(rest);
    }
  }

  /** No payment provider chosen: the citizen is asked to choose one (nothing is sent). */
  needsChoice() {
    this.enter(
      this.payment
        ? { name: 'payable', payment: this.payment, problem: { key: 'payment.chooseProvider' } }
        : { name: 'editing', problem: { key: 'payment.chooseProvider' } },
    );
  }

  /**
   * Sends the application. Never twice at once (a second call while sending does nothing), and a
   * retry reuses the key, so the host answers it with the same Vorgangsnummer.
   */
  async submit(submission: Submission): Promise<Outcome> {
    if (this.busy) return this.current;
    const payment = this.payment;
    this.enter({ name: 'sending', ...(payment ? { payment } : {}) });
    const payload: SubmissionPayload = {
      ...submission.payload,
      ...(this.agreed ? { consent: this.agreed } : {}),
      idempotencyKey: this.idempotencyKey,
    };
    const locale = payload.locale;
    let answer: HostAnswer;
    let body: unknown;
    try {
      const multipart = submission.multipart?.(payload);
      answer = await this.options.send(submission.endpoint, {
        method: 'POST',
        headers: {
          ...(multipart ? {} : { 'content-type': 'application/json' }),
          accept: 'application/json',
          'idempotency-key': this.idempotencyKey,
          ...(this.signIn ? { authorization: `Bearer ${this.signIn.session}` } : {}),
        },
        body: multipart ?? JSON.stringify(payload),
      });
      body = await answer.json().catch(() => undefined);
    } catch (err) {
      return this.fail(networkFailure(err));
    }
    // Field errors go to their fields; answers the form never asked for have no field: the host's message says which.
    if (answer.status === 422 && isObject(body) && body.error !== 'undefined-answers' && Array.isArray(body.errors) && body.errors.length > 0) {
      this.enter({ name: 'editing' });
      this.save();
      return { name: 'invalid', issues: body.errors as ValidationIssue[], reason: this.refusal(body, answer.status, locale) };
    }
    if (answer.status === 429)
      return this.fail({ key: 'submit.tooManyRequests', params: { seconds: Math.max(1, Number(answer.headers.get('retry-after')) || 60) } });
    if (answer.status === 503 && isObject(body) && body.error === 'scanner-unavailable') return this.fail({ key: 'submit.scannerUnavailable' });
    // The host does not know the sign-in (any more): sign in again; every answer stays.
    if (answer.status === 401 && isObject(body) && (body.error === 'login-expired' || body.error === 'login-required')) {
      this.signIn = undefined;
      this.emit({ type: 'signed-out' });
      return this.fail(this.refusal(body, answer.status, locale));
    }
    if (!answer.ok || !isReceipt(body)) return this.fail(this.refusal(body, answer.status, locale));
    if (body.payment) return this.takePayment(body.payment, true);
    return this.receive(body);
  }

  /** After a cancelled or failed payment: a new attempt with the provider chosen now. */
  retryPayment(tenant: string, endpoint: string, choice: PaymentChoice, locale: Locale): Promise<Phase> {
    return this.ask(paymentActionUrl(endpoint, 'retry'), { tenant, idempotencyKey: this.idempotencyKey, ...choice }, locale, true);
  }

  /** Asks the host how the payment went (after coming back from the provider, or when the citizen asks). */
  checkPayment(tenant: string, endpoint: string, locale: Locale): Promise<Phase> {
    return this.ask(paymentActionUrl(endpoint, 'status'), { tenant, idempotencyKey: this.idempotencyKey }, locale, false);
  }

  private async ask(url: string, request: Record<string, string>, locale: Locale, navigate: boolean): Promise<Phase> {
    if (this.current.name === 'redirecting') return this.current;
    const known = this.payment;
    this.enter({ name: 'sending', ...(known ? { payment: known } : {}) });
    try {
      const answer = await this.options.send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(request),
      });
      const body: unknown = await answer.json().catch(() => undefined);
      const status = isObject(body) && isObject(body.payment) ? body.payment : body;
      if (answer.ok && isObject(status) && typeof status.state === 'string' && typeof status.vorgangsnummer === 'string')
        return this.takePayment(status as unknown as PaymentStatus, navigate);
      return this.paymentProblem(known, this.refusal(body, answer.status, locale));
    } catch (err) {
      return this.paymentProblem(known, networkFailure(err));
    }
  }

  private paymentProblem(known: PaymentStatus | undefined, problem: Notice): Phase {
    return this.enter(known ? { name: 'payable', payment: known, problem } : { name: 'failed', reason: problem });
  }

  /** The host's answer about the payment: on to the provider, the receipt, or the state shown on the payment step. */
  private takePayment(status: PaymentStatus, navigate: boolean): Phase {
    this.emit({ type: 'payment', status });
    if (status.state === 'paid') return this.receive({ vorgangsnummer: status.vorgangsnummer, payment: status });
    if (navigate && status.state === 'open' && status.redirectUrl) {
      const phase = this.enter({ name: 'redirecting', payment: status });
      this.save();
      this.options.navigate(status.redirectUrl);
      return phase;
    }
    const phase = this.enter({ name: 'payable', payment: status });
    this.save();
    return phase;
  }

  private receive(receipt: SubmissionReceipt): Phase {
    this.options.drafts?.clear();
    const phase = this.enter({ name: 'received', receipt });
    this.emit({ type: 'received', receipt });
    return phase;
  }

  private fail(reason: Notice): Phase {
    const phase = this.enter({ name: 'failed', reason });
    this.save();
    return phase;
  }

  /** The host's refusal in the citizen's language, or the HTTP status. */
  private refusal(body: unknown, status: number, locale: Locale): Notice {
    const text = hostMessage(body, locale);
    return text ? { text } : { key: 'submit.rejected', params: { status } };
  }
}
