/**
 * FIT-Connect sender, following FITKO's documented Submission API sequence:
 * 1. OAuth client-credentials token (the client secret stays on the host);
 * 2. the destination's encryption key (GET /destinations/{id} → encryptionKid, then its JWK);
 * 3. announce the submission with one UUID per attachment (POST /submissions);
 * 4. upload each attachment as JWE (PUT /submissions/{id}/attachments/{attachmentId});
 * 5. send metadata and data, each as JWE (PUT /submissions/{id}).
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
import type { FitConnectTarget } from '../host-config.js';
import { DeliveryError, type DeliveryContext } from './types.js';

export const METADATA_SCHEMA = 'https://schema.fitko.de/fit-connect/metadata/1.0.0/metadata.schema.json';

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
  const tokenResponse = await call(
    target.tokenUrl,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: target.clientId, client_secret: target.clientSecret }).toString(),
    },
    'token',
  );
  const token = ((await tokenResponse.json()) as { access_token?: string }).access_token;
  if (!token) throw new DeliveryError('FIT-Connect token: no access_token in the answer');
  const auth = { authorization: `Bearer ${token}` };
  const json = { ...auth, 'content-type': 'application/json' };

  const destination = (await (
    await call(`${api}/destinations/${encodeURIComponent(target.destinationId)}`, { headers: auth }, 'destination')
  ).json()) as {
    encryptionKid?: string;
  };
  if (!destination.encryptionKid) throw new DeliveryError('FIT-Connect destination: no encryptionKid');
  const kid = destination.encryptionKid;
  const jwk = (await (
    await call(`${api}/destinations/${encodeURIComponent(target.destinationId)}/keys/${encodeURIComponent(kid)}`, { headers: auth }, 'key')
  ).json()) as JWK & {
    key_ops?: string[];
  };
  if (jwk.kty !== 'RSA' || (jwk.key_ops && !jwk.key_ops.includes('wrapKey')))
    throw new DeliveryError('FIT-Connect key: the destination key is not an RSA key for wrapKey', false);
  if (Buffer.from(jwk.n ?? '', 'base64url').length * 8 < 4096) throw new DeliveryError('FIT-Connect key: shorter than 4096 bit', false);

  const s = ctx.submission;
  const earlier = ctx.progress as { submissionId?: string; attachmentIds?: string[]; uploaded?: string[] } | undefined;
  const resumed = typeof earlier?.submissionId === 'string' && earlier.attachmentIds?.length === s.attachments.length;
  const attachmentIds = resumed ? earlier.attachmentIds! : s.attachments.map(() => randomUUID());
  const uploaded = new Set(resumed ? (earlier.uploaded ?? []) : []);
  const submissionId = resumed ? earlier.submissionId! : await announce();
  async function announce() {
    const announced = (await (
      await call(
        `${api}/submissions`,
        {
          method: 'POST',
          headers: json,
          body: JSON.stringify({
            destinationId: target.destinationId,
            announcedAttachments: attachmentIds,
            serviceType: { name: ctx.serviceTitle, identifier: target.leikaKey },
          }),
        },
        'announce',
      )
    ).json()) as { submissionId?: string; caseId?: string };
    if (!announced.submissionId) throw new DeliveryError('FIT-Connect announce: no submissionId');
    // Recorded before anything else happens: from here on a retry resumes this submission.
    await ctx.saveProgress({ submissionId: announced.submissionId, attachmentIds, uploaded: [] });
    return announced.submissionId;
  }

  const attachmentsMeta = [];
  for (const [i, a] of s.attachments.entries()) {
    const content = await ctx.attachmentContent(a.id);
    if (!uploaded.has(attachmentIds[i]!)) {
      await call(
        `${api}/submissions/${submissionId}/attachments/${attachmentIds[i]}`,
        { method: 'PUT', headers: { ...auth, 'content-type': 'application/jose' }, body: await encrypt(jwk, kid, content, a.mimeType) },
        'attachment upload',
      );
      uploaded.add(attachmentIds[i]!);
      await ctx.saveProgress({ submissionId, attachmentIds, uploaded: [...uploaded] });
    }
    attachmentsMeta.push({
      attachmentId: attachmentIds[i],
      hash: { type: 'sha512', content: sha512(content) },
      purpose: 'attachment',
      filename: a.filename,
      mimeType: a.mimeType,
      description: a.purpose,
    });
  }
  const data = JSON.stringify(s.data);
  const metadata = {
    $schema: METADATA_SCHEMA,
    contentStructure: {
      data: {
        submissionSchema: { schemaUri: target.schemaUri ?? ctx.schemaUri, mimeType: 'application/json' },
        hash: { type: 'sha512', content: sha512(data) },
      },
      attachments: attachmentsMeta,
    },
    additionalReferenceInfo: { senderReference: s.vorgangsnummer, applicationDate: s.receivedAt.slice(0, 10) },
  };
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
