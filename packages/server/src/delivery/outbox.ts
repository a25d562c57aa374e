/**
 * The outbox: works off the deliveries stored with each submission. Each attempt that fails
 * is retried later (backoff doubling from `backoffMs`, at most one hour); after `maxAttempts`
 * the delivery is dead-lettered ("dead") and stays visible in the operator API, where it
 * can be started again. Runs every few seconds and right after each new submission.
 */
import type { FastifyBaseLogger } from 'fastify';
import { localize } from '@ozg-forms/core';
import type { Catalog } from '../catalog.js';
import { deliveryTarget, type HostConfig } from '../host-config.js';
import { confirmationAddress } from '../mail-address.js';
import type { Delivery, Store, StoredSubmission } from '../store.js';
import { deliverFitConnect } from './fit-connect.js';
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
}

/** Where the confirmation e-mail goes: kept beside the submission when it is stored. */
export const MAIL_TARGET = 'mail';
export const AUTHORITY_TARGET = 'authority';

export class Outbox {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;

  constructor(private readonly o: OutboxOptions) {}

  start() {
    this.timer = setInterval(() => this.kick(), this.o.intervalMs);
    this.timer.unref();
    this.kick();
  }

  /** Runs now (or once more right after the current run). */
  kick(): Promise<void> {
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
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async runOnce() {
    for (;;) {
      const due = await this.o.store.due(new Date().toISOString(), 20);
      if (due.length === 0) return;
      for (const d of due) await this.attempt(d);
    }
  }

  private context(s: StoredSubmission): DeliveryContext {
    const service = this.o.catalog.services.get(s.service);
    const tenant = this.o.catalog.tenants.get(s.tenant);
    const base = this.o.publicUrl();
    const schemaId = service?.schema.$id;
    const tenantName = tenant?.resolved.config.name;
    return {
      submission: s,
      attachmentContent: async (id) => {
        const content = await this.o.store.attachmentContent(s.id, id);
        if (!content) throw new DeliveryError(`attachment ${id} missing`, false);
        return content;
      },
      attachmentUrl: (id) => `${base}/api/operator/${s.tenant}/submissions/${s.vorgangsnummer}/attachments/${id}`,
      schemaUri: typeof schemaId === 'string' ? schemaId : `${base}/schemas/${service?.schemaFile.split('/').pop() ?? ''}`,
      serviceTitle: (service && localize(service.definition.title, s.locale === 'en' ? 'en' : 'de')) ?? s.service,
      tenantName: typeof tenantName === 'string' ? tenantName : s.tenant,
    };
  }

  private async attempt(d: Delivery) {
    const { store, hostConfig, log } = this.o;
    const attempts = d.attempts + 1;
    const submission = await store.byId(d.submissionId);
    try {
      if (!submission) throw new DeliveryError('submission missing', false);
      const ctx = this.context(submission);
      let reference: string | undefined;
      if (d.target === MAIL_TARGET) {
        const to = confirmationAddress(this.o.catalog.services.get(submission.service), submission.data);
        if (!to) throw new DeliveryError('no e-mail address in the submission', false);
        reference = await this.o.mailer.send(to, ctx);
      } else {
        const target = deliveryTarget(hostConfig, submission.tenant, submission.service);
        if (!target) throw new DeliveryError(`no receiving authority configured for ${submission.tenant}/${submission.service}`);
        reference = target.type === 'webhook' ? await deliverWebhook(target, ctx) : await deliverFitConnect(target, ctx);
      }
      await store.updateDelivery(d.id, {
        state: 'delivered',
        attempts,
        nextAttemptAt: d.nextAttemptAt,
        deliveredAt: new Date().toISOString(),
        ...(reference ? { reference } : {}),
      });
      log.info({ delivery: d.id, target: d.target, vorgangsnummer: submission.vorgangsnummer, attempts }, 'delivered');
    } catch (err) {
      const retryable = !(err instanceof DeliveryError) || err.retryable;
      const dead = !retryable || attempts >= hostConfig.delivery.maxAttempts;
      const delay = Math.min(3_600_000, hostConfig.delivery.backoffMs * 2 ** (attempts - 1));
      const message = (err as Error).message;
      await store.updateDelivery(d.id, {
        state: dead ? 'dead' : 'pending',
        attempts,
        nextAttemptAt: new Date(Date.now() + delay).toISOString(),
        lastError: message,
      });
      log.warn({ delivery: d.id, target: d.target, vorgangsnummer: submission?.vorgangsnummer, attempts, dead, error: message }, 'delivery failed');
      // A retry due before the next regular run gets its own wake-up (a little after the due
      // time: timers may fire a millisecond early).
      if (!dead && delay < this.o.intervalMs) setTimeout(() => void this.kick(), delay + 5).unref();
    }
  }
}
