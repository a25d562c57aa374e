/**
 * FIT-Connect sender, following FITKO's documented Submission API sequence:
 * 0. the destination: pinned in host.json, or found through the Routing API by the tenant's ARS
 *    and the LeiKa key with its signature verified (fit-connect-routing.ts);
 * 1. OAuth client-credentials token (the client secret stays on the host);
 * 2. the destination (GET /destinations/{id}): the metadata versions it reads, the data schemas
 *    it accepts for the service (a form whose schema it does not accept is refused at once), its
 *    reply channels and encryptionKid; then the key, whose certificate chain is checked against
 *    the trust anchors (fit-connect-keys.ts) before anything is encrypted for it;
 * 3. announce the submission with one UUID per attachment (POST /submissions);
 * 4. upload each attachment as JWE (PUT /submissions/{id}/attachments/{attachmentId}) — the
 *    Nachweise and the application as PDF (`purpose: form`);
 * 5. send metadata (1.2.x where the destination reads it, with publicServiceType,
 *    authenticationInformation, paymentInformation and an e-mail reply channel; 1.0.0 otherwise)
 *    and data, each as JWE (PUT /submissions/{id}).
 * JWE: RSA-OAEP-256 key wrapping, A256GCM content encryption, compact serialisation. The
 * metadata carries contentStructure with the data schema URI and SHA-512 hashes of the
 * unencrypted data and attachments, so the authority can check nothing was changed.
 *
 * Resumable: the announced submission id and attachment ids are recorded (the delivery's
 * progress) as soon as FIT-Connect hands them out, and each upload once it is done; a retry —
 * on this host or, after a crash, on another — resumes that submission (uploads what is missing,
 * submits) instead of announcing another one. A submit answered 409 on a resumed submission
 * was already submitted by the attempt that died: it counts as delivered.
 */
import { createHash, randomUUID } from 'node:crypto';
import { CompactEncrypt, importJWK, type JWK } from 'jose';
import type { FastifyBaseLogger } from 'fastify';
import type { Catalog } from '../catalog.js';
import { deliveryTarget, type FitConnectTarget, type HostConfig } from '../host-config.js';
import { verifyDestinationKey } from './fit-connect-keys.js';
import { findRoute, leikaDigits } from './fit-connect-routing.js';
import { DeliveryError, type DeliveryContext } from './types.js';

export const metadataSchema = (version: string) => `https://schema.fitko.de/fit-connect/metadata/${version}/metadata.schema.json`;
export const METADATA_SCHEMA = metadataSchema('1.0.0');

/** The metadata version to send: the newest 1.2.x the destination lists, else 1.0.0 (what every destination reads). */
export function metadataVersion(listed: readonly string[] | undefined): string {
  const list = listed ?? [];
  const newest = list.filter((v) => /^1\.2\.\d+$/.test(v)).sort((a, b) => Number(b.split('.')[2]) - Number(a.split('.')[2]))[0];
  if (newest) return newest;
  if (list.length === 0 || list.includes('1.0.0')) return '1.0.0';
  throw new DeliveryError(`FIT-Connect destination reads metadata ${list.join(', ')} only; this host writes 1.0.0 and 1.2.x`, false);
}

interface Destination {
  destinationId?: string;
  status?: string;
  encryptionKid?: string;
  metadataVersions?: string[];
  services?: Array<{ identifier?: string; submissionSchemas?: Array<{ schemaUri?: string; mimeType?: string }> }>;
  replyChannels?: { eMail?: { usePgp?: boolean } };
}

/** An access token for the sender's client (OAuth client credentials; the secret stays on the host). */
export async function fitConnectToken(target: FitConnectTarget): Promise<string> {
  const response = await call(
    target.tokenUrl,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: target.clientId, client_secret: target.clientSecret }).toString(),
    },
    'token',
  );
  const token = ((await response.json()) as { access_token?: string }).access_token;
  if (!token) throw new DeliveryError('FIT-Connect token: no access_token in the answer');
  return token;
}

