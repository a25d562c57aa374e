/**
 * What the authority made of a submission: FIT-Connect's event log of the case
 * (GET /cases/{caseId}/events) holds security event tokens (SET, RFC 8417; JWS with PS512). The
 * authority's `accept-submission` and `reject-submission` are signed with the destination's own
 * signature key (GET /destinations/{id}/keys/{kid}, `key_ops: verify`) and issued by the
 * destination id; a token whose signature, issuer or subject does not fit is ignored and logged.
 * The Zustelldienst's own events (create, submit) carry nothing the host acts on and are not read.
 */
import { compactVerify, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import type { FastifyBaseLogger } from 'fastify';
import { deliveryTarget, type FitConnectTarget, type HostConfig } from '../host-config.js';
import type { DeliveryOutcome, Store } from '../store.js';
import { AUTHORITY_TARGET } from './outbox.js';
import { fitConnectToken } from './fit-connect.js';
import { DeliveryError } from './types.js';

const EVENTS = 'https://schema.fitko.de/fit-connect/events/';

export interface CaseProgress {
  submissionId: string;
  caseId: string;
  destinationId: string;
}

interface SetPayload {
  iss?: string;
  sub?: string;
  txn?: string;
  iat?: number;
  events?: Record<string, { problems?: Array<{ title?: string; detail?: string; type?: string }> }>;
}

/** The authority's answer in the case's event log, if it gave one (verified), or undefined. */
export async function authorityOutcome(
  target: FitConnectTarget,
  progress: CaseProgress,
  log: FastifyBaseLogger,
): Promise<{ outcome: DeliveryOutcome; detail?: string; at: string } | undefined> {
  const api = target.submissionApi.replace(/\/+$/, '');
  const token = await fitConnectToken(target);
  const get = async (url: string) => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}` }, redirect: 'error', signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new DeliveryError(`FIT-Connect events: HTTP ${response.status} for ${new URL(url).pathname}`);
    return response.json() as Promise<unknown>;
  };
  const { eventLog } = (await get(`${api}/cases/${encodeURIComponent(progress.caseId)}/events`)) as { eventLog?: unknown };
  if (!Array.isArray(eventLog)) return undefined;
  const keys = new Map<string, JWK>();
  for (const entry of eventLog) {
    if (typeof entry !== 'string') continue;
    let header: { kid?: string; alg?: string; typ?: string };
    let claimed: SetPayload;
    try {
      header = decodeProtectedHeader(entry);
      claimed = JSON.parse(Buffer.from(entry.split('.')[1] ?? '', 'base64url').toString()) as SetPayload;
    } catch {
      continue;
    }
    const name = Object.keys(claimed.events ?? {})[0] ?? '';
    if (claimed.sub !== `submission:${progress.submissionId}`) continue;
    if (name !== `${EVENTS}accept-submission` && name !== `${EVENTS}reject-submission`) continue;
    try {
      if (header.alg !== 'PS512' || !header.kid) throw new Error(`alg ${String(header.alg)}, kid ${String(header.kid)}`);
      let jwk = keys.get(header.kid);
      if (!jwk) {
        jwk = (await get(`${api}/destinations/${encodeURIComponent(progress.destinationId)}/keys/${encodeURIComponent(header.kid)}`)) as JWK;
        if (jwk.key_ops && !jwk.key_ops.includes('verify')) throw new Error('the key is not a signature key');
        keys.set(header.kid, jwk);
      }
      const verified = await compactVerify(entry, await importJWK({ kty: jwk.kty, n: jwk.n, e: jwk.e }, 'PS512'), { algorithms: ['PS512'] });
      const payload = JSON.parse(new TextDecoder().decode(verified.payload)) as SetPayload;
      if (payload.iss !== progress.destinationId) throw new Error(`issued by ${String(payload.iss)}, not the destination`);
      if (payload.txn && payload.txn !== `case:${progress.caseId}`) throw new Error('for another case');
      const at = new Date((payload.iat ?? Date.now() / 1000) * 1000).toISOString();
      if (name.endsWith('accept-submission')) return { outcome: 'accepted', at };
      const problems = payload.events?.[name]?.problems ?? [];
      const detail = problems.map((p) => [p.title, p.detail].filter(Boolean).join(': ')).join('; ') || 'no reason given';
      return { outcome: 'rejected', detail: detail.slice(0, 1000), at };
    } catch (err) {
      log.warn(
        { submission: progress.submissionId, event: name, err: (err as Error).message },
        'FIT-Connect event ignored: its signature or claims do not verify',
      );
    }
  }
  return undefined;
}

/**
 * One round of the periodic job (one host at a time): every FIT-Connect delivery still without
 * the authority's answer, not asked within the last `everyMs`, is looked up. A rejection is logged
 * as an error and counted, as a dead delivery is: someone has to act on it.
 */
export async function checkAuthorityAnswers(o: {
  store: Store;
  hostConfig: HostConfig;
  log: FastifyBaseLogger;
  everyMs: number;
  observe?: (outcome: DeliveryOutcome) => void;
}) {
  const now = new Date();
  const due = await o.store.awaitingOutcome(AUTHORITY_TARGET, new Date(now.getTime() - o.everyMs + 1000).toISOString(), 100);
  for (const d of due) {
    const submission = await o.store.byId(d.submissionId);
    const target = submission ? deliveryTarget(o.hostConfig, submission.tenant, submission.service) : undefined;
    const p = d.progress as Partial<CaseProgress> | undefined;
    if (!submission || target?.type !== 'fit-connect' || !p?.caseId || !p.submissionId || !p.destinationId) {
      await o.store.recordOutcome(d.id, undefined, now.toISOString());
      continue;
    }
    try {
      const answer = await authorityOutcome(target, { caseId: p.caseId, submissionId: p.submissionId, destinationId: p.destinationId }, o.log);
      await o.store.recordOutcome(d.id, answer, now.toISOString());
      if (!answer) continue;
      const line = { vorgangsnummer: submission.vorgangsnummer, tenant: submission.tenant, submission: p.submissionId, detail: answer.detail };
      if (answer.outcome === 'rejected') o.log.error(line, 'the authority rejected the application');
      else o.log.info(line, 'the authority accepted the application');
      o.observe?.(answer.outcome);
    } catch (err) {
      await o.store.recordOutcome(d.id, undefined, now.toISOString());
      o.log.warn({ vorgangsnummer: submission.vorgangsnummer, err: (err as Error).message }, 'FIT-Connect event log not readable');
    }
  }
}
