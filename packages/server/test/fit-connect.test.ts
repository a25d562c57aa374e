/**
 * FIT-Connect as an authority's Fachverfahren sees it (issue 21), against the local stand-in of
 * the Routing and Submission APIs and a test CA made here with @peculiar/x509: the destination
 * found by ARS + LeiKa with a verified destinationSignature (a forged one refused), the key's
 * certificate chain checked (an untrusted CA, a signing-only certificate and an expired one
 * hold the delivery with the reason), metadata 1.2.0 with publicServiceType, paymentInformation
 * and the reply channel, the accepted data schemas, the authority's accept and reject from the
 * event log in the operator API, and the application PDF's text read back with pdftotext.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  X509CertificateGenerator,
  X509CrlGenerator,
  type X509Certificate,
} from '@peculiar/x509';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { CatalogProblem } from '../src/catalog.js';
import { buildMetadata, metadataVersion } from '../src/delivery/fit-connect.js';
import { loadHostConfig } from '../src/host-config.js';
import { verifyDestinationKey } from '../src/delivery/fit-connect-keys.js';
import type { DeliveryContext } from '../src/delivery/types.js';
import { applicationPdf } from '../src/pdf/application-pdf.js';
import type { StoredSubmission } from '../src/store.js';
import { FIT_CREDENTIALS, fitConnectStandIn, fitConnectTarget } from './fit-connect-stand-in.js';
import {
  demoToken,
  editJson,
  exampleConfig,
  hundeanmeldung,
  listen,
  newDataDir,
  operator,
  post,
  ROOT,
  startHost,
  type RunningHost,
} from './harness.js';

/** Our transcription of the metadata 1.2 constraints (the published schema is out of this machine's reach; see the file). */
const metadataConstraints = (() => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(ROOT, 'packages/server/test/fixtures/fit-connect-metadata-1.2.constraints.schema.json'), 'utf8')));
})();
const metadataProblems = (metadata: unknown) =>
  metadataConstraints(metadata) ? [] : (metadataConstraints.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

const ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const DAY = 86_400_000;
const pdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function ca(name: string) {
  const keys = (await crypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: `CN=${name}`,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    keys,
    signingAlgorithm: ALG,
    extensions: [new BasicConstraintsExtension(true, 1, true), new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true)],
  });
  return { keys, cert };
}

async function leaf(
  issuer: { keys: CryptoKeyPair; cert: X509Certificate },
  publicKey: CryptoKey,
  o: { usage?: KeyUsageFlags; notAfter?: Date } = {},
) {
  return X509CertificateGenerator.create({
    serialNumber: '02',
    subject: 'CN=Ordnungsamt Musterstadt, O=Stadt Musterstadt',
    issuer: issuer.cert.subject,
    notBefore: new Date(Date.now() - 2 * DAY),
    notAfter: o.notAfter ?? new Date(Date.now() + 30 * DAY),
    publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ALG,
    extensions: [new KeyUsagesExtension(o.usage ?? KeyUsageFlags.keyEncipherment, true)],
  });
}

const der = (c: X509Certificate) => Buffer.from(c.rawData).toString('base64');

