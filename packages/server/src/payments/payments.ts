/**
 * The host's side of paying: which providers a tenant offers, starting attempts, believing
 * only verified provider notifications or status answers, and reconciling attempts whose
 * notification never came. An application with fees is stored when the citizen starts paying
 * (answers frozen, amount computed here, not taken from the browser); its deliveries are held
 * until a payment for exactly that amount is confirmed, then released in the same transaction.
 * One application is never charged twice: a new attempt first asks the provider about the open
 * one, and a second confirmed payment is marked for refund and logged.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { computeFees, localize, type FeeStatement, type LocalizedText, type PaymentStatus, type SchemaObject } from '@ozg-forms/core';
import type { Catalog, ServiceEntry, TenantEntry } from '../catalog.js';
import type { HostConfig } from '../host-config.js';
import type { PeriodicJobs } from '../jobs.js';
import type { PaymentAttempt, PaymentRecord, Store } from '../store.js';
import { GiroCheckoutProvider } from './girocheckout.js';
import { NotificationRejected, type IncomingNotification, type PaymentProvider, type ProviderResult } from './provider.js';
import { SandboxProvider, SANDBOX } from './sandbox.js';

/** An attempt open this long is given up by reconciliation. */
const GIVE_UP_MS = 24 * 60 * 60 * 1000;

export interface OfferedProvider {
  id: string;
  label: LocalizedText;
}

/** The fee statement the host charges for these answers (tenant overrides applied). */
export function feesFor(tenant: TenantEntry, service: ServiceEntry, data: unknown): FeeStatement {
  return computeFees(service.definition.fees, data, tenant.resolved.config.services?.[service.id]?.fees, service.schema as SchemaObject);
}

export class Payments {
  private readonly perTenant = new Map<string, Map<string, PaymentProvider>>();

  constructor(
    private readonly o: {
      store: Store;
      catalog: Catalog;
      hostConfig: HostConfig;
      log: FastifyBaseLogger;
      /** The host's public base URL (for notify and return addresses). */
      publicUrl: () => string;
      sandbox: SandboxProvider;
      /** Releases held deliveries to the outbox. */
      kick: () => void;
      reconcileIntervalMs: number;
      /** Applications never paid for are deleted after this long (0: kept). */
      unpaidRetentionMs: number;
    },
  ) {}

  /** The providers a tenant offers: listed in its configuration and contracted in host.json. */
  offered(tenant: TenantEntry): OfferedProvider[] {
    const contracts = this.o.hostConfig.tenants[tenant.id]?.payment ?? {};
    return (tenant.resolved.config.payment?.providers ?? []).filter((p) => p.id in contracts);
  }

  provider(tenantId: string, providerId: string): PaymentProvider | undefined {
    let map = this.perTenant.get(tenantId);
    if (!map) {
      map = new Map();
      const contracts = this.o.hostConfig.tenants[tenantId]?.payment ?? {};
      if (contracts.sandbox) map.set(SANDBOX, this.o.sandbox);
      if (contracts.girocheckout) map.set('girocheckout', new GiroCheckoutProvider(contracts.girocheckout));
      this.perTenant.set(tenantId, map);
    }
    return map.get(providerId);
  }

  /** Starts a new attempt for a stored application (the caller checked provider and return URL). */
  async startAttempt(record: PaymentRecord, providerId: string, returnUrl: string): Promise<PaymentStatus> {
    const provider = this.provider(record.tenant, providerId)!;
    const now = new Date().toISOString();
    const attempt: PaymentAttempt = {
      id: randomBytes(16).toString('base64url'),
      submissionId: record.submissionId,
      provider: providerId,
      state: 'open',
      amount: record.fees.total,
      currency: record.fees.currency,
      returnUrl,
      createdAt: now,
      updatedAt: now,
      duplicate: false,
    };
    await this.o.store.addPaymentAttempt(attempt);
    const base = this.o.publicUrl();
    const service = this.o.catalog.services.get(record.service);
    const title = (service && localize(service.definition.title, 'de')) ?? record.service;
    try {
      const started = await provider.start({
        attemptId: attempt.id,
        amount: attempt.amount,
        currency: attempt.currency,
        purpose: `${record.vorgangsnummer} ${title}`,
        notifyUrl: `${base}/api/payments/notify/${providerId}/${record.tenant}`,
        returnUrl: `${base}/api/payments/return/${attempt.id}`,
        locale: record.locale,
      });
      await this.o.store.updatePaymentAttempt(attempt.id, {
        redirectUrl: started.redirectUrl,
        ...(started.providerRef ? { providerRef: started.providerRef } : {}),
      });
      this.o.log.info({ vorgangsnummer: record.vorgangsnummer, provider: providerId, amount: attempt.amount }, 'payment started');
    } catch (err) {
      await this.o.store.updatePaymentAttempt(attempt.id, { state: 'failed' });
      this.o.log.warn({ vorgangsnummer: record.vorgangsnummer, provider: providerId, error: (err as Error).message }, 'payment start failed');
    }
    return this.statusOf((await this.o.store.paymentRecord(record.tenant, record.idempotencyKey))!);
  }

