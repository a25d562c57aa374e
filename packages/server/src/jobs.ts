/**
 * Periodic jobs that must run once across all hosts (payment reconciliation, deleting unpaid
 * and expired applications): each run is a leased row in the shared database. The host that
 * claims it runs it; the others skip that round. The lease lasts one interval, so the job runs
 * about once per interval whichever hosts are alive; a clean stop gives the lease up.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from './store.js';

export class PeriodicJobs {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly owner: string,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Runs `run` now and every `everyMs`, on whichever single host claims each round. */
  every(name: string, everyMs: number, run: () => Promise<void>) {
    if (everyMs <= 0) return;
    const tick = () => {
      const p = this.once(name, everyMs, run).finally(() => this.running.delete(p));
      this.running.add(p);
    };
    const timer = setInterval(tick, everyMs);
    timer.unref();
    this.timers.push(timer);
    tick();
  }

  /** One round: runs when this host claims it. */
  async once(name: string, leaseMs: number, run: () => Promise<void>) {
    const now = Date.now();
    try {
      if (!(await this.store.claimJob(name, this.owner, new Date(now).toISOString(), new Date(now + leaseMs).toISOString()))) return;
      await run();
    } catch (err) {
      this.log.error({ err, job: name }, 'periodic job failed');
    }
  }

  async stop() {
    for (const t of this.timers) clearInterval(t);
    await Promise.all(this.running);
    await this.store.releaseJobs(this.owner, new Date().toISOString()).catch(() => undefined);
  }
}
