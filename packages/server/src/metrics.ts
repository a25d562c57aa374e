/**
 * /metrics in Prometheus' text format (prom-client): what an operator alerts on. Counters are
 * per process (Prometheus sums them over the hosts it scrapes); the delivery gauges are read
 * from the shared database at scrape time, so every host reports the same whole picture.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from './store.js';

export class Metrics {
  readonly registry = new Registry();
  readonly submissions: Counter<'outcome' | 'reason'>;
  readonly deliveryOutcomes: Counter<'target' | 'state'>;
  readonly payments: Counter<'state'>;
  readonly latency: Histogram<'route' | 'method' | 'status'>;

  constructor(store: Store) {
    const registry = this.registry;
    collectDefaultMetrics({ register: registry, prefix: 'ozg_process_' });
    this.submissions = new Counter({
      name: 'ozg_submissions_total',
      help: 'Submissions answered, by outcome (accepted, repeated, refused) and refusal reason.',
      labelNames: ['outcome', 'reason'],
      registers: [registry],
    });
    this.deliveryOutcomes = new Counter({
      name: 'ozg_delivery_attempts_total',
      help: 'Delivery attempts on this host, by target and resulting state (delivered, pending = will retry, dead).',
      labelNames: ['target', 'state'],
      registers: [registry],
    });
    this.payments = new Counter({
      name: 'ozg_payment_attempts_total',
      help: 'Payment attempts that reached a state on this host (open, paid, cancelled, failed).',
      labelNames: ['state'],
      registers: [registry],
    });
    this.latency = new Histogram({
      name: 'ozg_http_request_duration_seconds',
      help: 'Request latency by route, method and status.',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    // Read at scrape time, from the database every host shares: one query per scrape for both gauges.
    let counts: Promise<Awaited<ReturnType<Store['deliveryCounts']>>> | undefined;
    const deliveryCounts = () => {
      if (!counts) {
        counts = store.deliveryCounts();
        void counts.finally(() => setImmediate(() => (counts = undefined))).catch(() => undefined);
      }
      return counts;
    };
    new Gauge({
      name: 'ozg_deliveries',
      help: 'Deliveries in the database by target and state (held, pending, delivered, dead).',
      labelNames: ['target', 'state'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const c of await deliveryCounts()) this.set({ target: c.target, state: c.state }, c.count);
      },
    });
    new Gauge({
      name: 'ozg_delivery_oldest_pending_age_seconds',
      help: 'How long the oldest pending delivery per target has been due.',
      labelNames: ['target'],
      registers: [registry],
      async collect() {
        this.reset();
        for (const c of await deliveryCounts())
          if (c.oldestPending) this.set({ target: c.target }, Math.max(0, (Date.now() - Date.parse(c.oldestPending)) / 1000));
      },
    });
  }
}
