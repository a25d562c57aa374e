/**
 * Retention (DSGVO Art. 5 (1) e): an application is kept until its authority has it, and then
 * for a period per tenant (host.json `retentionDays`, default OZG_RETENTION_DAYS = 30) after its
 * last delivery was confirmed; then it is deleted with its attachments, deliveries, payment
 * attempts and the copy of its confirmation e-mail. Runs at start and every hour, on one host.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { HostConfig } from './host-config.js';
import type { PeriodicJobs } from './jobs.js';
import type { Store } from './store.js';

const DAY = 86_400_000;

export class Retention {
  private running?: Promise<void>;

  constructor(
    private readonly o: {
      store: Store;
      hostConfig: HostConfig;
      tenants: () => Iterable<string>;
      defaultDays: number;
      log: FastifyBaseLogger;
      /** Where copies of confirmation e-mails are kept (`<Vorgangsnummer>.eml`), if anywhere. */
      mailFolder?: string;
      intervalMs?: number;
    },
  ) {}

  /** At start and every hour, on one host at a time across all. */
  start(jobs: PeriodicJobs) {
    jobs.every('retention', this.o.intervalMs ?? 3_600_000, () => this.run());
  }

  async stop() {
    await this.running;
  }

  /** Deletes what is due now; answers with the Vorgangsnummern deleted. */
  run(now = Date.now()): Promise<void> {
    this.running ??= this.sweep(now)
      .catch((err: unknown) => this.o.log.error({ err }, 'retention run failed'))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  /** The copy of an application's confirmation e-mail, gone with the application. */
  forget(vorgangsnummer: string) {
    if (this.o.mailFolder && /^[A-Z0-9-]+$/.test(vorgangsnummer)) rmSync(join(this.o.mailFolder, `${vorgangsnummer}.eml`), { force: true });
  }

  private async sweep(now: number) {
    // Sign-in state and sessions live minutes; whatever expired goes (they hold prefill answers).
    await this.o.store.deleteExpiredLogins(new Date(now).toISOString());
    for (const tenant of this.o.tenants()) {
      const days = this.o.hostConfig.tenants[tenant]?.retentionDays ?? this.o.defaultDays;
      const cutoff = new Date(now - days * DAY).toISOString();
      for (;;) {
        const deleted = await this.o.store.deleteDelivered(tenant, cutoff, 100);
        for (const vorgangsnummer of deleted) {
          this.forget(vorgangsnummer);
          this.o.log.info({ vorgangsnummer, tenant, retentionDays: days }, 'delivered application deleted after the retention period');
        }
        if (deleted.length < 100) break;
      }
    }
  }
}
