/**
 * Delivery to the receiving authority, against local receivers: a webhook that checks the
 * signature and fails once, a dead-lettered delivery started again by the operator, and the
 * FIT-Connect sender against a stand-in of the Submission API that decrypts and checks hashes.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { METADATA_SCHEMA } from '../src/index.js';
import { FIT_CREDENTIALS, fitConnectStandIn, fitConnectTarget } from './fit-connect-stand-in.js';
import {
  demoToken,
  editJson,
  exampleConfig,
  hundeanmeldung,
  json,
  listen,
  newDataDir,
  operator,
  post,
  startHost,
  VALID_DOG,
  type RunningHost,
} from './harness.js';

const SECRET = 'a-webhook-secret-of-the-authority';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

type Delivery = { target: string; state: string; attempts: number; lastError?: string; reference?: string };
async function deliveries(host: RunningHost, vorgangsnummer: string): Promise<Delivery[]> {
  const res = await operator(host.base, `stadt-musterstadt/submissions/${vorgangsnummer}`, demoToken('stadt-musterstadt'));
  return ((await res.json()) as { deliveryDetails: Delivery[] }).deliveryDetails;
}
/** Waits until the delivery succeeded, or fails the test with the host's reason when it was dead-lettered. */
async function delivered(host: RunningHost, vorgangsnummer: string, target = 'authority', from = 0) {
  const line = await host.waitForLog(
    (l) => l.vorgangsnummer === vorgangsnummer && l.target === target && (l.msg === 'delivered' || (l.msg === 'delivery failed' && l.dead === true)),
    from,
  );
  assert.equal(line.msg, 'delivered', String(line.error));
}

function configWith(deliveryByService: Record<string, unknown>, retry: Record<string, number> = { maxAttempts: 3, backoffMs: 20 }) {
  return exampleConfig((dir) => {
    editJson(join(dir, 'host.json'), (h) => {
      h.delivery = retry;
      const tenants = h.tenants as Record<string, Record<string, unknown>>;
      tenants['stadt-musterstadt']!.delivery = deliveryByService;
    });
    editJson(join(dir, 'services/hundeanmeldung.json'), (s) => {
      (s.submission as Record<string, unknown>).attachments = { types: ['application/pdf'] };
    });
  });
}

describe('webhook delivery', () => {
  const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
  let failNext = 1;
  let receiver: Awaited<ReturnType<typeof listen>>;
  let host: RunningHost;
  before(async () => {
    receiver = await listen((req, res, body) => {
      received.push({ headers: req.headers, body: body.toString() });
      if (failNext > 0) {
        failNext--;
        return json(res, 500, { error: 'down for maintenance' });
      }
      res.setHeader('x-reference', `AKTE-${received.length}`);
      json(res, 200, { ok: true });
    });
    host = await startHost({
      configDir: configWith({ hundeanmeldung: { type: 'webhook', url: `${receiver.base}/eingang`, secret: 'env:HOOK_SECRET' } }),
      env: { HOOK_SECRET: SECRET },
    });
  });
  after(async () => {
    await host.stop();
    await receiver.close();
  });

  it('delivers a signed JSON after one failed attempt, and records it', async () => {
    received.length = 0;
    failNext = 1;
    const form = new FormData();
    form.set('submission', JSON.stringify(hundeanmeldung()));
    form.append('nachweis', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), 'Haftpflicht.pdf');
    // A forged forwarding header must not redirect the authority's attachment downloads.
    const res = await fetch(`${host.base}/api/submissions`, { method: 'POST', body: form, headers: { 'x-forwarded-host': 'evil.example' } });
    const { vorgangsnummer } = (await res.json()) as { vorgangsnummer: string };
    await delivered(host, vorgangsnummer);
    assert.equal(received.length, 2, 'one failure, one success');
    for (const r of received) {
      const [t, v1] = String(r.headers['x-ozg-signature']).split(',');
      const timestamp = t!.slice(2);
      assert.equal(v1!.slice(3), createHmac('sha256', SECRET).update(`${timestamp}.${r.body}`).digest('hex'), 'valid signature');
      assert.equal(r.headers['idempotency-key'], vorgangsnummer);
    }
    const body = JSON.parse(received[1]!.body) as Record<string, unknown>;
    assert.equal(body.vorgangsnummer, vorgangsnummer);
    assert.deepEqual(body.data, VALID_DOG);
    assert.equal(body.schema, 'https://example.org/ozg-forms/schemas/hundeanmeldung.schema.json');
    const [attachment] = body.attachments as Array<{ href: string; sha512: string }>;
    assert.ok(
      attachment!.href.startsWith(`${host.base}/api/operator/stadt-musterstadt/submissions/${vorgangsnummer}/attachments/`),
      attachment!.href,
    );
    const file = await operator(host.base, attachment!.href.slice(host.base.length + '/api/operator/'.length), demoToken('stadt-musterstadt'));
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), PDF);
    // The application as PDF, by its address in the operator API.
    const listed = body.form as { href: string; filename: string };
    assert.equal(listed.filename, `${vorgangsnummer}.pdf`);
    const pdf = await operator(host.base, listed.href.slice(host.base.length + '/api/operator/'.length), demoToken('stadt-musterstadt'));
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.equal(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
      '%PDF-',
    );
    const authority = (await deliveries(host, vorgangsnummer)).find((d) => d.target === 'authority')!;
    assert.equal(authority.state, 'delivered');
    assert.equal(authority.attempts, 2);
    assert.equal(authority.reference, 'AKTE-2');
  });

  it('dead-letters after the last attempt; the operator can start it again', async () => {
    received.length = 0;
    failNext = 3;
    const { vorgangsnummer } = (await (await post(host.base, hundeanmeldung())).json()) as { vorgangsnummer: string };
    await host.waitForLog((l) => l.msg === 'delivery failed' && l.vorgangsnummer === vorgangsnummer && l.dead === true);
    const dead = (await deliveries(host, vorgangsnummer)).find((d) => d.target === 'authority')!;
    assert.equal(dead.state, 'dead');
    assert.equal(dead.attempts, 3);
    assert.match(dead.lastError!, /500/);
    const mark = host.logs.length;
    const retry = await operator(
      host.base,
      `stadt-musterstadt/submissions/${vorgangsnummer}/deliveries/authority/retry`,
      demoToken('stadt-musterstadt'),
      { method: 'POST' },
    );
    assert.equal(retry.status, 202);
    await delivered(host, vorgangsnummer, 'authority', mark);
    assert.equal((await deliveries(host, vorgangsnummer)).find((d) => d.target === 'authority')!.state, 'delivered');
    // Another tenant cannot start it.
    const foreign = await operator(
      host.base,
      `gemeinde-lindenau/submissions/${vorgangsnummer}/deliveries/authority/retry`,
      demoToken('gemeinde-lindenau'),
      { method: 'POST' },
    );
    assert.equal(foreign.status, 404);
  });
});

