/**
 * A local stand-in of FIT-Connect's Submission API and OAuth token endpoint, strict about the
 * documented sequence: token → destination → key → announce → upload every announced
 * attachment → submit metadata and data. It decrypts with its own private key and checks
 * every SHA-512 hash in the metadata against what it decrypted. What it received is kept
 * for the test to look at.
 */
import { createHash, randomUUID } from 'node:crypto';
import { compactDecrypt, CompactSign, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { json, listen } from './harness.js';

export interface ReceivedSubmission {
  submissionId: string;
  announced: string[];
  serviceType: { name: string; identifier: string };
  attachments: Map<string, Buffer>;
  metadata?: Record<string, unknown>;
  data?: unknown;
  headers: Array<Record<string, unknown>>;
  problems: string[];
  submitted?: boolean;
}

/** Ways the stand-in misbehaves on purpose, set by a test. */
export interface StandInFaults {
  /** Answer this many submits with 503 (the Zustelldienst is down for a while). */
  failSubmits: number;
  /** Keep attachment uploads waiting (answered when `releaseUploads` is called): a host can be killed mid-delivery. */
  holdUploads: boolean;
}

/** The sender's credentials and the destination the tests use. */
export const FIT_CREDENTIALS = {
  clientId: 'ozg-forms-sender',
  clientSecret: 'the-oauth-client-secret',
  destinationId: '5e8b7c2a-0d6f-4f7e-9c1a-3b2d1e0f9a87',
};

/** A host.json delivery target sending to the stand-in at `base` (the secret may be given as env:NAME). */
export const fitConnectTarget = (base: string, clientSecret = FIT_CREDENTIALS.clientSecret) => ({
  type: 'fit-connect',
  tokenUrl: `${base}/token`,
  submissionApi: `${base}/v1`,
  clientId: FIT_CREDENTIALS.clientId,
  clientSecret,
  destinationId: FIT_CREDENTIALS.destinationId,
  leikaKey: 'urn:de:fim:leika:leistung:99108008000000',
});

export async function fitConnectStandIn(credentials: { clientId: string; clientSecret: string; destinationId: string } = FIT_CREDENTIALS) {
  const { publicKey, privateKey } = await generateKeyPair('RSA-OAEP-256', { modulusLength: 4096, extractable: true });
  const kid = 'test-key-1';
  const jwk: Record<string, unknown> = { ...(await exportJWK(publicKey)), kid, alg: 'RSA-OAEP-256', use: 'enc', key_ops: ['wrapKey'] };
  // The authority's signature key (accept/reject events) and the Self-Service-Portal's (routes).
  const signing = await generateKeyPair('PS512', { modulusLength: 2048, extractable: true });
  const sigKid = 'sig-key-1';
  const sigJwk = { ...(await exportJWK(signing.publicKey)), kid: sigKid, alg: 'PS512', key_ops: ['verify'] };
  const portal = await generateKeyPair('PS512', { modulusLength: 2048, extractable: true });
  const portalJwk = { ...(await exportJWK(portal.publicKey)), kid: 'portal-1', alg: 'PS512', key_ops: ['verify'] };
  /** What GET /destinations/{id} adds (metadata versions, services with their data schemas, reply channels). */
  const destinationExtras: Record<string, unknown> = {};
  /** Routes by ARS: what the Routing API answers (each signed when `routes` is read). */
  const routesByArs = new Map<string, { destinationId: string; forged?: boolean; leika?: string }>();
  const eventLogs = new Map<string, string[]>();
  const caseOf = new Map<string, string>();
  const signSet = async (submissionId: string, event: string, payload: Record<string, unknown>, key: CryptoKey) =>
    new CompactSign(
      new TextEncoder().encode(
        JSON.stringify({
          $schema: 'https://schema.fitko.de/fit-connect/set-payload/1.0.0/set-payload.schema.json',
          jti: randomUUID(),
          iss: credentials.destinationId,
          iat: Math.floor(Date.now() / 1000),
          sub: `submission:${submissionId}`,
          txn: `case:${caseOf.get(submissionId)}`,
          events: { [`https://schema.fitko.de/fit-connect/events/${event}`]: payload },
        }),
      ),
    )
      .setProtectedHeader({ alg: 'PS512', kid: sigKid, typ: 'secevent+jwt' })
      .sign(key);
  const token = randomUUID();
  const submissions = new Map<string, ReceivedSubmission>();
  const calls: string[] = [];
  const faults: StandInFaults = { failSubmits: 0, holdUploads: false };
  const held: Array<() => void> = [];
  const uploadWaiters: Array<() => void> = [];
  const submittedListeners: Array<(record: ReceivedSubmission) => void> = [];
  const sha512 = (b: Buffer | string) => createHash('sha512').update(b).digest('hex');

  const decrypt = async (jwe: string, record: ReceivedSubmission, key: CryptoKey) => {
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, key);
    record.headers.push(protectedHeader as Record<string, unknown>);
    if (protectedHeader.alg !== 'RSA-OAEP-256' || protectedHeader.enc !== 'A256GCM')
      record.problems.push(`wrong JWE algorithms ${protectedHeader.alg}/${protectedHeader.enc}`);
    if (protectedHeader.kid !== kid) record.problems.push(`wrong kid ${String(protectedHeader.kid)}`);
    return Buffer.from(plaintext);
  };

  const server = await listen(async (req, res, body) => {
    const url = new URL(req.url!, 'http://x');
    calls.push(`${req.method} ${url.pathname}`);
    if (req.method === 'POST' && url.pathname === '/token') {
      const form = new URLSearchParams(body.toString());
      if (
        form.get('grant_type') !== 'client_credentials' ||
        form.get('client_id') !== credentials.clientId ||
        form.get('client_secret') !== credentials.clientSecret
      )
        return json(res, 401, { error: 'invalid_client' });
      return json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 1800 });
    }
    if (req.method === 'GET' && url.pathname === '/portal/jwks.json') return json(res, 200, { keys: [portalJwk] });
    if (req.method === 'GET' && url.pathname === '/routing/routes') {
      const route = routesByArs.get(url.searchParams.get('ars') ?? '');
      if (!route) return json(res, 200, { count: 0, offset: 0, totalCount: 0, routes: [] });
      const claims = {
        destinationId: route.destinationId,
        submissionHost: new URL(server.base).host,
        iss: 'https://portal.example',
        services: [
          {
            gebietIDs: [`urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs:${url.searchParams.get('ars')}`],
            leistungIDs: [`urn:de:fim:leika:leistung:${route.leika ?? url.searchParams.get('leikaKey')}`],
          },
        ],
        iat: Math.floor(Date.now() / 1000),
        jti: randomUUID(),
      };
      // A forged route is signed with the authority's key, not the portal's.
      const destinationSignature = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: 'PS512', kid: 'portal-1', typ: 'jwt' })
        .sign(route.forged ? signing.privateKey : portal.privateKey);
      res.setHeader('cache-control', 'max-age=600');
      return json(res, 200, {
        count: 1,
        offset: 0,
        totalCount: 1,
        routes: [{ destinationId: route.destinationId, destinationSignature, destinationName: 'Ordnungsamt' }],
      });
    }
    if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, { type: 'unauthorized' });
    const dest = `/v1/destinations/${credentials.destinationId}`;
    if (req.method === 'GET' && url.pathname === dest)
      return json(res, 200, { destinationId: credentials.destinationId, status: 'active', encryptionKid: kid, ...destinationExtras });
    if (req.method === 'GET' && url.pathname === `${dest}/keys/${kid}`) return json(res, 200, jwk);
    if (req.method === 'GET' && url.pathname === `${dest}/keys/${sigKid}`) return json(res, 200, sigJwk);
    const events = /^\/v1\/cases\/([^/]+)\/events$/.exec(url.pathname);
    if (req.method === 'GET' && events) return json(res, 200, { eventLog: eventLogs.get(events[1]!) ?? [] });
    if (req.method === 'POST' && url.pathname === '/v1/submissions') {
      const announce = JSON.parse(body.toString()) as {
        destinationId: string;
        announcedAttachments: string[];
        serviceType: ReceivedSubmission['serviceType'];
      };
      if (announce.destinationId !== credentials.destinationId) return json(res, 404, { type: 'destination-not-found' });
      const submissionId = randomUUID();
      const caseId = randomUUID();
      caseOf.set(submissionId, caseId);
      submissions.set(submissionId, {
        submissionId,
        announced: announce.announcedAttachments,
        serviceType: announce.serviceType,
        attachments: new Map(),
        headers: [],
        problems: [],
      });
      return json(res, 201, { destinationId: credentials.destinationId, submissionId, caseId });
    }
    const attachment = /^\/v1\/submissions\/([^/]+)\/attachments\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'PUT' && attachment) {
      const record = submissions.get(attachment[1]!);
      if (!record || !record.announced.includes(attachment[2]!)) return json(res, 404, { type: 'attachment-not-announced' });
      if (faults.holdUploads) {
        uploadWaiters.splice(0).forEach((w) => w());
        await new Promise<void>((release) => held.push(release));
      }
      if (req.headers['content-type'] !== 'application/jose') record.problems.push('attachment not sent as application/jose');
      record.attachments.set(attachment[2]!, await decrypt(body.toString(), record, privateKey));
      res.writeHead(204).end();
      return;
    }
    const submit = /^\/v1\/submissions\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'PUT' && submit) {
      const record = submissions.get(submit[1]!);
      if (!record) return json(res, 404, { type: 'submission-not-found' });
      if (record.submitted) return json(res, 409, { type: 'submission-already-submitted' });
      if (faults.failSubmits > 0) {
        faults.failSubmits--;
        return json(res, 503, { type: 'temporarily-unavailable' });
      }
      const { encryptedMetadata, encryptedData } = JSON.parse(body.toString()) as { encryptedMetadata: string; encryptedData: string };
      const data = await decrypt(encryptedData, record, privateKey);
      const metadata = JSON.parse((await decrypt(encryptedMetadata, record, privateKey)).toString()) as {
        contentStructure: {
          data: { hash: { type: string; content: string } };
          attachments: Array<{ attachmentId: string; hash: { content: string } }>;
        };
      };
      record.metadata = metadata as unknown as Record<string, unknown>;
      record.data = JSON.parse(data.toString());
      if (metadata.contentStructure.data.hash.content !== sha512(data)) record.problems.push('data hash does not match');
      for (const id of record.announced) {
        const uploaded = record.attachments.get(id);
        const meta = metadata.contentStructure.attachments.find((a) => a.attachmentId === id);
        if (!uploaded) record.problems.push(`attachment ${id} announced but not uploaded`);
        else if (!meta || meta.hash.content !== sha512(uploaded)) record.problems.push(`attachment ${id} hash does not match`);
      }
      if (record.problems.length) return json(res, 422, { type: 'invalid', detail: record.problems.join('; ') });
      record.submitted = true;
      json(res, 200, { submissionId: record.submissionId });
      for (const listener of submittedListeners) listener(record);
      return;
    }
    json(res, 404, { type: 'not-found' });
  });
  return {
    ...server,
    submissions,
    calls,
    faults,
    /** Resolves when an upload is being held. */
    uploadHeld: () => new Promise<void>((r) => (held.length > 0 ? r() : uploadWaiters.push(r))),
    releaseUploads: () => held.splice(0).forEach((release) => release()),
    /** The destination's encryption key (to issue its certificate in a test CA). */
    publicKey,
    /** The certificate chain published with the key (base64 DER, leaf first). */
    setChain: (x5c: string[]) => (jwk.x5c = x5c),
    destinationExtras,
    routesByArs,
    /** The authority accepts or rejects a submission: a signed event in its case's log (`forged`: signed with another key). */
    decide: async (submissionId: string, decision: 'accept' | 'reject', forged = false) => {
      const caseId = caseOf.get(submissionId)!;
      const payload =
        decision === 'reject'
          ? {
              problems: [
                {
                  type: 'https://schema.fitko.de/fit-connect/events/problems/data-schema-violation',
                  title: 'Fachdaten unvollständig',
                  detail: 'Die Rasse des Hundes fehlt.',
                },
              ],
            }
          : { problems: [] };
      const set = await signSet(submissionId, `${decision}-submission`, payload, forged ? portal.privateKey : signing.privateKey);
      eventLogs.set(caseId, [...(eventLogs.get(caseId) ?? []), set]);
    },
    /** Calls `listener` after every completed submission. */
    onSubmitted: (listener: (record: ReceivedSubmission) => void) => submittedListeners.push(listener),
  };
}
