/**
 * Sign-in with a Nutzerkonto, the host's side. The citizen leaves the municipal page for the
 * provider through the host (`start`), comes back to the host (OIDC callback, SAML ACS), and the
 * host sends them back to the municipal page with a one-time code; the element exchanges it
 * (origin-checked) for the prefill values and a session token bound to this tenant and service.
 * Only hashes of code and token are stored; the session keeps what the provider asserted about
 * the prefilled answers, the level and a pseudonym — never the assertion or a token of the provider.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { isObject, resolvePointer, type Locale } from '@ozg-forms/core';
import type { ServiceDefinition } from '@ozg-forms/core';
import type { Catalog, ServiceEntry, TenantEntry } from '../catalog.js';
import type { IdentityProviderConfig } from '../host-config.js';
import { isLoopback } from '../settings.js';
import type { AuthenticationRecord, Store } from '../store.js';
import { refusal, type Refusal } from '../submissions.js';
import { meets, type Claim, type Level } from './levels.js';
import { OidcAdapter } from './oidc.js';
import type { Asserted } from './protocol.js';
import { SamlAdapter, SignInCancelled } from './saml.js';

export type LoginSettings = NonNullable<ServiceDefinition['login']>;

/** A provider as the element shows it. */
export interface OfferedProvider {
  id: string;
  protocol: 'oidc' | 'saml';
  label: Record<string, string>;
}

/** What the session remembers (server side only). */
interface SessionData {
  provider: string;
  protocol: 'oidc' | 'saml';
  tenant: string;
  service: string;
  level: Level;
  authenticatedAt: string;
  subject: string;
  /** Prefilled answers by pointer, as the provider asserted them. */
  prefill: Record<string, string | string[]>;
  readOnly: string[];
}

interface Flow {
  provider: string;
  tenant: string;
  service: string;
  returnUrl: string;
  level: Level;
  protocolState: Record<string, unknown>;
}

export interface IdentityOptions {
  store: Store;
  catalog: Catalog;
  providers: Record<string, IdentityProviderConfig>;
  publicUrl: () => string;
  log: FastifyBaseLogger;
  /** Where the embedded demo providers answer (npm start): resolves a `demo: true` entry. */
  demo?: {
    oidc: { issuer: string; clientId: string; clientSecret: string };
    saml: { entryPoint: string; idpCert: string; entityId: string; spCert: string; spKey: string };
  };
  sessionMinutes?: number;
}

const FLOW_MS = 15 * 60_000;
const CODE_MS = 2 * 60_000;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const token = () => randomBytes(32).toString('base64url');
const later = (ms: number) => new Date(Date.now() + ms).toISOString();

/** The query parameter the municipal page gets back: the code, or why there is none. */
export const RETURN_CODE = 'ozg-login';
export const RETURN_ERROR = 'ozg-login-error';

export class Identity {
  readonly adapters = new Map<string, OidcAdapter | SamlAdapter>();
  #pseudonymKey: Promise<string> | undefined;

  constructor(private readonly o: IdentityOptions) {
    for (const [id, p] of Object.entries(o.providers)) {
      const acs = () => `${o.publicUrl()}/api/login/saml/${id}/acs`;
      if ('demo' in p) {
        if (!o.demo) continue;
        if (p.type === 'oidc') this.adapters.set(id, new OidcAdapter({ ...o.demo.oidc, allowHttp: true }, () => this.callbackFor(id)));
        else
          this.adapters.set(
            id,
            new SamlAdapter(
              { ...o.demo.saml, idpIssuer: o.demo.saml.entityId, issuer: `${o.publicUrl()}/api/login/saml/${id}`, bundid: true },
              acs,
              o.store,
            ),
          );
      } else if (p.type === 'oidc')
        this.adapters.set(id, new OidcAdapter({ ...p, allowHttp: isLoopback(new URL(p.issuer)) }, () => this.callbackFor(id)));
      else this.adapters.set(id, new SamlAdapter(p, acs, o.store));
    }
  }

  /** The key pseudonyms are made with: one for all hosts, made by the first that needs it. */
  private pseudonymKey(): Promise<string> {
    this.#pseudonymKey ??= this.o.store
      .sharedSecret('login-pseudonym-key', () => randomBytes(32).toString('hex'))
      .catch((err: unknown) => {
        this.#pseudonymKey = undefined;
        throw err;
      });
    return this.#pseudonymKey;
  }