describe('FIT-Connect delivery', () => {
  const credentials = FIT_CREDENTIALS;
  let standIn: Awaited<ReturnType<typeof fitConnectStandIn>>;
  let host: RunningHost;
  before(async () => {
    standIn = await fitConnectStandIn(credentials);
    host = await startHost({
      configDir: configWith({
        '*': fitConnectTarget(standIn.base, 'env:FIT_CONNECT_SECRET'),
      }),
      env: { FIT_CONNECT_SECRET: credentials.clientSecret },
    });
  });
  after(async () => {
    await host.stop();
    await standIn.close();
  });

  it('announces, uploads the attachment, submits encrypted metadata and data with matching hashes', async () => {
    const form = new FormData();
    form.set('submission', JSON.stringify(hundeanmeldung()));
    form.append('nachweis', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), 'Haftpflicht.pdf');
    const res = await fetch(`${host.base}/api/submissions`, { method: 'POST', body: form });
    assert.equal(res.status, 201);
    const { vorgangsnummer } = (await res.json()) as { vorgangsnummer: string };
    await delivered(host, vorgangsnummer);

    assert.deepEqual(
      standIn.calls.map((c) => c.replace(/[0-9a-f-]{36}/g, ':id')),
      [
        'POST /token',
        'GET /v1/destinations/:id',
        'GET /v1/destinations/:id/keys/test-key-1',
        'POST /v1/submissions',
        'PUT /v1/submissions/:id/attachments/:id',
        'PUT /v1/submissions/:id/attachments/:id',
        'PUT /v1/submissions/:id',
      ],
    );
    const [record] = [...standIn.submissions.values()];
    assert.ok(record);
    assert.deepEqual(record.problems, []);
    assert.deepEqual(record.data, VALID_DOG);
    assert.equal(record.serviceType.identifier, 'urn:de:fim:leika:leistung:99108008000000');
    assert.equal(record.serviceType.name, 'Hund zur Hundesteuer anmelden');
    // The Nachweis, then the application as PDF (purpose "form").
    const [nachweis, application] = [...record.attachments.values()];
    assert.deepEqual(nachweis, PDF);
    assert.equal(application!.subarray(0, 5).toString(), '%PDF-');
    const metadata = record.metadata as {
      $schema: string;
      contentStructure: {
        data: { submissionSchema: { schemaUri: string } };
        attachments: Array<{ filename: string; mimeType: string; purpose: string }>;
      };
    };
    assert.equal(metadata.$schema, METADATA_SCHEMA);
    assert.equal(metadata.contentStructure.data.submissionSchema.schemaUri, 'https://example.org/ozg-forms/schemas/hundeanmeldung.schema.json');
    assert.deepEqual(
      metadata.contentStructure.attachments.map((a) => [a.filename, a.mimeType, a.purpose]),
      [
        ['Haftpflicht.pdf', 'application/pdf', 'attachment'],
        [`${vorgangsnummer}.pdf`, 'application/pdf', 'form'],
      ],
    );
    assert.ok(record.headers.every((h) => h.alg === 'RSA-OAEP-256' && h.enc === 'A256GCM'));
    const authority = (await deliveries(host, vorgangsnummer)).find((d) => d.target === 'authority')!;
    assert.equal(authority.reference, record.submissionId);
    // The client secret stays on the host: not in the encrypted content, not in the logs.
    assert.doesNotMatch(JSON.stringify(record.metadata), new RegExp(credentials.clientSecret));
    assert.doesNotMatch(host.logs.map((l) => JSON.stringify(l)).join('\n'), new RegExp(credentials.clientSecret));
  });

  const announcements = () => standIn.calls.filter((c) => c === 'POST /v1/submissions').length;

  it('resumes the announced submission after failed submits instead of announcing another', async () => {
    const before = announcements();
    standIn.faults.failSubmits = 2;
    const form = new FormData();
    form.set('submission', JSON.stringify(hundeanmeldung()));
    form.append('nachweis', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), 'Haftpflicht.pdf');
    const { vorgangsnummer } = (await (await fetch(`${host.base}/api/submissions`, { method: 'POST', body: form })).json()) as {
      vorgangsnummer: string;
    };
    await delivered(host, vorgangsnummer);
    assert.equal(announcements() - before, 1, 'one announcement for one application');
    const authority = (await deliveries(host, vorgangsnummer)).find((d) => d.target === 'authority')!;
    assert.equal(authority.attempts, 3);
    const record = standIn.submissions.get(authority.reference!)!;
    assert.deepEqual(record.problems, []);
    assert.deepEqual(record.data, VALID_DOG);
  });
});