/**
 * The area FIT-Connect routes a tenant's applications by: its own ARS, else its own AGS, else
 * what it inherits (a Gemeinde with only its AGS is routed by that, not by its Kreis' ARS).
 */
export function areaOf(catalog: Catalog, tenant: string): { ars?: string; ags?: string } {
  const own = catalog.layers.get(tenant);
  const resolved = catalog.tenants.get(tenant)?.resolved.config;
  for (const config of [own, resolved]) {
    if (config?.ars) return { ars: config.ars };
    if (config?.ags) return { ags: config.ags };
  }
  return {};
}

/** The destination to send to: pinned, or routed by the tenant's ARS/AGS (checked and cached). */
export async function destinationFor(target: FitConnectTarget, area: { ars?: string; ags?: string }): Promise<string> {
  if (target.destinationId) return target.destinationId;
  if (!target.routingApi || !target.routingKeys) throw new DeliveryError('FIT-Connect: neither destinationId nor routingApi/routingKeys', false);
  const route = await findRoute({
    routingApi: target.routingApi,
    routingKeys: target.routingKeys,
    submissionApi: target.submissionApi,
    leikaKey: target.leikaKey,
    ...area,
  });
  return route.destinationId;
}

const sha512 = (data: Buffer | string) => createHash('sha512').update(data).digest('hex');

async function call(url: string, init: RequestInit, step: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new DeliveryError(`FIT-Connect ${step}: unreachable (${(err as Error).message})`);
  }
  if (!response.ok) {
    const detail = await response.text().catch(() => '');
    throw new DeliveryError(`FIT-Connect ${step}: HTTP ${response.status} ${detail.slice(0, 200)}`);
  }
  return response;
}

async function encrypt(key: JWK, kid: string, plaintext: Buffer | string, contentType: string): Promise<string> {
  // Only the key material: WebCrypto maps the JWK's key_ops "wrapKey" to a usage RSA-OAEP encryption refuses.
  const publicKey = await importJWK({ kty: key.kty, n: key.n, e: key.e }, 'RSA-OAEP-256');
  return new CompactEncrypt(typeof plaintext === 'string' ? new TextEncoder().encode(plaintext) : new Uint8Array(plaintext))
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid, cty: contentType })
    .encrypt(publicKey);
}