describe('FIT-Connect: routing, verified keys, metadata 1.2, event log, PDF', () => {
  let standIn: Awaited<ReturnType<typeof fitConnectStandIn>>;
  let host: RunningHost;
  let root: Awaited<ReturnType<typeof ca>>;
  const schemaUri = 'https://example.org/ozg-forms/schemas/hundeanmeldung.schema.json';

  before(async () => {
    standIn = await fitConnectStandIn();
    root = await ca('Test-V-PKI Root');
    standIn.setChain([der(await leaf(root, standIn.publicKey as CryptoKey)), der(root.cert)]);
    standIn.destinationExtras.metadataVersions = ['1.0.0', '1.2.0'];
    standIn.destinationExtras.services = [
      { identifier: 'urn:de:fim:leika:leistung:99108008000000', submissionSchemas: [{ schemaUri, mimeType: 'application/json' }] },
    ];
    standIn.destinationExtras.replyChannels = { eMail: { usePgp: false } };
    standIn.routesByArs.set('099990010001', { destinationId: FIT_CREDENTIALS.destinationId });
    const { destinationId: _pinned, ...target } = fitConnectTarget(standIn.base);
    const configDir = exampleConfig((dir) => {
      writeFileSync(join(dir, 'test-root.pem'), root.cert.toString('pem'));
      editJson(join(dir, 'host.json'), (h) => {
        h.delivery = { maxAttempts: 20, backoffMs: 20 };
        const routed = {
          '*': {
            ...target,
            routingApi: `${standIn.base}/routing`,
            routingKeys: `${standIn.base}/portal/jwks.json`,
            trustAnchors: ['test-root.pem'],
            revocation: 'off',
          },
        };
        const tenants = h.tenants as Record<string, Record<string, unknown>>;
        tenants['stadt-musterstadt']!.delivery = routed;
        // Lindenau (AGS 09999123): the Routing API knows no destination for it.
        tenants['gemeinde-lindenau'] = { ...tenants['gemeinde-lindenau'], delivery: routed };
      });
    });
    host = await startHost({ configDir, env: { OZG_FIT_CONNECT_EVENTS_SECONDS: '1' } });
  });
  after(async () => {
    await host.stop();
    await standIn.close();
  });

  const authority = async (vn: string) => {
    const res = await operator(host.base, `stadt-musterstadt/submissions/${vn}`, demoToken('stadt-musterstadt'));
    return ((await res.json()) as { deliveryDetails: Array<Record<string, unknown>> }).deliveryDetails.find((d) => d.target === 'authority')!;
  };
  const codes = new Map<string, string>();
  const send = async () => {
    const answer = (await (await post(host.base, hundeanmeldung())).json()) as { vorgangsnummer: string; status: { code: string } };
    codes.set(answer.vorgangsnummer, answer.status.code);
    return answer.vorgangsnummer;
  };
  /** What the citizen is told with the code from the receipt. */
  const citizenSees = async (vn: string) =>
    (await (
      await fetch(`${host.base}/api/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ vorgangsnummer: vn, code: codes.get(vn) }),
      })
    ).json()) as { state: string; message: Record<string, string> };
  const deliveredOrFailed = (vn: string, from = 0) =>
    host.waitForLog((l) => l.vorgangsnummer === vn && l.target === 'authority' && (l.msg === 'delivered' || l.msg === 'delivery failed'), from);

  it('routes by ARS + LeiKa, checks the key chain, sends metadata 1.2.0; the authority accepts through the event log', async () => {
    const vn = await send();
    assert.equal((await deliveredOrFailed(vn)).msg, 'delivered');
    assert.ok(
      standIn.calls.some((c) => c.startsWith('GET /routing/routes')),
      'asked the Routing API',
    );
    const d = await authority(vn);
    const record = standIn.submissions.get(d.reference as string)!;
    assert.deepEqual(record.problems, []);
    const metadata = record.metadata as Record<string, any>;
    assert.equal(metadata.$schema, 'https://schema.fitko.de/fit-connect/metadata/1.2.0/metadata.schema.json');
    assert.deepEqual(metadata.publicServiceType, { name: 'Hund zur Hundesteuer anmelden', identifier: 'urn:de:fim:leika:leistung:99108008000000' });
    assert.deepEqual(metadata.replyChannel, { eMail: { address: 'erika@example.org' } });
    assert.equal(metadata.additionalReferenceInfo.senderReference, vn);
    assert.deepEqual(metadataProblems(metadata), []);
    assert.deepEqual(
      metadata.contentStructure.attachments.map((a: { purpose: string }) => a.purpose),
      ['form'],
    );

    const since = host.logs.length;
    await standIn.decide(d.reference as string, 'accept');
    await host.waitForLog((l) => l.vorgangsnummer === vn && l.msg === 'the authority accepted the application', since);
    const after = await authority(vn);
    assert.equal(after.outcome, 'accepted');
    const told = await citizenSees(vn);
    assert.equal(told.state, 'accepted');
    assert.match(told.message.de!, /^Angenommen/);
    assert.match(told.message.ar!, /تم القبول/);
  });

  it('records a rejection with its reason in the operator API and the dead list; a forged event is ignored', async () => {
    const vn = await send();
    assert.equal((await deliveredOrFailed(vn)).msg, 'delivered');
    const { reference } = await authority(vn);
    assert.equal((await citizenSees(vn)).state, 'delivered');
    const since = host.logs.length;
    await standIn.decide(reference as string, 'accept', true);
    await host.waitForLog((l) => l.msg === 'FIT-Connect event ignored: its signature or claims do not verify', since);
    assert.equal((await authority(vn)).outcome, undefined, 'a forged acceptance changes nothing');
    await standIn.decide(reference as string, 'reject');
    const line = await host.waitForLog((l) => l.vorgangsnummer === vn && l.msg === 'the authority rejected the application', since);
    assert.equal(line.level, 50, 'an error, like a dead delivery');
    const d = await authority(vn);
    assert.equal(d.outcome, 'rejected');
    assert.match(String(d.outcomeDetail), /Fachdaten unvollständig: Die Rasse des Hundes fehlt/);
    const dead = (await (await operator(host.base, 'stadt-musterstadt/deliveries/dead', demoToken('stadt-musterstadt'))).json()) as {
      deliveries: Array<{ vorgangsnummer: string; outcome?: string }>;
    };
    assert.ok(dead.deliveries.some((x) => x.vorgangsnummer === vn && x.outcome === 'rejected'));
    const told = await citizenSees(vn);
    assert.equal(told.state, 'rejected');
    assert.match(told.message.en!, /^Rejected: /);
  });

  it('holds the delivery with the reason when the key does not chain to the trust anchor, is for signing only, or has expired', async () => {
    const stranger = await ca('Unbekannte CA');
    const cases: Array<[string[], RegExp]> = [
      [[der(await leaf(stranger, standIn.publicKey as CryptoKey)), der(stranger.cert)], /does not lead to a trusted root/],
      [
        [der(await leaf(root, standIn.publicKey as CryptoKey, { usage: KeyUsageFlags.digitalSignature })), der(root.cert)],
        /not for key encipherment/,
      ],
      [[der(await leaf(root, standIn.publicKey as CryptoKey, { notAfter: new Date(Date.now() - DAY) })), der(root.cert)], /is not valid now/],
    ];
    const good = [der(await leaf(root, standIn.publicKey as CryptoKey)), der(root.cert)];
    for (const [chain, reason] of cases) {
      standIn.setChain(chain);
      const vn = await send();
      const line = await deliveredOrFailed(vn);
      assert.equal(line.msg, 'delivery failed');
      assert.match(String(line.error), reason);
      assert.equal((await authority(vn)).state, 'pending', 'held, tried again later');
      await operator(host.base, `stadt-musterstadt/submissions/${vn}`, demoToken('stadt-musterstadt'), { method: 'DELETE' });
    }
    standIn.setChain(good);
  });

  it('refuses a data schema the destination does not accept, at once (dead, with the accepted ones named)', async () => {
    const services = standIn.destinationExtras.services;
    standIn.destinationExtras.services = [
      { identifier: 'urn:de:fim:leika:leistung:99108008000000', submissionSchemas: [{ schemaUri: 'urn:xoev-de:other#hund' }] },
    ];
    try {
      const vn = await send();
      const line = await deliveredOrFailed(vn);
      assert.equal(line.dead, true);
      assert.match(String(line.error), /accepts the data schemas urn:xoev-de:other#hund .*not https:\/\/example\.org/);
    } finally {
      standIn.destinationExtras.services = services;
    }
  });

  it('says at start which tenant and service have no destination (log and /api/ready), not weeks later as a dead letter', async () => {
    const line = await host.waitForLog((l) => String(l.msg).startsWith('config refused: no FIT-Connect destination'));
    assert.equal(line.tenant, 'gemeinde-lindenau');
    assert.equal(line.level, 50);
    assert.match(String(line.error), /no destination for 99108008000000 in 09999123/);
    const ready = (await (await fetch(`${host.base}/api/ready`)).json()) as { deliveryProblems: Array<{ tenant: string; service: string }> };
    assert.ok(ready.deliveryProblems.length > 0);
    assert.ok(
      ready.deliveryProblems.every((p) => p.tenant === 'gemeinde-lindenau'),
      JSON.stringify(ready.deliveryProblems),
    );
  });

  it('refuses a route whose destinationSignature is not the portal’s', async () => {
    standIn.routesByArs.set('099990010002', { destinationId: FIT_CREDENTIALS.destinationId, forged: true });
    const { checkDestinationSignature, findRoute, forgetRoutes } = await import('../src/delivery/fit-connect-routing.js');
    forgetRoutes();
    const q = {
      routingApi: `${standIn.base}/routing`,
      routingKeys: `${standIn.base}/portal/jwks.json`,
      submissionApi: `${standIn.base}/v1`,
      leikaKey: '99108008000000',
    };
    await assert.rejects(findRoute({ ...q, ars: '099990010002' }), /destination signature does not verify/);
    const route = await findRoute({ ...q, ars: '099990010001' });
    assert.equal(route.destinationId, FIT_CREDENTIALS.destinationId);
    // A valid signature for another destination or another area is no route either.
    const res = (await (await fetch(`${standIn.base}/routing/routes?ars=099990010001&leikaKey=99108008000000`)).json()) as {
      routes: Array<{ destinationSignature: string }>;
    };
    await assert.rejects(
      checkDestinationSignature(res.routes[0]!.destinationSignature, 'another-destination', { ...q, ars: '099990010001' }),
      /another destination/,
    );
    await assert.rejects(
      checkDestinationSignature(res.routes[0]!.destinationSignature, FIT_CREDENTIALS.destinationId, { ...q, ars: '091620000000' }),
      /does not name/,
    );
  });

  it(
    'the application PDF: the logo, Vorgangsnummer, every answer, fonts embedded (pdfimages, pdftotext, pdffonts)',
    { skip: !pdftotext && 'pdftotext (poppler-utils) is not installed' },
    async () => {
      const vn = await send();
      const res = await operator(host.base, `stadt-musterstadt/submissions/${vn}/pdf`, demoToken('stadt-musterstadt'));
      assert.equal(res.status, 200);
      const file = join(host.dataDir, `${vn}.pdf`);
      writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      assert.match(text, new RegExp(vn));
      assert.match(text, /Hund zur Hundesteuer anmelden/);
      for (const answer of ['Erika', 'Mustermann', 'erika@example.org', 'Bello']) assert.match(text, new RegExp(answer));
      // Musterstadt's logo is an SVG: drawn as an image into the PDF.
      const images = execFileSync('pdfimages', ['-list', file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
      assert.equal(images.filter((line) => /^\s*\d+\s+\d+\s+image\b/.test(line)).length, 1, images.join('\n'));
      const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
      assert.ok(fonts.length >= 1 && fonts.every((line) => /\byes\s+\S+\s+yes\b/.test(line)), fonts.join('\n'));
    },
  );
});

describe('FIT-Connect parts: metadata, revocation, the PDF in Arabic', () => {
  const submission = {
    id: '9f1b2c3d-0000-4000-8000-000000000001',
    vorgangsnummer: 'OZG-2026-ABCD-EFGH',
    tenant: 'stadt-musterstadt',
    service: 'geburtsurkunde',
    receivedAt: '2026-12-02T10:15:00.000Z',
    locale: 'ar',
    data: {},
    attachments: [],
    deliveryDetails: [],
    authentication: { provider: 'bundid', protocol: 'saml', level: 'substanziell', authenticatedAt: '2026-12-02T10:01:00.000Z', subject: 'c2Vjb25k' },
    payment: {
      state: 'paid',
      fees: {
        currency: 'EUR',
        total: 2400,
        lines: [{ id: 'urkunde', label: { de: 'Geburtsurkunde', ar: 'شهادة ميلاد' }, unit: 1200, quantity: 2, total: 2400 }],
      },
      attempts: [{ id: 'pay-1', provider: 'sandbox', state: 'paid', amount: 2400, currency: 'EUR', providerRef: 'SBX-4711' }],
    },
  } as unknown as StoredSubmission;
  const ctx = { submission, serviceTitle: 'Geburtsurkunde beantragen', publicUrl: 'https://formulare.example' } as unknown as DeliveryContext;
  const parts = {
    schemaUri: 'https://example.org/geburtsurkunde.schema.json',
    dataHash: 'a'.repeat(128),
    attachments: [
      {
        attachmentId: '5e8b7c2a-0d6f-4f7e-9c1a-3b2d1e0f9a87',
        hash: { type: 'sha512', content: 'b'.repeat(128) },
        purpose: 'form',
        mimeType: 'application/pdf',
      },
    ],
    leika: 'urn:de:fim:leika:leistung:99115005000000',
    replyAddress: 'erika@example.org',
  };

  it('production refuses a FIT-Connect target without trust anchors; development keeps it; an unreadable anchor is said', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ozg-trust-'));
    const file = join(dir, 'host.json');
    const write = (extra: Record<string, unknown>) =>
      writeFileSync(
        file,
        JSON.stringify({
          tenants: { 'stadt-musterstadt': { delivery: { hundeanmeldung: { ...fitConnectTarget('https://fit.example'), ...extra } } } },
        }),
      );
    write({});
    const production: CatalogProblem[] = [];
    const refused = loadHostConfig(file, {}, production, true);
    assert.equal(refused.tenants['stadt-musterstadt']?.delivery?.hundeanmeldung, undefined, 'no unverifiable target in production');
    assert.equal(production.length, 1);
    assert.equal(production[0]!.severity, 'error');
    assert.match(production[0]!.en, /without trustAnchors.*deliveries stay pending/);
    assert.equal(production[0]!.path, '/tenants/stadt-musterstadt/delivery/hundeanmeldung');
    const development: CatalogProblem[] = [];
    assert.equal(loadHostConfig(file, {}, development, false).tenants['stadt-musterstadt']?.delivery?.hundeanmeldung?.type, 'fit-connect');
    assert.deepEqual(development, []);
    write({ trustAnchors: ['missing-root.pem'] });
    const unreadable: CatalogProblem[] = [];
    assert.equal(loadHostConfig(file, {}, unreadable, true).tenants['stadt-musterstadt']?.delivery?.hundeanmeldung, undefined);
    assert.match(unreadable[0]!.de, /Vertrauensanker missing-root\.pem nicht lesbar/);
    writeFileSync(join(dir, 'root.pem'), '-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n');
    write({ trustAnchors: ['root.pem'] });
    const read = loadHostConfig(file, {}, [], true).tenants['stadt-musterstadt']?.delivery?.hundeanmeldung as { trustAnchors: string[] };
    assert.match(read.trustAnchors[0]!, /^-----BEGIN CERTIFICATE-----/, 'the anchor is read as PEM text');
  });

  it('chooses the newest 1.2.x the destination reads, else 1.0.0; a destination reading only others is refused for good', () => {
    assert.equal(metadataVersion(['1.0.0', '1.2.0', '1.2.3', '1.1.0']), '1.2.3');
    assert.equal(metadataVersion(undefined), '1.0.0');
    assert.equal(metadataVersion(['1.0.0']), '1.0.0');
    assert.throws(
      () => metadataVersion(['2.0.0']),
      (e: Error & { retryable?: boolean }) => e.retryable === false && /2\.0\.0 only/.test(e.message),
    );
  });

  it('1.2.0 carries the service, the sign-in, the payment and the reply channel, within the schema’s constraints; 1.0.0 none of them', () => {
    const m = buildMetadata('1.2.0', ctx, parts);
    assert.deepEqual(metadataProblems(m), []);
    assert.deepEqual(m.publicServiceType, { name: 'Geburtsurkunde beantragen', identifier: parts.leika });
    assert.deepEqual(m.replyChannel, { eMail: { address: 'erika@example.org' } });
    const payment = m.paymentInformation as Record<string, unknown>;
    assert.equal(payment.transactionReference, 'SBX-4711');
    assert.equal(payment.status, 'BOOKED');
    assert.equal(payment.grossAmount, 24);
    const [auth] = m.authenticationInformation as Array<{ type: string; content: string }>;
    const report = JSON.parse(Buffer.from(auth!.content, 'base64url').toString()) as Record<string, string>;
    assert.equal(report.levelOfAssurance, 'substanziell');
    assert.equal(report.subjectPseudonym, 'c2Vjb25k');
    const old = buildMetadata('1.0.0', ctx, parts);
    assert.deepEqual(metadataProblems(old), []);
    for (const key of ['publicServiceType', 'paymentInformation', 'authenticationInformation', 'replyChannel']) assert.ok(!(key in old), key);
  });

  it('revocation: a revoked certificate is refused; an unreachable CRL fails closed with "require" and passes with "if-reachable"', async () => {
    const root = await ca('Test-V-PKI Root');
    const { publicKey } = (await crypto.subtle.generateKey({ ...ALG, name: 'RSA-OAEP', modulusLength: 4096 }, true, [
      'encrypt',
      'decrypt',
    ])) as CryptoKeyPair;
    const n = ((await crypto.subtle.exportKey('jwk', publicKey)) as { n: string }).n;
    let crl = Buffer.alloc(0);
    const server = await listen((_req, res) => {
      res.writeHead(crl.length ? 200 : 503, { 'content-type': 'application/pkix-crl' }).end(crl);
    });
    try {
      const issue = async (serial: string, url: string) =>
        X509CertificateGenerator.create({
          serialNumber: serial,
          subject: 'CN=Ordnungsamt',
          issuer: root.cert.subject,
          notBefore: new Date(Date.now() - DAY),
          notAfter: new Date(Date.now() + DAY),
          publicKey,
          signingKey: root.keys.privateKey,
          signingAlgorithm: ALG,
          extensions: [new KeyUsagesExtension(KeyUsageFlags.keyEncipherment, true), new CRLDistributionPointsExtension([url])],
        });
      const anchors = [root.cert.toString('pem')];
      const unreachable = await issue('10', `${server.base}/root.crl`);
      const key = (cert: X509Certificate) => ({ n, x5c: [der(cert), der(root.cert)] });
      await assert.rejects(verifyDestinationKey(key(unreachable), anchors, 'require'), /no revocation list could be checked/);
      await verifyDestinationKey(key(unreachable), anchors, 'if-reachable');
      const revoked = await issue('11', `${server.base}/root2.crl`);
      const good = await issue('12', `${server.base}/root3.crl`);
      crl = Buffer.from(
        (
          await X509CrlGenerator.create({
            issuer: root.cert.subject,
            thisUpdate: new Date(Date.now() - DAY),
            nextUpdate: new Date(Date.now() + DAY),
            entries: [{ serialNumber: '11', revocationDate: new Date() }],
            signingKey: root.keys.privateKey,
            signingAlgorithm: ALG,
          })
        ).rawData,
      );
      await assert.rejects(verifyDestinationKey(key(revoked), anchors, 'require'), /is revoked/);
      await verifyDestinationKey(key(good), anchors, 'require');
      // A key other than the certificate's is never accepted, whatever the chain.
      await assert.rejects(verifyDestinationKey({ n: 'AQAB', x5c: key(good).x5c }, anchors, 'off'), /another key/);
    } finally {
      await server.close();
    }
  });

  it(
    'the PDF in Arabic: shaped text in reading order, Latin kept, fees and payment reference (pdftotext)',
    { skip: !pdftotext && 'pdftotext (poppler-utils) is not installed' },
    async () => {
      const pdf = await applicationPdf({
        locale: 'ar',
        tenantName: 'Stadt Musterstadt',
        serviceTitle: 'طلب شهادة ميلاد',
        vorgangsnummer: submission.vorgangsnummer,
        receivedAt: submission.receivedAt,
        sections: [
          {
            index: 0,
            step: { id: 'person', title: 'x', fields: ['/name'] },
            title: 'البيانات الشخصية',
            rows: [{ pointer: '/name', label: 'الاسم', answer: 'Erika Mustermann' }],
          },
        ],
        fees: submission.payment!.fees,
        paymentReference: 'SBX-4711',
        attachments: [{ filename: 'Ausweis.pdf', purpose: 'إثبات الهوية' }],
      });
      const file = join(newDataDir(), 'ar.pdf');
      writeFileSync(file, pdf);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      // (Words with the lam-alef ligature come out of pdftotext with its two letters swapped — see docs/host.md.)
      for (const expected of ['طلب شهادة', 'OZG-2026-ABCD-EFGH', 'Erika Mustermann', 'SBX-4711', 'Ausweis.pdf', '24.00', 'البيانات الشخصية'])
        assert.ok(text.includes(expected), `${expected} in\n${text}`);
    },
  );
});