  /** The state as the browser sees it; open attempts are first asked about at the provider. */
  async status(tenant: string, idempotencyKey: string): Promise<PaymentStatus | undefined> {
    let record = await this.o.store.paymentRecord(tenant, idempotencyKey);
    if (!record) return undefined;
    if (record.state !== 'paid' && record.attempts.some((a) => a.state === 'open')) {
      for (const a of record.attempts.filter((x) => x.state === 'open')) await this.ask(a, tenant);
      record = (await this.o.store.paymentRecord(tenant, idempotencyKey))!;
    }
    return this.statusOf(record);
  }

  statusOf(record: PaymentRecord): PaymentStatus {
    const paid = record.attempts.find((a) => a.state === 'paid' && !a.duplicate);
    const latest = paid ?? record.attempts.at(-1);
    return {
      vorgangsnummer: record.vorgangsnummer,
      state: record.state === 'paid' ? 'paid' : (latest?.state ?? 'none'),
      currency: record.fees.currency,
      total: record.fees.total,
      lines: record.fees.lines,
      ...(latest ? { provider: latest.provider } : {}),
      ...(latest?.providerRef && record.state === 'paid' ? { reference: latest.providerRef } : {}),
      ...(latest?.state === 'open' && latest.redirectUrl ? { redirectUrl: latest.redirectUrl } : {}),
    };
  }

  /**
   * Another try (after a cancel or a failure, possibly with another provider). An open attempt
   * is first asked about: if it was paid after all, nothing new is started; otherwise it is
   * abandoned, so that it can no longer be mistaken for the current one.
   */
  async retry(record: PaymentRecord, providerId: string, returnUrl: string): Promise<PaymentStatus> {
    for (const a of record.attempts.filter((x) => x.state === 'open')) await this.ask(a, record.tenant);
    const fresh = (await this.o.store.paymentRecord(record.tenant, record.idempotencyKey))!;
    if (fresh.state === 'paid') return this.statusOf(fresh);
    for (const a of fresh.attempts.filter((x) => x.state === 'open')) await this.o.store.updatePaymentAttempt(a.id, { state: 'abandoned' });
    return this.startAttempt(fresh, providerId, returnUrl);
  }

  /** Asks the provider about an open attempt and applies the answer (errors are logged, not thrown). */
  private async ask(attempt: PaymentAttempt, tenant: string) {
    const provider = this.provider(tenant, attempt.provider);
    if (!provider?.status) return;
    try {
      await this.apply(attempt, await provider.status(attempt), 'status');
    } catch (err) {
      this.o.log.warn({ attempt: attempt.id, provider: attempt.provider, error: (err as Error).message }, 'payment status query failed');
    }
  }

