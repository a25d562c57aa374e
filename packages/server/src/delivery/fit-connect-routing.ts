/**
 * Which authority is competent: FIT-Connect's Routing API answers, for an area (the embedding
 * tenant's ARS, or its AGS) and a LeiKa key, the destination with a `destinationSignature` — a
 * JWS (PS512) by the FIT-Connect Self-Service-Portal over the destination id, the submission
 * host and the areas and services it is registered for. The host trusts a route only when that
 * signature verifies with the portal's published keys and says what the route says; the answer is
 * kept for the lifetime its Cache-Control gives (one hour without one).
 */
import { compactVerify, importJWK, type JWK } from 'jose';
import { DeliveryError } from './types.js';

export interface RouteQuery {
  routingApi: string;
  routingKeys: string;
  /** The Submission API the destination must be registered at. */
  submissionApi: string;
  leikaKey: string;
  ars?: string;
  ags?: string;
}

export interface Route {
  destinationId: string;
  destinationName?: string;
}

const routes = new Map<string, { route: Route; until: number }>();
const keySets = new Map<string, { keys: JWK[]; until: number }>();
const AREA_URN = 'urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:';
const LEIKA_URN = 'urn:de:fim:leika:leistung:';

const fail = (reason: string, retryable = true) => new DeliveryError(`FIT-Connect routing: ${reason}`, retryable);

/** Seconds of max-age in a Cache-Control header, or the default. */
function lifetime(header: string | null, fallback = 3600): number {
  const match = /max-age=(\d+)/.exec(header ?? '');
  return match ? Math.min(Number(match[1]), 86_400) : fallback;
}

async function getJson(url: string, what: string): Promise<{ body: unknown; maxAge: number }> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(15_000), headers: { accept: 'application/json' } });
  } catch (err) {
    throw fail(`${what} unreachable (${(err as Error).message})`);
  }
  if (!response.ok) throw fail(`${what}: HTTP ${response.status}`);
  return { body: await response.json(), maxAge: lifetime(response.headers.get('cache-control')) };
}

async function signingKeys(url: string, refresh = false): Promise<JWK[]> {
  const cached = keySets.get(url);
  if (cached && cached.until > Date.now() && !refresh) return cached.keys;
  const { body, maxAge } = await getJson(url, 'signing keys');
  const keys = (body as { keys?: JWK[] }).keys;
  if (!Array.isArray(keys)) throw fail('the signing keys are no JWKS');
  keySets.set(url, { keys, until: Date.now() + maxAge * 1000 });
  return keys;
}

/** The LeiKa key's 14 digits (the Routing API's `leikaKey`), from a URN or the digits. */
export const leikaDigits = (key: string) => key.replace(LEIKA_URN, '');

/** Verifies a destinationSignature for this query; answers nothing, throws what is wrong. */
export async function checkDestinationSignature(jws: string, destinationId: string, q: RouteQuery): Promise<void> {
  const kid = (() => {
    try {
      return (JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString()) as { kid?: string; alg?: string }).kid;
    } catch {
      return undefined;
    }
  })();
  let jwk = (await signingKeys(q.routingKeys)).find((k) => k.kid === kid);
  // A key rolled over since the set was read: read it again once.
  if (!jwk) jwk = (await signingKeys(q.routingKeys, true)).find((k) => k.kid === kid);
  if (!jwk) throw fail(`the destination signature's key ${String(kid)} is not among the portal's keys`, false);
  let payload: { destinationId?: string; submissionHost?: string; services?: Array<{ gebietIDs?: string[]; leistungIDs?: string[] }> };
  try {
    const key = await importJWK({ kty: jwk.kty, n: jwk.n, e: jwk.e }, 'PS512');
    const verified = await compactVerify(jws, key, { algorithms: ['PS512'] });
    payload = JSON.parse(new TextDecoder().decode(verified.payload)) as typeof payload;
  } catch (err) {
    throw fail(`the destination signature does not verify (${(err as Error).message})`, false);
  }
  if (payload.destinationId !== destinationId) throw fail('the destination signature is for another destination', false);
  if (payload.submissionHost !== new URL(q.submissionApi).host)
    throw fail(`the destination is registered at ${String(payload.submissionHost)}, not at ${new URL(q.submissionApi).host}`, false);
  const leika = `${LEIKA_URN}${leikaDigits(q.leikaKey)}`;
  const area = q.ars ? `rs:${q.ars}` : `ags:${q.ags}`;
  // The destination may be registered for a larger area (the Kreis) that holds the tenant's.
  const covers = (id: string) => {
    const [kind, key] = id.replace(AREA_URN, '').split(':');
    const [wantKind, wantKey] = area.split(':');
    return kind === wantKind && !!key && !!wantKey && wantKey.startsWith(key);
  };
  if (!payload.services?.some((s) => s.leistungIDs?.includes(leika) && s.gebietIDs?.some(covers)))
    throw fail(`the destination signature does not name ${leika} for ${area}`, false);
}

/** The destination for the query, from the cache while it lasts. */
export async function findRoute(q: RouteQuery): Promise<Route> {
  const area = q.ars ? { ars: q.ars } : q.ags ? { ags: q.ags } : undefined;
  if (!area) throw fail('the tenant has neither ARS nor AGS to route by', false);
  const cacheKey = JSON.stringify([q.routingApi, area, q.leikaKey]);
  const cached = routes.get(cacheKey);
  if (cached && cached.until > Date.now()) return cached.route;
  const url = new URL(`${q.routingApi.replace(/\/+$/, '')}/routes`);
  url.searchParams.set('leikaKey', leikaDigits(q.leikaKey));
  for (const [k, v] of Object.entries(area)) url.searchParams.set(k, v);
  const { body, maxAge } = await getJson(url.href, 'routes');
  const found = (body as { routes?: Array<{ destinationId?: string; destinationSignature?: string; destinationName?: string }> }).routes ?? [];
  if (found.length === 0) throw fail(`no destination for ${leikaDigits(q.leikaKey)} in ${Object.values(area)[0]}`, false);
  if (found.length > 1)
    throw fail(`${found.length} destinations for ${leikaDigits(q.leikaKey)} in ${Object.values(area)[0]}: pin one (destinationId)`, false);
  const [first] = found;
  if (!first?.destinationId || !first.destinationSignature) throw fail('the route has no destinationId or destinationSignature', false);
  await checkDestinationSignature(first.destinationSignature, first.destinationId, q);
  const route = { destinationId: first.destinationId, ...(first.destinationName ? { destinationName: first.destinationName } : {}) };
  routes.set(cacheKey, { route, until: Date.now() + maxAge * 1000 });
  return route;
}

/** Forgets cached routes and keys (tests). */
export function forgetRoutes() {
  routes.clear();
  keySets.clear();
}
