/**
 * The outbox: works off the deliveries stored with each submission, on any number of hosts
 * sharing one database. Each host claims due rows with a lease (PostgreSQL: FOR UPDATE SKIP
 * LOCKED), renews the lease while a delivery runs, and releases it with the outcome; a host that
 * dies leaves its leases to run out, and another host takes the rows over. Claimed deliveries
 * run concurrently, so one slow authority does not hold up the others.
 *
 * A failed attempt is retried with exponential backoff and jitter, up to a ceiling between tries
 * (default 6 h); a delivery still failing after the give-up age (default 7 days, counted from the
 * application's receipt) or failing for a reason a retry cannot mend is dead-lettered: an error
 * log line, the metric, and the operator API's dead list with bulk retry.
 *
 * At least once, with a stable delivery id: a delivery is repeated only when a host died (or
 * lost its lease) after the receiver took it and before the outcome was stored.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { localize, SUPPORTED_LOCALES, type Locale } from '@ozg-forms/core';
import type { Catalog } from '../catalog.js';
import { deliveryTarget, retryPolicy, type HostConfig } from '../host-config.js';
import { confirmationAddress } from '../mail-address.js';
import type { Delivery, Store, StoredSubmission } from '../store.js';
import { submissionPdf, type LogoReader } from '../pdf/document.js';
import { areaOf, deliverFitConnect } from './fit-connect.js';
import type { Mailer } from './mail.js';
import { DeliveryError, type DeliveryContext } from './types.js';
import { deliverWebhook } from './webhook.js';

export interface OutboxOptions {
  store: Store;
  catalog: Catalog;
  hostConfig: HostConfig;
  mailer: Mailer;
  log: FastifyBaseLogger;
  /** The host's own base URL, for attachment links and schema URIs. */
  publicUrl: () => string;
  intervalMs: number;
  /** How long a claim holds before another host may take the delivery over. */
  leaseMs: number;
  /** Deliveries running at once on this host. */
  concurrency: number;
  /** Reads a tenant's logo for the application PDF. */
  logo?: LogoReader;
  /** Told about every outcome (for /metrics). */
  observe?: (outcome: { target: string; state: 'delivered' | 'pending' | 'dead' }) => void;
}

/** Where the confirmation e-mail goes: kept beside the submission when it is stored. */
export const MAIL_TARGET = 'mail';
export const AUTHORITY_TARGET = 'authority';

/** This process, as the owner of leases: unique across hosts and restarts. */
export const processOwner = () => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** The next delay: doubling from `backoffMs`, at most `maxDelayMs`, with ±20 % jitter so hosts do not retry in lockstep. */
export function backoffDelay(attempts: number, policy: { backoffMs: number; maxDelayMs: number }, random = Math.random()): number {
  const base = Math.min(policy.maxDelayMs, policy.backoffMs * 2 ** Math.min(40, attempts - 1));
  return Math.max(1, Math.round(base * (0.8 + 0.4 * random)));
}

export class Outbox {
  readonly owner = processOwner();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  /** Deliveries in flight on this host (their leases are renewed). */
  private readonly inFlight = new Set<number>();
  private renewer?: NodeJS.Timeout;

  constructor(private readonly o: OutboxOptions) {}

  start() {
    this.timer = setInterval(() => void this.kick(), this.o.intervalMs);
    this.timer.unref();
    this.renewer = setInterval(() => void this.renew(), Math.max(250, Math.floor(this.o.leaseMs / 3)));
    this.renewer.unref();
    void this.kick();
  }

