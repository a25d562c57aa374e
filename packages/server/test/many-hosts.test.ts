/**
 * Many hosts, one PostgreSQL: three host processes on the real PostgreSQL the test starts, a
 * local webhook receiver (Stadt Musterstadt) and the FIT-Connect stand-in (Gemeinde Lindenau),
 * 1,000 submissions (every tenth with an attachment) from concurrent clients spread over the
 * hosts. In one run a host is killed with SIGKILL mid-load and started again; clients whose host
 * died send the same application (same idempotency key) to another host, as the element does.
 *
 * What must hold: every acknowledged Vorgangsnummer is stored exactly once and delivered at
 * least once; a duplicate webhook delivery carries the same Idempotency-Key; there is exactly
 * one submitted FIT-Connect submission per application; without the kill (a run of 500) each
 * application is delivered exactly once.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { fitConnectStandIn, fitConnectTarget } from './fit-connect-stand-in.js';
import { editJson, exampleConfig, hundeanmeldung, listen, json, startHost, type RunningHost } from './harness.js';
import { postgresAvailable, startPostgres, type TestPostgres } from './postgres.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const TOTAL = Number(process.env.OZG_LOAD_TOTAL ?? 1000);
const CLIENTS = 24;

interface Run {
  acknowledged: Map<string, string>; // idempotency key → Vorgangsnummer
  webhook: Map<string, string[]>; // Vorgangsnummer → Idempotency-Key headers received
  fitSubmitted: Map<string, number>; // Vorgangsnummer → submitted FIT-Connect submissions
  fitAnnounced: number;
  databaseUrl: string;
}

describe('many hosts on one PostgreSQL', { skip: postgresAvailable() }, () => {
  let postgres: TestPostgres;
  before(async () => {
    postgres = await startPostgres();
  });
  after(() => postgres?.stop());

  async function run(killOne: boolean, total = TOTAL): Promise<Run> {
    const databaseUrl = await postgres.createDatabase();
    const webhook = new Map<string, string[]>();
    const expected = { webhook: new Set<string>(), fit: new Set<string>() };
    let allDelivered: () => void = () => undefined;
    const done = new Promise<void>((r) => (allDelivered = r));
    const standIn = await fitConnectStandIn();
    const fitSubmitted = () => {
      const byVn = new Map<string, number>();
      for (const s of standIn.submissions.values()) {
        if (!s.submitted) continue;
        const vn = (s.metadata as { additionalReferenceInfo: { senderReference: string } }).additionalReferenceInfo.senderReference;
        byVn.set(vn, (byVn.get(vn) ?? 0) + 1);
      }
      return byVn;
    };
    let sending = true;
    const check = () => {
      if (sending) return;
      const fit = fitSubmitted();
      if ([...expected.webhook].every((vn) => webhook.has(vn)) && [...expected.fit].every((vn) => fit.has(vn))) allDelivered();
    };
    standIn.onSubmitted(() => check());
    const receiver = await listen((req, res, body) => {
      const vn = (JSON.parse(body.toString()) as { vorgangsnummer: string }).vorgangsnummer;
      webhook.set(vn, [...(webhook.get(vn) ?? []), String(req.headers['idempotency-key'])]);
      json(res, 200, {});
      check();
    });
    const configDir = exampleConfig((dir) => {
      editJson(join(dir, 'host.json'), (h) => {
        h.delivery = { backoffMs: 200, maxDelayMs: 2000 };
        const tenants = h.tenants as Record<string, Record<string, unknown>>;
        tenants['stadt-musterstadt']!.delivery = {
          hundeanmeldung: { type: 'webhook', url: `${receiver.base}/eingang`, secret: 'a-webhook-secret-of-some-length' },
        };
        tenants['gemeinde-lindenau']!.delivery = {
          hundeanmeldung: fitConnectTarget(standIn.base),
        };
      });
      editJson(join(dir, 'services/hundeanmeldung.json'), (s) => {
        (s.submission as Record<string, unknown>).attachments = { types: ['application/pdf'] };
      });
    });
    const env = { DATABASE_URL: databaseUrl, OZG_DELIVERY_LEASE_SECONDS: '2', OZG_DELIVERY_INTERVAL: '1', LOG_LEVEL: 'info' };
    const hosts: Array<RunningHost | undefined> = [];
    for (let i = 0; i < 3; i++) hosts.push(await startHost({ configDir, env }));

    const acknowledged = new Map<string, string>();
    let next = 0;
    let killed = false;
    let restarted: Promise<void> | undefined;
    const send = async (i: number) => {
      const tenant = i % 2 === 0 ? 'stadt-musterstadt' : 'gemeinde-lindenau';
      const payload = hundeanmeldung({ tenant, idempotencyKey: `load-${killOne ? 'k' : 'n'}-${i}` });
      for (let tries = 0; ; tries++) {
        const alive = hosts.filter((h): h is RunningHost => !!h);
        const host = alive[(i + tries) % alive.length]!;
        let body: BodyInit;
        const headers: Record<string, string> = {};
        if (i % 10 === 0) {
          const form = new FormData();
          form.set('submission', JSON.stringify(payload));
          form.append('nachweis', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), `nachweis-${i}.pdf`);
          body = form;
        } else {
          body = JSON.stringify(payload);
          headers['content-type'] = 'application/json';
        }
        try {
          const res = await fetch(`${host.base}/api/submissions`, { method: 'POST', body, headers });
          assert.ok(res.status === 201 || res.status === 200, `answered ${res.status}: ${await res.clone().text()}`);
          const { vorgangsnummer } = (await res.json()) as { vorgangsnummer: string };
          acknowledged.set(payload.idempotencyKey, vorgangsnummer);
          (tenant === 'stadt-musterstadt' ? expected.webhook : expected.fit).add(vorgangsnummer);
          return;
        } catch (err) {
          // The host died under this request: the same application again, to another host.
          if (tries > 10 || err instanceof assert.AssertionError) throw err;
          if (restarted) await restarted;
        }
      }
    };
    const client = async () => {
      while (next < total) {
        const i = next++;
        if (killOne && !killed && i === Math.floor(total / 3)) {
          killed = true;
          const victim = hosts[1]!;
          hosts[1] = undefined;
          await victim.kill();
          restarted = startHost({ configDir, dataDir: victim.dataDir, env }).then((h) => {
            hosts[1] = h;
          });
        }
        await send(i);
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    if (process.env.OZG_LOAD_DEBUG) console.error('sent', acknowledged.size);
    await restarted;
    sending = false;
    check();
    if (process.env.OZG_LOAD_DEBUG) {
      const t = setInterval(
        () => console.error('delivered', webhook.size, fitSubmitted().size, 'of', expected.webhook.size, expected.fit.size),
        2000,
      );
      void done.then(() => clearInterval(t));
    }
    await done;
    const result: Run = {
      acknowledged,
      webhook,
      fitSubmitted: fitSubmitted(),
      fitAnnounced: standIn.calls.filter((c) => c === 'POST /v1/submissions').length,
      databaseUrl,
    };
    for (const h of hosts) await h?.stop();
    await receiver.close();
    await standIn.close();
    return result;
  }

  async function storedOnce(r: Run) {
    const client = new pg.Client({ connectionString: r.databaseUrl });
    await client.connect();
    try {
      const rows = (await client.query('SELECT vorgangsnummer, idempotency_key FROM submissions')).rows as Array<{
        vorgangsnummer: string;
        idempotency_key: string;
      }>;
      assert.equal(rows.length, r.acknowledged.size, 'one record per acknowledged application, none besides');
      const byKey = new Map(rows.map((row) => [row.idempotency_key, row.vorgangsnummer]));
      for (const [key, vn] of r.acknowledged) assert.equal(byKey.get(key), vn, `${key} stored as acknowledged`);
      const pending = (await client.query(`SELECT COUNT(*)::int AS n FROM deliveries WHERE target = 'authority' AND state <> 'delivered'`))
        .rows[0] as {
        n: number;
      };
      assert.equal(pending.n, 0, 'every authority delivery recorded as delivered');
    } finally {
      await client.end();
    }
  }

  it('1,000 submissions over three hosts, one killed with SIGKILL and restarted: stored once, delivered at least once, one FIT-Connect submission each', async () => {
    const r = await run(true);
    assert.equal(r.acknowledged.size, TOTAL);
    await storedOnce(r);
    for (const [vn, keys] of r.webhook)
      assert.ok(
        keys.every((k) => k === vn),
        `${vn}: every delivery carries the same Idempotency-Key`,
      );
    for (const [vn, n] of r.fitSubmitted) assert.equal(n, 1, `${vn}: exactly one FIT-Connect submission`);
    assert.equal(r.webhook.size + r.fitSubmitted.size, TOTAL);
  });

  // Half the load is enough to see a second delivery (the leases, not the volume, decide it) and keeps CI under 15 minutes.
  const CALM = Math.ceil(TOTAL / 2);
  it('without the kill, each application is delivered exactly once', async () => {
    const r = await run(false, CALM);
    assert.equal(r.acknowledged.size, CALM);
    await storedOnce(r);
    assert.deepEqual(
      [...r.webhook.values()].filter((keys) => keys.length !== 1),
      [],
      'no webhook delivered twice',
    );
    assert.deepEqual(
      [...r.fitSubmitted.values()].filter((n) => n !== 1),
      [],
    );
    assert.equal(r.fitAnnounced, r.fitSubmitted.size, 'no announcement without its submission');
    assert.equal(r.webhook.size + r.fitSubmitted.size, CALM);
  });
});