export async function deliverFitConnect(target: FitConnectTarget, ctx: DeliveryContext): Promise<string> {
  const api = target.submissionApi.replace(/\/+$/, '');
  const s = ctx.submission;
  const earlier = ctx.progress as
    { submissionId?: string; caseId?: string; destinationId?: string; attachmentIds?: string[]; uploaded?: string[] } | undefined;
  const destinationId = earlier?.destinationId ?? (await destinationFor(target, ctx.area));
  const token = await fitConnectToken(target);
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, 'content-type': 'application/json' };

  const destinationUrl = `${api}/destinations/${encodeURIComponent(destinationId)}`;
  const destination = (await (await call(destinationUrl, { headers: auth }, 'destination')).json()) as Destination;
  if (destination.status && destination.status !== 'active')
    throw new DeliveryError(`FIT-Connect destination ${destinationId} is ${destination.status}`);
  if (!destination.encryptionKid) throw new DeliveryError('FIT-Connect destination: no encryptionKid');
  const version = metadataVersion(destination.metadataVersions);
  const schemaUri = target.schemaUri ?? ctx.schemaUri;
  const leika = `urn:de:fim:leika:leistung:${leikaDigits(target.leikaKey)}`;
  if (destination.services) {
    const service = destination.services.find((x) => x.identifier === leika);
    if (!service) throw new DeliveryError(`FIT-Connect destination ${destinationId} does not take ${leika}`, false);
    const accepted = (service.submissionSchemas ?? []).map((x) => x.schemaUri);
    if (accepted.length && !accepted.includes(schemaUri))
      throw new DeliveryError(
        `FIT-Connect destination ${destinationId} accepts the data schemas ${accepted.join(', ')} for ${leika}, not ${schemaUri} (set schemaUri in host.json or serve the schema it accepts)`,
        false,
      );
  }
  const kid = destination.encryptionKid;
  const jwk = (await (await call(`${destinationUrl}/keys/${encodeURIComponent(kid)}`, { headers: auth }, 'key')).json()) as JWK & {
    key_ops?: string[];
    x5c?: string[];
  };
  if (jwk.kty !== 'RSA' || (jwk.key_ops && !jwk.key_ops.includes('wrapKey')))
    throw new DeliveryError('FIT-Connect key: the destination key is not an RSA key for wrapKey', false);
  if (Buffer.from(jwk.n ?? '', 'base64url').length * 8 < 4096) throw new DeliveryError('FIT-Connect key: shorter than 4096 bit', false);
  if (target.trustAnchors) await verifyDestinationKey(jwk, target.trustAnchors, target.revocation ?? 'require');

  // A submission announced before this host attached the PDF (its progress has one id per Nachweis) is resumed as announced.
  const withoutPdf = earlier?.attachmentIds?.length === s.attachments.length && typeof earlier.submissionId === 'string';
  const files = [
    ...s.attachments.map((a) => ({ id: a.id, filename: a.filename, mimeType: a.mimeType, purpose: 'attachment', description: a.purpose })),
    ...(withoutPdf
      ? []
      : [{ id: '', filename: `${s.vorgangsnummer}.pdf`, mimeType: 'application/pdf', purpose: 'form', description: ctx.serviceTitle }]),
  ];
  const resumed = typeof earlier?.submissionId === 'string' && earlier.attachmentIds?.length === files.length;
  const attachmentIds = resumed ? earlier.attachmentIds! : files.map(() => randomUUID());
  const uploaded = new Set(resumed ? (earlier.uploaded ?? []) : []);
  let caseId = resumed ? earlier.caseId : undefined;
  const submissionId = resumed ? earlier.submissionId! : await announce();
  async function announce() {
    const announced = (await (
      await call(
        `${api}/submissions`,
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({ destinationId, announcedAttachments: attachmentIds, serviceType: { name: ctx.serviceTitle, identifier: leika } }),
        },
        'announce',
      )
    ).json()) as { submissionId?: string; caseId?: string };
    if (!announced.submissionId) throw new DeliveryError('FIT-Connect announce: no submissionId');
    caseId = announced.caseId;
    // Recorded before anything else happens: from here on a retry resumes this submission.
    await ctx.saveProgress({ submissionId: announced.submissionId, caseId, destinationId, attachmentIds, uploaded: [] });
    return announced.submissionId;
  }

  const attachmentsMeta = [];
  for (const [i, f] of files.entries()) {
    const content = f.purpose === 'form' ? Buffer.from(await ctx.applicationPdf()) : await ctx.attachmentContent(f.id);
    if (!uploaded.has(attachmentIds[i]!)) {
      await call(
        `${api}/submissions/${submissionId}/attachments/${attachmentIds[i]}`,
        { method: 'PUT', headers: { ...auth, 'content-type': 'application/jose' }, body: await encrypt(jwk, kid, content, f.mimeType) },
        'attachment upload',
      );
      uploaded.add(attachmentIds[i]!);
      await ctx.saveProgress({ submissionId, caseId, destinationId, attachmentIds, uploaded: [...uploaded] });
    }
    attachmentsMeta.push({
      attachmentId: attachmentIds[i],
      hash: { type: 'sha512', content: sha512(content) },
      purpose: f.purpose,
      filename: f.filename,
      mimeType: f.mimeType,
      description: f.description,
    });
  }
  const data = JSON.stringify(s.data);
  const metadata = buildMetadata(version, ctx, {
    schemaUri,
    dataHash: sha512(data),
    attachments: attachmentsMeta,
    leika,
    ...(destination.replyChannels?.eMail && !destination.replyChannels.eMail.usePgp && ctx.replyAddress ? { replyAddress: ctx.replyAddress } : {}),
  });
  const body = JSON.stringify({
    encryptedMetadata: await encrypt(jwk, kid, JSON.stringify(metadata), 'application/json'),
    encryptedData: await encrypt(jwk, kid, data, 'application/json'),
  });
  try {
    await call(`${api}/submissions/${submissionId}`, { method: 'PUT', headers: json, body }, 'submit');
  } catch (err) {
    // The attempt that died had submitted it already.
    if (!(resumed && err instanceof DeliveryError && /HTTP 409/.test(err.message))) throw err;
  }
  return submissionId;
}

