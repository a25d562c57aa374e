/**
 * The embedded sandbox provider: so that `npm start` runs the whole payment flow with nothing
 * external. It plays both sides of a provider: a payment page on the host (pay, cancel, fail,
 * or pay with the notification lost — to watch reconciliation) and signed notifications to
 * the host's notify endpoint, like a real provider. No money moves; never enable it for a
 * live tenant.
 *
 * Notifications: JSON, signed with HMAC-SHA256 over "<unix time>.<body>" in the header
 * `x-sandbox-signature: t=<unix time>,v1=<hex>`; older than five minutes is refused, and each
 * carries a notification id that counts once.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { NotificationRejected, type IncomingNotification, type PaymentProvider, type PaymentStart, type ProviderResult } from './provider.js';

export const SANDBOX = 'sandbox';
const MAX_AGE_SECONDS = 300;

type Outcome = 'paid' | 'cancelled' | 'failed' | 'lost';

interface SandboxTransaction extends PaymentStart {
  reference: string;
  state: ProviderResult['state'];
}

/** Where the sandbox keeps its transactions and its key: the database every host shares. */
export interface SandboxStorage {
  sharedSecret(name: string, make: () => string): Promise<string>;
  saveSandboxTransaction(reference: string, state: string, data: Record<string, unknown>): Promise<void>;
  sandboxTransaction(reference: string): Promise<{ state: string; data: Record<string, unknown> } | undefined>;
}

export class SandboxProvider implements PaymentProvider {
  readonly id = SANDBOX;
  private secretValue?: Promise<string>;

  constructor(
    /** Signs notifications: OZG_SANDBOX_SECRET, else one made once and shared by every host through the database. */
    private readonly configuredSecret: string | undefined,
    /** Where the payment page is served: the host's own base URL. */
    private readonly pageBase: () => string,
    private readonly storage: SandboxStorage,
  ) {}

  private secret(): Promise<string> {
    return (this.secretValue ??= this.configuredSecret
      ? Promise.resolve(this.configuredSecret)
      : this.storage.sharedSecret('sandbox-signing-key', () => randomBytes(32).toString('hex')));
  }

  async start(request: PaymentStart) {
    // Unguessable: whoever knows a reference can decide that payment on the sandbox page.
    const reference = `SBX-${randomBytes(8).toString('hex').toUpperCase()}`;
    await this.storage.saveSandboxTransaction(reference, 'open', { ...request });
    return { redirectUrl: `${this.pageBase()}/sandbox-payment/${reference}`, providerRef: reference };
  }

  /** A transaction by its reference, whichever host started it. */
  async transaction(reference: string): Promise<Readonly<SandboxTransaction> | undefined> {
    const row = await this.storage.sandboxTransaction(reference);
    return row ? { ...(row.data as unknown as PaymentStart), reference, state: row.state as SandboxTransaction['state'] } : undefined;
  }

  /** The citizen chose on the sandbox page: notify the host (unless "lost"), answer where to send the citizen. */
  async decide(reference: string, outcome: Outcome): Promise<string | undefined> {
    const found = await this.transaction(reference);
    if (!found) return undefined;
    const tx = { ...found };
    if (tx.state === 'open') {
      tx.state = outcome === 'lost' ? 'paid' : outcome;
      await this.storage.saveSandboxTransaction(reference, tx.state, { ...tx });
    }
    if (outcome !== 'lost') {
      const body = JSON.stringify({
        notificationId: randomUUID(),
        reference,
        attemptId: tx.attemptId,
        amount: tx.amount,
        currency: tx.currency,
        result: tx.state,
      });
      // A notification that does not arrive is what reconciliation (the status query) is for.
      await fetch(tx.notifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-sandbox-signature': await this.sign(body) },
        body,
      }).catch(() => undefined);
    }
    return tx.returnUrl;
  }

  async sign(body: string, time = Math.floor(Date.now() / 1000)): Promise<string> {
    const mac = createHmac('sha256', await this.secret())
      .update(`${time}.${body}`)
      .digest('hex');
    return `t=${time},v1=${mac}`;
  }

  async verifyNotification(n: IncomingNotification): Promise<ProviderResult> {
    const header = String(n.headers['x-sandbox-signature'] ?? '');
    const match = /^t=(\d{1,12}),v1=([0-9a-f]{64})$/.exec(header);
    if (!match) throw new NotificationRejected('signature header missing or malformed');
    const time = Number(match[1]);
    const expected = createHmac('sha256', await this.secret())
      .update(`${time}.`)
      .update(n.body)
      .digest();
    if (!timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'))) throw new NotificationRejected('signature does not match');
    if (Math.abs(Date.now() / 1000 - time) > MAX_AGE_SECONDS) throw new NotificationRejected('notification too old (replayed?)');
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(n.body.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw new NotificationRejected('body is not JSON');
    }
    const { notificationId, reference, attemptId, amount, currency, result } = parsed;
    if (
      typeof notificationId !== 'string' ||
      typeof reference !== 'string' ||
      typeof attemptId !== 'string' ||
      typeof amount !== 'number' ||
      typeof currency !== 'string' ||
      (result !== 'paid' && result !== 'cancelled' && result !== 'failed')
    )
      throw new NotificationRejected('notification incomplete');
    return { attemptId, state: result, providerRef: reference, amount, currency, notificationId };
  }

  async status(attempt: { id: string; providerRef?: string }): Promise<ProviderResult> {
    const tx = attempt.providerRef ? await this.transaction(attempt.providerRef) : undefined;
    return {
      attemptId: attempt.id,
      state: tx?.state ?? 'open',
      ...(tx ? { providerRef: tx.reference, amount: tx.amount, currency: tx.currency } : {}),
    };
  }
}