  /**
   * Whether a SAML answer posted with this Origin may be read: the provider's own page (the origin
   * of its SSO address), or none / "null" (browsers that hide it for cross-site form posts).
   */
  postsFrom(provider: string, origin: string | undefined): boolean {
    const adapter = this.adapters.get(provider);
    if (!(adapter instanceof SamlAdapter)) return false;
    return origin === undefined || origin === 'null' || origin === adapter.origin;
  }

  /** Where an OpenID provider sends the browser back: the host's own configured address, never a request's Host. */
  callbackFor(provider: string): string {
    return `${this.o.publicUrl()}/api/login/oidc/${provider}/callback`;
  }

  /** The providers a tenant offers for a service: the service's list, narrowed by the tenant, configured on this host. */
  offered(tenant: TenantEntry, service: ServiceEntry): OfferedProvider[] {
    const login = service.definition.login;
    if (!login) return [];
    const narrowed = tenant.resolved.config.services?.[service.id]?.loginProviders;
    return login.providers
      .filter((id) => (!narrowed || narrowed.includes(id)) && this.adapters.has(id))
      .map((id) => ({ id, protocol: this.adapters.get(id)!.protocol, label: this.o.providers[id]!.label ?? { de: id, en: id } }));
  }

  /** The provider's URL for a citizen who wants to sign in (a refusal when anything does not fit). */
  async start(input: { tenant: TenantEntry; service: ServiceEntry; provider: string; returnUrl: string; again: boolean }): Promise<string | Refusal> {
    const login = input.service.definition.login;
    if (!login || !this.offered(input.tenant, input.service).some((p) => p.id === input.provider))
      return refusal(422, 'login-provider', 'host.loginProvider');
    const adapter = this.adapters.get(input.provider)!;
    const flowId = token();
    const level = login.level ?? 'substanziell';
    const { url, state } = await adapter.start(flowId, { level, again: input.again });
    const flow: Flow = {
      provider: input.provider,
      tenant: input.tenant.id,
      service: input.service.id,
      returnUrl: input.returnUrl,
      level,
      protocolState: state,
    };
    await this.o.store.putLoginState(`flow:${flowId}`, flow as unknown as Record<string, unknown>, later(FLOW_MS));
    return url;
  }

  /** The OIDC provider sent the browser back: where to send it on (the municipal page, with a code or an error). */
  async finishOidc(provider: string, callback: URL): Promise<string | undefined> {
    const flowId = callback.searchParams.get('state') ?? '';
    const flow = await this.takeFlow(flowId, provider);
    if (!flow) return undefined;
    if (callback.searchParams.has('error'))
      return back(flow.returnUrl, RETURN_ERROR, callback.searchParams.get('error') === 'access_denied' ? 'cancelled' : 'failed');
    const adapter = this.adapters.get(provider);
    if (!(adapter instanceof OidcAdapter)) return undefined;
    try {
      return await this.complete(flow, await adapter.finish(callback, flowId, flow.protocolState));
    } catch (err) {
      this.o.log.warn({ provider, err: (err as Error).message }, 'sign-in refused');
      return back(flow.returnUrl, RETURN_ERROR, 'failed');
    }
  }

  /** The SAML provider POSTed its response: where to send the browser on. */
  async finishSaml(provider: string, samlResponse: string, relayState: string): Promise<string | undefined> {
    const flow = await this.takeFlow(relayState, provider);
    if (!flow) return undefined;
    const adapter = this.adapters.get(provider);
    if (!(adapter instanceof SamlAdapter)) return undefined;
    try {
      return await this.complete(flow, await adapter.finish(samlResponse, flow.protocolState));
    } catch (err) {
      this.o.log.warn({ provider, err: (err as Error).message }, 'sign-in refused');
      return back(flow.returnUrl, RETURN_ERROR, err instanceof SignInCancelled ? 'cancelled' : 'failed');
    }
  }

