/**
 * What an operator runs the host with: /metrics in Prometheus' format, the dead-delivery list
 * with bulk retry, backups of a running host (VACUUM INTO, pg_dump), readiness that reflects the
 * virus scanner, and the retry schedule (backoff with jitter up to a ceiling, give-up age).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sqlite from 'node-sqlite3-wasm';
import { backoffDelay } from '../src/delivery/outbox.js';
import { postgresAvailable, startPostgres } from './postgres.js';
import { demoToken, editJson, exampleConfig, hundeanmeldung, json, listen, newDataDir, operator, post, ROOT, startHost } from './harness.js';

describe('the retry schedule', () => {
  it('doubles from backoffMs up to the ceiling, with ±20 % jitter', () => {
    const policy = { backoffMs: 30_000, maxDelayMs: 6 * 3_600_000 };
    assert.equal(backoffDelay(1, policy, 0.5), 30_000);
    assert.equal(backoffDelay(4, policy, 0.5), 240_000);
    assert.equal(backoffDelay(30, policy, 0.5), 6 * 3_600_000, 'never more than the ceiling');
    assert.equal(backoffDelay(1, policy, 0), 24_000);
    assert.equal(backoffDelay(1, policy, 1), 36_000);
    // A weekend outage (60 h) is ridden out: the tries go on beyond it, at most 6 h apart.
    let elapsed = 0;
    let attempts = 0;
    while (elapsed < 60 * 3_600_000) elapsed += backoffDelay(++attempts, policy, 0.5);
    assert.ok(attempts < 30, `${attempts} tries over the weekend`);
  });
});

describe('operating the host', () => {
  it('exposes Prometheus metrics: submissions by outcome, deliveries by state, latency', async () => {
    const host = await startHost({ env: { OZG_METRICS_TOKEN: 'a-metrics-token-of-some-length' } });
    try {
      await post(host.base, hundeanmeldung());
      await post(host.base, hundeanmeldung({ data: { unbekannt: 1 } }));
      const res = await fetch(`${host.base}/metrics`, { headers: { authorization: 'Bearer a-metrics-token-of-some-length' } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /text\/plain/);
      const text = await res.text();
      assert.match(text, /ozg_submissions_total\{outcome="accepted",reason=""\} 1/);
      assert.match(text, /ozg_submissions_total\{outcome="refused",reason="undefined-answers"\} 1/);
      assert.match(text, /ozg_deliveries\{target="mail",state="(pending|delivered)"\} 1/);
      assert.match(text, /ozg_http_request_duration_seconds_bucket\{le="0.1",route="\/api\/submissions",method="POST",status="201"\}/);
      // From this machine the demo answers without a token, and a wrong one changes nothing.
      assert.equal((await fetch(`${host.base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status, 200);
      // One access-log line per request (Fastify's own two are off), and no query string in it.
      const from = host.logs.length;
      await fetch(`${host.base}/api/health?who=erika`);
      const line = await host.waitForLog((l) => l.msg === 'request' && (l.req as { url?: string } | undefined)?.url === '/api/health', from);
      assert.equal((line.res as { statusCode: number }).statusCode, 200);
      assert.deepEqual(
        host.logs.slice(from).filter((l) => l.msg === 'incoming request' || l.msg === 'request completed'),
        [],
      );
    } finally {
      await host.stop();
    }
    // Production: only with the token, also from this machine.
    const config = exampleConfig((dir) =>
      editJson(join(dir, 'host.json'), (h) => {
        h.tenants = {};
        delete h.identity;
      }),
    );
    const production = await startHost({
      configDir: config,
      env: { OZG_PUBLIC_URL: 'http://127.0.0.1:1', OZG_METRICS_TOKEN: 'a-metrics-token-of-some-length' },
    });
    try {
      assert.equal((await fetch(`${production.base}/metrics`)).status, 401);
      assert.equal((await fetch(`${production.base}/metrics`, { headers: { authorization: 'Bearer a-metrics-token-of-some-length' } })).status, 200);
    } finally {
      await production.stop();
    }
  });

  it('lists dead deliveries per tenant and starts them all again', async () => {
    let up = false;
    const received: string[] = [];
    const receiver = await listen((_req, res, body) => {
      if (!up) return json(res, 500, {});
      received.push((JSON.parse(body.toString()) as { vorgangsnummer: string }).vorgangsnummer);
      json(res, 200, {});
    });
    const config = exampleConfig((dir) =>
      editJson(join(dir, 'host.json'), (h) => {
        h.delivery = { backoffMs: 10, maxAttempts: 2 };
        (h.tenants as Record<string, Record<string, unknown>>)['stadt-musterstadt']!.delivery = {
          hundeanmeldung: { type: 'webhook', url: `${receiver.base}/eingang`, secret: 'a-webhook-secret-of-some-length' },
        };
      }),
    );
    const host = await startHost({ configDir: config });
    try {
      const numbers: string[] = [];
      for (let i = 0; i < 2; i++)
        numbers.push(((await (await post(host.base, hundeanmeldung())).json()) as { vorgangsnummer: string }).vorgangsnummer);
      for (const vn of numbers) await host.waitForLog((l) => l.msg === 'delivery failed' && l.vorgangsnummer === vn && l.dead === true);
      const alert = host.logs.find((l) => l.msg === 'delivery failed' && l.dead === true)!;
      assert.equal(alert.level, 50, 'a dead delivery is an error line');
      const token = demoToken('stadt-musterstadt');
      const dead = (await (await operator(host.base, 'stadt-musterstadt/deliveries/dead', token)).json()) as {
        deliveries: Array<{ vorgangsnummer: string; target: string; attempts: number; lastError: string }>;
      };
      assert.deepEqual(dead.deliveries.map((d) => d.vorgangsnummer).sort(), [...numbers].sort());
      assert.ok(dead.deliveries.every((d) => d.target === 'authority' && d.attempts === 2 && /500/.test(d.lastError)));
      const lindenau = (await (await operator(host.base, 'gemeinde-lindenau/deliveries/dead', demoToken('gemeinde-lindenau'))).json()) as {
        deliveries: unknown[];
      };
      assert.deepEqual(lindenau.deliveries, [], 'another tenant sees none of them');
      // Another tenant's token cannot start Musterstadt's, and hostile parameters are refused before anything runs.
      assert.equal(
        (await operator(host.base, 'stadt-musterstadt/deliveries/dead/retry', demoToken('gemeinde-lindenau'), { method: 'POST' })).status,
        401,
      );
      assert.equal((await operator(host.base, '..%2Fstadt-musterstadt/deliveries/dead', token)).status, 400);
      up = true;
      const retried = await operator(host.base, 'stadt-musterstadt/deliveries/dead/retry', token, { method: 'POST' });
      assert.equal(retried.status, 202);
      assert.deepEqual(await retried.json(), { retried: 2 });
      for (const vn of numbers) await host.waitForLog((l) => l.msg === 'delivered' && l.vorgangsnummer === vn && l.target === 'authority');
      assert.deepEqual([...received].sort(), [...numbers].sort());
    } finally {
      await host.stop();
      await receiver.close();
    }
  });

  it('backs up a running SQLite host with VACUUM INTO: a consistent copy, readable only by the host’s user', async () => {
    const dataDir = newDataDir();
    const host = await startHost({ dataDir });
    try {
      const { vorgangsnummer } = (await (await post(host.base, hundeanmeldung())).json()) as { vorgangsnummer: string };
      const file = join(newDataDir(), 'backup.sqlite');
      const made = spawnSync(process.execPath, [join(ROOT, 'packages/server/bin/ozg-forms-host.mjs'), 'backup', file], {
        encoding: 'utf8',
        env: { ...process.env, OZG_DATA_DIR: dataDir },
      });
      assert.equal(made.status, 0, made.stderr);
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const copy = new sqlite.Database(file, { readOnly: true });
      try {
        assert.deepEqual(
          copy.all('SELECT vorgangsnummer FROM submissions').map((r) => r.vorgangsnummer),
          [vorgangsnummer],
        );
      } finally {
        copy.close();
      }
      const again = spawnSync(process.execPath, [join(ROOT, 'packages/server/bin/ozg-forms-host.mjs'), 'backup', file], {
        encoding: 'utf8',
        env: { ...process.env, OZG_DATA_DIR: dataDir },
      });
      assert.equal(again.status, 1);
      assert.match(again.stderr, /never overwrites/);
      assert.ok(existsSync(file));
    } finally {
      await host.stop();
    }
  });

  it('backs up a running PostgreSQL host with pg_dump (custom format, for pg_restore)', { skip: postgresAvailable() }, async () => {
    const postgres = await startPostgres();
    try {
      const databaseUrl = await postgres.createDatabase();
      const host = await startHost({ env: { DATABASE_URL: databaseUrl } });
      try {
        const { vorgangsnummer } = (await (await post(host.base, hundeanmeldung())).json()) as { vorgangsnummer: string };
        const file = join(newDataDir(), 'backup.dump');
        const made = spawnSync(process.execPath, [join(ROOT, 'packages/server/bin/ozg-forms-host.mjs'), 'backup', file], {
          encoding: 'utf8',
          env: { ...process.env, DATABASE_URL: databaseUrl },
        });
        assert.equal(made.status, 0, made.stderr);
        assert.equal(statSync(file).mode & 0o777, 0o600);
        // The dump holds the application: restored as SQL, its Vorgangsnummer is there.
        const sql = spawnSync('pg_restore', ['--data-only', '--table=submissions', '--file=-', file], { encoding: 'utf8' });
        assert.equal(sql.status, 0, sql.stderr);
        assert.match(sql.stdout, new RegExp(vorgangsnummer));
      } finally {
        await host.stop();
      }
    } finally {
      await postgres.stop();
    }
  });

  it('is not ready while the virus scanner cannot be reached', async () => {
    const host = await startHost({ env: { OZG_SCAN: 'on', OZG_CLAMD: '/nonexistent/clamd.sock' } });
    try {
      const res = await fetch(`${host.base}/api/ready`);
      assert.equal(res.status, 503);
      assert.deepEqual(await res.json(), { status: 'scanner-unavailable' });
      assert.equal((await fetch(`${host.base}/api/health`)).status, 200, 'alive all the same');
    } finally {
      await host.stop();
    }
  });
});