  /** A verified provider result moves an attempt: paid (for exactly its amount), cancelled or failed. */
  private async apply(attempt: PaymentAttempt, result: ProviderResult, via: 'notification' | 'status') {
    if (result.attemptId !== attempt.id) throw new NotificationRejected('result for another attempt');
    if (result.state === 'paid') {
      if (
        (result.amount !== undefined && result.amount !== attempt.amount) ||
        (result.currency !== undefined && result.currency !== attempt.currency)
      )
        throw new NotificationRejected(`amount ${result.amount} ${result.currency} does not match ${attempt.amount} ${attempt.currency}`);
      const { changed, duplicate } = await this.o.store.confirmPayment(attempt.id, result.providerRef, new Date().toISOString());
      if (changed) {
        this.o.log.info({ attempt: attempt.id, provider: attempt.provider, via }, 'payment confirmed');
        if (duplicate)
          this.o.log.error(
            { attempt: attempt.id, provider: attempt.provider, reference: result.providerRef },
            'second payment for an application that was already paid: refund it (operator API shows duplicate: true)',
          );
        this.o.kick();
      }
    } else if ((result.state === 'cancelled' || result.state === 'failed') && attempt.state === 'open')
      await this.o.store.updatePaymentAttempt(attempt.id, {
        state: result.state,
        ...(result.providerRef ? { providerRef: result.providerRef } : {}),
      });
  }

  /**
   * A notification from a provider. Answers what the provider should get: its acknowledgement
   * once verified (a repeat of one seen before is acknowledged but changes nothing), 400 when
   * it cannot be believed, 409 for a replay the provider would never send.
   */
  async notify(tenant: string, providerId: string, n: IncomingNotification): Promise<{ status: number; body: string }> {
    const provider = this.provider(tenant, providerId);
    if (!provider) return { status: 404, body: 'unknown provider' };
    const ack = { status: provider.acknowledge?.status ?? 200, body: provider.acknowledge?.body ?? '' };
    try {
      const result = await provider.verifyNotification(n);
      const attempt = await this.o.store.paymentAttempt(result.attemptId);
      if (!attempt || attempt.tenant !== tenant || attempt.provider !== providerId) throw new NotificationRejected('unknown attempt');
      if (result.notificationId && !(await this.o.store.rememberNotification(providerId, result.notificationId, new Date().toISOString()))) {
        this.o.log.warn({ attempt: attempt.id, provider: providerId }, 'payment notification seen before: ignored');
        // GiroCheckout-style providers repeat until acknowledged; the sandbox never repeats.
        return provider.acknowledge ? ack : { status: 409, body: 'replayed' };
      }
      await this.apply(attempt, result, 'notification');
      return ack;
    } catch (err) {
      if (!(err instanceof NotificationRejected)) throw err;
      this.o.log.warn({ provider: providerId, tenant, reason: err.message }, 'payment notification rejected');
      return { status: 400, body: 'rejected' };
    }
  }

  /** The citizen came back from the provider: ask about the attempt, then answer where the municipal page is. */
  async returned(attemptId: string): Promise<string | undefined> {
    const attempt = await this.o.store.paymentAttempt(attemptId);
    if (!attempt) return undefined;
    if (attempt.state === 'open') await this.ask(attempt, attempt.tenant);
    return attempt.returnUrl;
  }

  /**
   * Asks providers about attempts open for longer than `olderThanMs` (notifications get lost).
   * An attempt still open after a day is given up (`abandoned`): the citizen left the provider's
   * page without deciding. A confirmation arriving later still counts.
   */
  async reconcile(olderThanMs = 60_000) {
    const now = Date.now();
    const open = await this.o.store.openAttempts(new Date(now - olderThanMs).toISOString(), 100);
    for (const attempt of open) {
      await this.ask(attempt, attempt.tenant);
      // Changes nothing if the provider's answer just moved it out of `open`.
      if (now - Date.parse(attempt.createdAt) > GIVE_UP_MS) await this.o.store.updatePaymentAttempt(attempt.id, { state: 'abandoned' });
    }
    // Personal data is kept no longer than needed: an application nobody paid for goes.
    if (this.o.unpaidRetentionMs > 0) {
      const deleted = await this.o.store.deleteUnpaid(new Date(now - this.o.unpaidRetentionMs).toISOString(), 100);
      for (const vorgangsnummer of deleted) this.o.log.info({ vorgangsnummer }, 'unpaid application deleted after the retention period');
    }
    return open.length;
  }

  /** Reconciliation (and deleting what nobody paid for), on one host at a time across all. */
  start(jobs: PeriodicJobs) {
    jobs.every('payment-reconciliation', this.o.reconcileIntervalMs, async () => {
      await this.reconcile(this.o.reconcileIntervalMs);
    });
  }
}