  private async takeFlow(flowId: string, provider: string): Promise<Flow | undefined> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(flowId)) return undefined;
    const flow = (await this.o.store.takeLoginState(`flow:${flowId}`, new Date().toISOString())) as unknown as Flow | undefined;
    return flow?.provider === provider ? flow : undefined;
  }

  private async complete(flow: Flow, asserted: Asserted): Promise<string> {
    if (!meets(asserted.level, flow.level)) {
      this.o.log.warn({ provider: flow.provider, level: asserted.level ?? 'none', required: flow.level }, 'sign-in below the required level');
      return back(back(flow.returnUrl, RETURN_ERROR, 'level'), 'ozg-login-level', asserted.level ?? 'none');
    }
    const service = this.o.catalog.services.get(flow.service);
    const prefill: Record<string, string | string[]> = {};
    const readOnly: string[] = [];
    for (const [claim, target] of Object.entries(service?.definition.login?.prefill ?? {})) {
      const value = asserted.claims[claim as Claim];
      if (value === undefined || !target) continue;
      prefill[target.pointer] = value;
      if (target.readOnly !== false) readOnly.push(target.pointer);
    }
    const data: SessionData = {
      provider: flow.provider,
      protocol: this.adapters.get(flow.provider)!.protocol,
      tenant: flow.tenant,
      service: flow.service,
      level: asserted.level!,
      authenticatedAt: asserted.authenticatedAt,
      subject: createHmac('sha256', await this.pseudonymKey())
        .update(`${flow.provider}\0${asserted.subject}`)
        .digest('base64url'),
      prefill,
      readOnly,
    };
    const code = token();
    await this.o.store.createLoginSession({
      id: randomBytes(16).toString('hex'),
      codeHash: sha256(code),
      codeExpiresAt: later(CODE_MS),
      data: data as unknown as Record<string, unknown>,
      expiresAt: later((this.o.sessionMinutes ?? 30) * 60_000),
    });
    return back(flow.returnUrl, RETURN_CODE, code);
  }

  /** The element's exchange of the one-time code: the session token and what to prefill. */
  async exchange(code: string, tenant: string, service: string) {
    const sessionToken = token();
    const found = await this.o.store.redeemLoginCode(sha256(code), sha256(sessionToken), new Date().toISOString());
    const data = found?.data as unknown as SessionData | undefined;
    if (!found || !data || data.tenant !== tenant || data.service !== service) {
      if (found) await this.o.store.endLoginSession(sha256(sessionToken));
      return refusal(401, 'login-code', 'host.loginCode');
    }
    return {
      session: sessionToken,
      expiresAt: found.expiresAt,
      provider: data.provider,
      level: data.level,
      prefill: data.prefill,
      readOnly: data.readOnly,
    };
  }

  async logout(sessionToken: string): Promise<boolean> {
    return this.o.store.endLoginSession(sha256(sessionToken));
  }

  /**
   * A submission's sign-in: undefined when the service has none and none was given; the record
   * to store; or the refusal (none, expired, another tenant or service, too low, a read-only
   * answer changed).
   */
  async check(
    service: ServiceEntry,
    tenant: TenantEntry,
    authorization: string | undefined,
    data: unknown,
  ): Promise<AuthenticationRecord | Refusal | undefined> {
    const login = service.definition.login;
    const sessionToken = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
    if (!login) return undefined;
    if (!sessionToken) return login.mode === 'required' ? refusal(401, 'login-required', 'host.loginRequired') : undefined;
    const found = await this.o.store.loginSession(sha256(sessionToken), new Date().toISOString());
    const s = found?.data as unknown as SessionData | undefined;
    if (!s || s.tenant !== tenant.id || s.service !== service.id) return refusal(401, 'login-expired', 'host.loginExpired');
    const required = login.level ?? 'substanziell';
    if (!meets(s.level, required))
      return refusal(403, 'login-level', 'host.loginLevel', (locale: Locale) => ({
        actual: levelName(s.level, locale),
        required: levelName(required, locale),
      }));
    for (const pointer of s.readOnly) {
      const sent = isObject(data) ? resolvePointer(data, pointer) : undefined;
      if (JSON.stringify(sent) !== JSON.stringify(s.prefill[pointer]))
        return refusal(422, 'login-prefill-changed', 'host.loginPrefillChanged', { pointer: pointer.slice(0, 100) }, [
          { pointer, keyword: 'readOnly', params: {}, schemaPath: '' },
        ]);
    }
    return { provider: s.provider, protocol: s.protocol, level: s.level, authenticatedAt: s.authenticatedAt, subject: s.subject };
  }
}

/** The municipal page with one more query parameter. */
function back(returnUrl: string, name: string, value: string): string {
  const url = new URL(returnUrl);
  url.searchParams.set(name, value);
  return url.href;
}

/** The levels in each language of the runtime (the element's `signIn.level.*` say the same). */
const LEVEL_NAMES: Record<Level, Record<Locale, string>> = {
  niedrig: { de: 'niedrig', en: 'low', tr: 'düşük', ar: 'منخفض', uk: 'низький', ru: 'низкий' },
  substanziell: { de: 'substanziell', en: 'substantial', tr: 'önemli', ar: 'جوهري', uk: 'суттєвий', ru: 'существенный' },
  hoch: { de: 'hoch', en: 'high', tr: 'yüksek', ar: 'مرتفع', uk: 'високий', ru: 'высокий' },
};
const levelName = (level: Level, locale: Locale) => LEVEL_NAMES[level][locale];