describe('FIT-Connect delivery across a crash', () => {
  it('a host killed between announcing and submitting: the restarted host resumes the submission, never announces again', async () => {
    const standIn = await fitConnectStandIn();
    const configDir = configWith(
      {
        '*': fitConnectTarget(standIn.base),
      },
      { backoffMs: 20 },
    );
    const dataDir = newDataDir();
    const env = { OZG_DELIVERY_LEASE_SECONDS: '1' };
    let host = await startHost({ configDir, dataDir, env });
    try {
      standIn.faults.holdUploads = true;
      const form = new FormData();
      form.set('submission', JSON.stringify(hundeanmeldung()));
      form.append('nachweis', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), 'Haftpflicht.pdf');
      const { vorgangsnummer } = (await (await fetch(`${host.base}/api/submissions`, { method: 'POST', body: form })).json()) as {
        vorgangsnummer: string;
      };
      // Announced, the upload under way: the host dies.
      await standIn.uploadHeld();
      await host.kill();
      standIn.faults.holdUploads = false;
      standIn.releaseUploads();
      host = await startHost({ configDir, dataDir, env });
      await delivered(host, vorgangsnummer);
      assert.equal(standIn.calls.filter((c) => c === 'POST /v1/submissions').length, 1, 'announced once');
      const [record] = [...standIn.submissions.values()];
      assert.ok(record?.submitted);
      assert.deepEqual(record.problems, []);
      assert.deepEqual([...record.attachments.values()][0], PDF);
      assert.equal(record.attachments.size, 2, 'the Nachweis and the application as PDF');
      const authority = (await deliveries(host, vorgangsnummer)).find((d) => d.target === 'authority')!;
      assert.equal(authority.reference, record.submissionId);
    } finally {
      await host.stop();
      await standIn.close();
    }
  });
});

describe('confirmation e-mail over SMTP', () => {
  it('sends the confirmation to the address in the answers through the configured SMTP server', async () => {
    const mails: Array<{ from: string; to: string[]; body: string }> = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, callback) {
        let body = '';
        stream.on('data', (c: Buffer) => (body += c.toString()));
        stream.on('end', () => {
          mails.push({
            from: String(session.envelope.mailFrom && session.envelope.mailFrom.address),
            to: session.envelope.rcptTo.map((r) => r.address),
            body,
          });
          callback();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as AddressInfo).port;
    const host = await startHost({ env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Bürgerservice <noreply@musterstadt.example>' } });
    try {
      const { vorgangsnummer } = (await (await post(host.base, hundeanmeldung())).json()) as { vorgangsnummer: string };
      await delivered(host, vorgangsnummer, 'mail');
      assert.equal(mails.length, 1);
      assert.deepEqual(mails[0]!.to, ['erika@example.org']);
      assert.equal(mails[0]!.from, 'noreply@musterstadt.example');
      assert.match(mails[0]!.body, new RegExp(vorgangsnummer));
      assert.ok(!existsSync(join(host.dataDir, 'mail', `${vorgangsnummer}.eml`)), 'not also written to the folder');
    } finally {
      await host.stop();
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });
});