  /** Runs now (or once more right after the current run). */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.runOnce()
      .catch((err: unknown) => this.o.log.error({ err }, 'outbox run failed'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          void this.kick();
        }
      });
    return this.running;
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    if (this.renewer) clearInterval(this.renewer);
  }

  private leaseUntil() {
    return new Date(Date.now() + this.o.leaseMs).toISOString();
  }

  private async renew() {
    if (this.inFlight.size === 0) return;
    await this.o.store.renewLeases([...this.inFlight], this.owner, this.leaseUntil()).catch((err: unknown) => {
      this.o.log.warn({ err }, 'could not renew delivery leases');
    });
  }

  private async runOnce() {
    const { concurrency } = this.o;
    const running = new Set<Promise<void>>();
    while (!this.stopped) {
      const free = concurrency - running.size;
      const claimed = free > 0 ? await this.o.store.claimDue(new Date().toISOString(), free, this.owner, this.leaseUntil()) : [];
      for (const d of claimed) {
        this.inFlight.add(d.id);
        // An attempt that fails outside its own handling (the database gone) leaves the row to its lease: logged, never unhandled.
        const p: Promise<void> = this.attempt(d)
          .catch((err: unknown) => this.o.log.error({ err, delivery: d.id }, 'delivery attempt could not be recorded'))
          .finally(() => {
            this.inFlight.delete(d.id);
            running.delete(p);
          });
        running.add(p);
      }
      if (running.size === 0) return;
      // Claim more as soon as one finishes (or when nothing more was due: wait for the running ones).
      await Promise.race(running);
    }
    await Promise.all(running);
  }

  private context(s: StoredSubmission, d: Delivery): DeliveryContext {
    const service = this.o.catalog.services.get(s.service);
    const tenant = this.o.catalog.tenants.get(s.tenant);
    const base = this.o.publicUrl();
    const schemaId = service?.schema.$id;
    const tenantName = tenant?.resolved.config.name;
    const locale: Locale = SUPPORTED_LOCALES.includes(s.locale as Locale) ? (s.locale as Locale) : 'de';
    let pdf: Promise<Uint8Array> | undefined;
    const replyAddress = confirmationAddress(service, s.data);
    return {
      area: areaOf(this.o.catalog, s.tenant),
      applicationPdf: () => (pdf ??= submissionPdf(s, this.o.catalog, this.o.logo)),
      ...(replyAddress ? { replyAddress } : {}),
      publicUrl: base,
      submission: s,
      attachmentContent: async (id) => {
        const content = await this.o.store.attachmentContent(s.id, id);
        if (!content) throw new DeliveryError(`attachment ${id} missing`, false);
        return content;
      },
      attachmentUrl: (id) => `${base}/api/operator/${s.tenant}/submissions/${s.vorgangsnummer}/attachments/${id}`,
      schemaUri: typeof schemaId === 'string' ? schemaId : `${base}/schemas/${service?.schemaFile.split('/').pop() ?? ''}`,
      serviceTitle: (service && localize(service.definition.title, locale)) ?? s.service,
      tenantName: typeof tenantName === 'string' ? tenantName : s.tenant,
      ...(d.progress ? { progress: d.progress } : {}),
      saveProgress: (progress) => this.o.store.saveProgress(d.id, this.owner, progress),
      deliveryId: d.target === AUTHORITY_TARGET ? s.vorgangsnummer : `${s.vorgangsnummer}/${d.target}`,
    };
  }

  private async attempt(d: Delivery) {
    const { store, hostConfig, log } = this.o;
    const attempts = d.attempts + 1;
    const submission = await store.byId(d.submissionId);
    const target = submission ? deliveryTarget(hostConfig, submission.tenant, submission.service) : undefined;
    const policy = retryPolicy(hostConfig, d.target === AUTHORITY_TARGET ? target : undefined);
    try {
      if (!submission) throw new DeliveryError('submission missing', false);
      const ctx = this.context(submission, d);
      let reference: string | undefined;
      if (d.target === MAIL_TARGET) {
        const to = confirmationAddress(this.o.catalog.services.get(submission.service), submission.data);
        if (!to) throw new DeliveryError('no e-mail address in the submission', false);
        reference = await this.o.mailer.send(to, ctx);
      } else {
        if (!target) throw new DeliveryError(`no receiving authority configured for ${submission.tenant}/${submission.service}`);
        reference = target.type === 'webhook' ? await deliverWebhook(target, ctx) : await deliverFitConnect(target, ctx);
      }
      const stored = await store.updateDelivery(
        d.id,
        { state: 'delivered', attempts, nextAttemptAt: d.nextAttemptAt, deliveredAt: new Date().toISOString(), ...(reference ? { reference } : {}) },
        this.owner,
      );
      if (!stored) log.warn({ delivery: d.id, target: d.target }, 'delivered, but the lease had passed to another host (it may deliver again)');
      log.info({ delivery: d.id, target: d.target, vorgangsnummer: submission.vorgangsnummer, attempts }, 'delivered');
      this.o.observe?.({ target: d.target, state: 'delivered' });
    } catch (err) {
      const retryable = !(err instanceof DeliveryError) || err.retryable;
      const age = submission ? Date.now() - Date.parse(submission.receivedAt) : Number.POSITIVE_INFINITY;
      const delay = backoffDelay(attempts, policy);
      const dead = !retryable || age + delay > policy.giveUpAfterMs || (policy.maxAttempts !== undefined && attempts >= policy.maxAttempts);
      const message = (err as Error).message;
      await store.updateDelivery(
        d.id,
        { state: dead ? 'dead' : 'pending', attempts, nextAttemptAt: new Date(Date.now() + delay).toISOString(), lastError: message },
        this.owner,
      );
      const line = {
        delivery: d.id,
        target: d.target,
        vorgangsnummer: submission?.vorgangsnummer,
        tenant: submission?.tenant,
        attempts,
        dead,
        error: message,
      };
      if (dead) log.error(line, 'delivery failed');
      else log.warn(line, 'delivery failed');
      this.o.observe?.({ target: d.target, state: dead ? 'dead' : 'pending' });
      // A retry due before the next regular run gets its own wake-up (a little after the due
      // time: timers may fire a millisecond early).
      if (!dead && delay < this.o.intervalMs) setTimeout(() => void this.kick(), delay + 5).unref();
    }
  }
}
