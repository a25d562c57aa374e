/**
 * SAML 2.0 (BundID) with @node-saml/node-saml: a signed AuthnRequest (HTTP-Redirect) with the
 * requested level (RequestedAuthnContext, comparison "minimum") and BundID's AKDB extension
 * naming the attributes; the answer by HTTP-POST to the ACS, signed assertions required,
 * encrypted ones decrypted, audience, recipient, InResponseTo and times checked by the library.
 */
import { randomBytes } from 'node:crypto';
import { SAML, SamlStatusError, ValidateInResponseTo, type CacheProvider, type Profile } from '@node-saml/node-saml';
import { BUNDID_ATTRIBUTES, BUNDID_LEVEL, BUNDID_PSEUDONYM, claimsFromBundId, levelOf, STORK, type Level } from './levels.js';
import type { Asserted, ProtocolAdapter } from './protocol.js';
import type { Store } from '../store.js';
import type { SamlProviderConfig } from '../host-config.js';

/** A SAML provider's settings from host.json (secrets resolved). */
export type SamlSettings = Omit<SamlProviderConfig, 'type' | 'label'>;

/** How long a request may stay unanswered (the citizen signs in meanwhile). */
const REQUEST_LIFETIME_MS = 15 * 60_000;

/** The AKDB extension BundID reads: which attributes the service wants (bPK2 required). */
function akdbExtension() {
  return {
    'akdb:AuthenticationRequest': {
      '@xmlns:akdb': 'https://www.akdb.de/request/2018/09',
      '@Version': '2',
      'akdb:RequestedAttributes': {
        'akdb:RequestedAttribute': [
          { '@Name': BUNDID_PSEUDONYM, '@RequiredAttribute': 'true' },
          ...Object.values(BUNDID_ATTRIBUTES).map((name) => ({ '@Name': name, '@RequiredAttribute': 'false' })),
        ],
      },
    },
  };
}

/** node-saml's memory of request ids (InResponseTo), in the database so every host knows them. */
function storeCache(store: Store): CacheProvider {
  const key = (id: string) => `saml-request:${id}`;
  return {
    async saveAsync(id, value) {
      await store.putLoginState(key(id), { value }, new Date(Date.now() + REQUEST_LIFETIME_MS).toISOString());
      return { value, createdAt: Date.now() };
    },
    async getAsync(id) {
      const found = await store.loginState(key(id), new Date().toISOString());
      return typeof found?.value === 'string' ? found.value : null;
    },
    async removeAsync(id) {
      const found = await store.takeLoginState(key(id ?? ''), new Date().toISOString());
      return typeof found?.value === 'string' ? found.value : null;
    },
  } as CacheProvider;
}

export class SamlAdapter implements ProtocolAdapter {
  readonly protocol = 'saml';
  readonly #cache: CacheProvider;

  constructor(
    private readonly s: SamlSettings,
    private readonly acsUrl: () => string,
    store: Store,
  ) {
    this.#cache = storeCache(store);
  }

  private saml(level: Level, extra: { requestId?: string; forceAuthn?: boolean } = {}) {
    return new SAML({
      entryPoint: this.s.entryPoint,
      issuer: this.s.issuer,
      callbackUrl: this.acsUrl(),
      idpCert: this.s.idpCert,
      ...(this.s.idpIssuer ? { idpIssuer: this.s.idpIssuer } : {}),
      privateKey: this.s.spKey,
      publicCert: this.s.spCert,
      decryptionPvk: this.s.spKey,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: 'sha256',
      audience: this.s.issuer,
      wantAssertionsSigned: true,
      wantAuthnResponseSigned: false,
      identifierFormat: null,
      authnContext: [STORK[level]],
      racComparison: 'minimum',
      forceAuthn: extra.forceAuthn ?? false,
      acceptedClockSkewMs: 30_000,
      maxAssertionAgeMs: REQUEST_LIFETIME_MS,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: REQUEST_LIFETIME_MS,
      cacheProvider: this.#cache,
      ...(extra.requestId ? { generateUniqueId: () => extra.requestId! } : {}),
      ...(this.s.bundid !== false ? { samlAuthnRequestExtensions: akdbExtension() } : {}),
    });
  }

  async start(flowId: string, options: { level: Level; again: boolean }) {
    const requestId = `_${randomBytes(20).toString('hex')}`;
    const url = await this.saml(options.level, { requestId, forceAuthn: options.again }).getAuthorizeUrlAsync(flowId, undefined, {});
    return { url, state: { requestId } };
  }

  /** The POSTed SAMLResponse of the flow that sent `requestId`. Throws when anything is wrong. */
  async finish(samlResponse: string, state: Record<string, unknown>): Promise<Asserted> {
    const { profile } = await this.saml('niedrig')
      .validatePostResponseAsync({ SAMLResponse: samlResponse })
      .catch((err: unknown) => {
        // The provider answered with an error status: the citizen cancelled or could not sign in.
        throw err instanceof SamlStatusError ? new SignInCancelled(err.message) : err;
      });
    if (!profile) throw new Error('no assertion in the response');
    if (profile.inResponseTo !== state.requestId) throw new Error('the response answers another request');
    const attributes = (profile.attributes ?? profile) as Record<string, unknown>;
    const subject = typeof attributes[BUNDID_PSEUDONYM] === 'string' ? (attributes[BUNDID_PSEUDONYM] as string) : profile.nameID;
    if (!subject) throw new Error('the assertion names no person');
    return {
      subject,
      level: levelOf(attributes[BUNDID_LEVEL]) ?? levelOf(authnStatementOf(profile)?.classRef),
      claims: claimsFromBundId(attributes),
      authenticatedAt: authnStatementOf(profile)?.instant ?? new Date().toISOString(),
    };
  }

  /** The origin the provider's pages (and so its POSTed answers) come from. */
  get origin(): string {
    return new URL(this.s.entryPoint).origin.toLowerCase();
  }

  /** The SP metadata an operator registers with the provider. */
  metadata(): string {
    return this.saml('substanziell').generateServiceProviderMetadata(this.s.spCert, this.s.spCert);
  }
}

/** The provider reports that no sign-in took place (cancelled, denied): the citizen is told so, not "failed". */
export class SignInCancelled extends Error {}

/** The assertion's AuthnStatement: when and how the person signed in (xml2js shape, as node-saml parses it). */
function authnStatementOf(profile: Profile): { instant?: string; classRef?: string } | undefined {
  type Statement = { $?: { AuthnInstant?: string }; AuthnContext?: Array<{ AuthnContextClassRef?: unknown[] }> };
  const assertion = profile.getAssertion?.() as { Assertion?: { AuthnStatement?: Statement[] } } | undefined;
  const statement = assertion?.Assertion?.AuthnStatement?.[0];
  if (!statement) return undefined;
  const ref = statement.AuthnContext?.[0]?.AuthnContextClassRef?.[0];
  const classRef = typeof ref === 'string' ? ref : typeof (ref as { _?: unknown })?._ === 'string' ? (ref as { _: string })._ : undefined;
  const instant = statement.$?.AuthnInstant;
  return {
    ...(instant && !Number.isNaN(Date.parse(instant)) ? { instant: new Date(instant).toISOString() } : {}),
    ...(classRef ? { classRef } : {}),
  };
}