/**
 * The metadata of one submission in `version`. 1.2.x adds what the authority otherwise asks the
 * citizen again: the service (publicServiceType), how the applicant signed in
 * (authenticationInformation: the host's identification report of the sign-in, base64url JSON),
 * the payment (paymentInformation) and where to answer (replyChannel, e-mail).
 */
export function buildMetadata(
  version: string,
  ctx: DeliveryContext,
  parts: { schemaUri: string; dataHash: string; attachments: unknown[]; leika: string; replyAddress?: string },
): Record<string, unknown> {
  const s = ctx.submission;
  const metadata: Record<string, unknown> = {
    $schema: metadataSchema(version),
    contentStructure: {
      data: { submissionSchema: { schemaUri: parts.schemaUri, mimeType: 'application/json' }, hash: { type: 'sha512', content: parts.dataHash } },
      attachments: parts.attachments,
    },
    additionalReferenceInfo: { senderReference: s.vorgangsnummer, applicationDate: s.receivedAt.slice(0, 10) },
  };
  if (version === '1.0.0') return metadata;
  metadata.publicServiceType = { name: ctx.serviceTitle, identifier: parts.leika };
  if (s.authentication) {
    const report = {
      reportId: s.id,
      serverIdentity: ctx.publicUrl,
      reportTime: s.receivedAt,
      identificationTime: s.authentication.authenticatedAt,
      levelOfAssurance: s.authentication.level,
      idStatus: 'success',
      identityProvider: s.authentication.provider,
      protocol: s.authentication.protocol,
      subjectPseudonym: s.authentication.subject,
    };
    metadata.authenticationInformation = [
      { type: 'identificationReport', version: '1.0.0', content: Buffer.from(JSON.stringify(report)).toString('base64url') },
    ];
  }
  const paid = s.payment?.state === 'paid' ? s.payment.attempts.find((a) => a.state === 'paid') : undefined;
  if (paid && s.payment)
    metadata.paymentInformation = {
      transactionReference: paid.providerRef ?? paid.id,
      transactionId: paid.id,
      paymentMethod: 'OTHER',
      paymentMethodDetail: paid.provider,
      status: 'BOOKED',
      grossAmount: s.payment.fees.total / 100,
    };
  if (parts.replyAddress) metadata.replyChannel = { eMail: { address: parts.replyAddress } };
  return metadata;
}

/**
 * Finds the destination of every tenant × service that FIT-Connect routing serves, one after the
 * other (answers are cached); logs an error for each it cannot find and answers those.
 */
export async function checkRoutes(catalog: Catalog, hostConfig: HostConfig, log: FastifyBaseLogger): Promise<RouteProblem[]> {
  const problems: RouteProblem[] = [];
  for (const tenant of catalog.tenants.values())
    for (const service of catalog.services.keys()) {
      const target = deliveryTarget(hostConfig, tenant.id, service);
      if (target?.type !== 'fit-connect' || target.destinationId) continue;
      try {
        await destinationFor(target, areaOf(catalog, tenant.id));
      } catch (err) {
        const problem = { tenant: tenant.id, service, error: (err as Error).message };
        problems.push(problem);
        log.error(problem, 'config refused: no FIT-Connect destination for this tenant and service (applications to it stay pending)');
      }
    }
  return problems;
}

export interface RouteProblem {
  tenant: string;
  service: string;
  error: string;
}
