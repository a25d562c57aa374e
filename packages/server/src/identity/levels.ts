/**
 * Levels of assurance (Vertrauensniveau) and the claims a Nutzerkonto asserts, in the words of
 * each protocol: BundID speaks SAML with STORK-QAA levels and attributes named by urn:oid; an
 * OpenID provider names levels by eIDAS LoA URIs in `acr` and uses the standard claims.
 */

/** The service definition's words, weakest first. */
export const LEVELS = ['niedrig', 'substanziell', 'hoch'] as const;
export type Level = (typeof LEVELS)[number];

/** STORK-QAA levels 2/3/4 (SAML AuthnContextClassRef, BundID). */
export const STORK: Record<Level, string> = {
  niedrig: 'STORK-QAA-Level-2',
  substanziell: 'STORK-QAA-Level-3',
  hoch: 'STORK-QAA-Level-4',
};

/** eIDAS LoA URIs (OpenID Connect `acr`). */
export const EIDAS: Record<Level, string> = {
  niedrig: 'http://eidas.europa.eu/LoA/low',
  substanziell: 'http://eidas.europa.eu/LoA/substantial',
  hoch: 'http://eidas.europa.eu/LoA/high',
};

/**
 * The level a provider asserted, from either protocol's word for it. STORK-QAA-Level-1 (a bare
 * user name and password) and anything unknown is below every level a service may ask for.
 */
export function levelOf(asserted: unknown): Level | undefined {
  if (typeof asserted !== 'string') return undefined;
  for (const level of LEVELS) if (asserted === STORK[level] || asserted === EIDAS[level] || asserted === level) return level;
  return undefined;
}

/** Whether `actual` is at least `minimum`. */
export const meets = (actual: Level | undefined, minimum: Level) => actual !== undefined && LEVELS.indexOf(actual) >= LEVELS.indexOf(minimum);

/** The levels at or above `minimum` (what a request may accept). */
export const atLeast = (minimum: Level) => LEVELS.slice(LEVELS.indexOf(minimum));

/** The claims a service may prefill from, as OpenID Connect names them (address parts dotted). */
export const CLAIMS = [
  'given_name',
  'family_name',
  'birthdate',
  'email',
  'address.street_address',
  'address.postal_code',
  'address.locality',
  'address.country',
  'place_of_birth',
  'nationalities',
] as const;
export type Claim = (typeof CLAIMS)[number];
export type Claims = Partial<Record<Claim, string | string[]>>;

/**
 * BundID's attributes (AKDB interface description) by the claim they carry. The pseudonym
 * (bPK2) and the level arrive as attributes too.
 */
export const BUNDID_ATTRIBUTES: Record<Claim, string> = {
  given_name: 'urn:oid:2.5.4.42',
  family_name: 'urn:oid:2.5.4.4',
  birthdate: 'urn:oid:1.2.40.0.10.2.1.1.55',
  email: 'urn:oid:0.9.2342.19200300.100.1.3',
  'address.street_address': 'urn:oid:2.5.4.16',
  'address.postal_code': 'urn:oid:2.5.4.17',
  'address.locality': 'urn:oid:2.5.4.7',
  'address.country': 'urn:oid:1.2.40.0.10.2.1.1.225599',
  place_of_birth: 'urn:oid:1.3.6.1.5.5.7.9.2',
  nationalities: 'urn:oid:1.2.40.0.10.2.1.1.225577',
};
/** bPK2: BundID's pseudonymous, per-service-provider identifier of the person. */
export const BUNDID_PSEUDONYM = 'urn:oid:1.3.6.1.4.1.25484.494450.3';
/** The level BundID asserted (STORK-QAA-Level-n), besides the AuthnContextClassRef. */
export const BUNDID_LEVEL = 'urn:oid:1.2.40.0.10.2.1.1.261.94';

/** BundID writes dates as YYYY-MM-DD; some Länder accounts as DD.MM.YYYY: JSON Schema wants the first. */
export function isoDate(value: string): string {
  const german = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(value.trim());
  return german ? `${german[3]}-${german[2]}-${german[1]}` : value.trim();
}

/** The standard claims from an OpenID Connect ID token and userinfo (address is an object there). */
export function claimsFromOidc(source: Record<string, unknown>): Claims {
  const out: Claims = {};
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  for (const claim of CLAIMS) {
    const [head, part] = claim.split('.') as [string, string | undefined];
    const raw = part ? (source[head] as Record<string, unknown> | undefined)?.[part] : source[head];
    if (Array.isArray(raw)) {
      const list = raw.map(text).filter((v): v is string => v !== undefined);
      if (list.length) out[claim] = list;
    } else {
      const value = text(raw);
      if (value !== undefined) out[claim] = claim === 'birthdate' ? isoDate(value) : value;
    }
  }
  return out;
}

/** The standard claims from BundID's SAML attributes (by urn:oid name). */
export function claimsFromBundId(attributes: Record<string, unknown>): Claims {
  const out: Claims = {};
  for (const claim of CLAIMS) {
    const raw = attributes[BUNDID_ATTRIBUTES[claim]];
    const values = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
    if (values.length === 0) continue;
    out[claim] = claim === 'nationalities' ? values : claim === 'birthdate' ? isoDate(values[0]!) : values[0]!;
  }
  return out;
}
