/**
 * The host's own configuration (host.json): per tenant the operator token (as SHA-256) and the
 * receiving authority per service. Never served. Secrets may be given as "env:NAME".
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { isLoopback, REPO_ROOT } from './settings.js';
import type { CatalogProblem } from './catalog.js';

/** How a target's failed deliveries are retried (host.json `delivery`, per target `retry`). */
export interface RetryPolicy {
  /** Delay before the first retry; doubles with every attempt (with jitter). */
  backoffMs: number;
  /** The longest delay between two tries. */
  maxDelayMs: number;
  /** A delivery still failing this long after the application arrived is dead-lettered. */
  giveUpAfterMs: number;
  /** Optionally, dead-lettered after this many attempts already. */
  maxAttempts?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { backoffMs: 30_000, maxDelayMs: 6 * 3_600_000, giveUpAfterMs: 7 * 86_400_000 };

export interface WebhookTarget {
  type: 'webhook';
  url: string;
  secret: string;
  retry?: Partial<RetryPolicy>;
}

export interface FitConnectTarget {
  type: 'fit-connect';
  tokenUrl: string;
  submissionApi: string;
  clientId: string;
  clientSecret: string;
  /** A pinned destination; without one, `routingApi` finds it by the tenant's ARS/AGS and `leikaKey`. */
  destinationId?: string;
  routingApi?: string;
  /** JWKS URL of the keys that sign destinations (the routing answer's destinationSignature). */
  routingKeys?: string;
  leikaKey: string;
  schemaUri?: string;
  /** Root certificates (PEM, read from the files host.json names) the destination's key must chain to. */
  trustAnchors?: string[];
  revocation?: 'require' | 'if-reachable' | 'off';
  retry?: Partial<RetryPolicy>;
}

export type DeliveryTarget = WebhookTarget | FitConnectTarget;

export interface GiroCheckoutContract {
  apiUrl: string;
  merchantId: string;
  projectId: string;
  secret: string;
}

/** A tenant's payment contracts by provider id (secrets resolved). */
export interface PaymentContracts {
  sandbox?: Record<string, never>;
  girocheckout?: GiroCheckoutContract;
}

export interface OperatorToken {
  /** Who holds it ("Fachverfahren Ordnungsamt"): what the audit trail names, never the token. */
  label: string;
  sha256: string;
}

export interface TenantHostConfig {
  /** `operatorTokenSha256` (label "default") and every `operatorTokens` entry. */
  operatorTokens: OperatorToken[];
  delivery?: Record<string, DeliveryTarget>;
  payment?: PaymentContracts;
  /** Days a delivered application is kept after confirmed delivery (default: OZG_RETENTION_DAYS). */
  retentionDays?: number;
}

/** Text per language (the button's "Mit {label} anmelden"). */
export type ProviderLabel = Record<string, string>;

export interface OidcProviderConfig {
  type: 'oidc';
  label?: ProviderLabel;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

export interface SamlProviderConfig {
  type: 'saml';
  label?: ProviderLabel;
  entryPoint: string;
  idpCert: string;
  spCert: string;
  spKey: string;
  issuer: string;
  idpIssuer?: string;
  bundid?: boolean;
}

/** The embedded demo provider of that protocol (npm start; refused in production). */
export interface DemoProviderConfig {
  type: 'oidc' | 'saml';
  label?: ProviderLabel;
  demo: true;
}

export type IdentityProviderConfig = OidcProviderConfig | SamlProviderConfig | DemoProviderConfig;

/** Staff sign-in to the console through the organisation's OpenID provider (secrets resolved). */
export interface ConsoleOidcConfig {
  label?: ProviderLabel;
  issuer: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

export interface HostConfig {
  delivery: RetryPolicy;
  tenants: Record<string, TenantHostConfig>;
  /** Identity providers citizens sign in with, by id (secrets resolved). */
  identityProviders: Record<string, IdentityProviderConfig>;
  /** The console's staff sign-in through an OpenID provider, when configured. */
  consoleOidc?: ConsoleOidcConfig;
}

/**
 * An address the host may call (webhook, FIT-Connect, payment API): https, or http to this
 * machine only. Anything else would carry applications or secrets in clear text.
 */
export function outboundUrlProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `"${raw}" is not an absolute URL`;
  }
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url)) return undefined;
  return `"${raw}" must be https:// (http:// only to localhost)`;
}

/** The URL-valued settings of a delivery target or payment contract, by key. */
const OUTBOUND_KEYS = ['url', 'tokenUrl', 'submissionApi', 'apiUrl', 'routingApi', 'routingKeys'];

const schema = JSON.parse(readFileSync(`${REPO_ROOT}/schemas/host.schema.json`, 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

export function loadHostConfig(file: string, env: NodeJS.ProcessEnv, problems: CatalogProblem[], production = false): HostConfig {
  const empty: HostConfig = { delivery: DEFAULT_RETRY, tenants: {}, identityProviders: {} };
  if (!existsSync(file)) return empty;
  const name = relative(process.cwd(), file) || file;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push({
      file: name,
      path: '/',
      severity: 'error',
      de: `Kein gültiges JSON: ${(err as Error).message}`,
      en: `Not valid JSON: ${(err as Error).message}`,
    });
    return empty;
  }
  if (!validate(raw)) {
    for (const e of validate.errors ?? [])
      problems.push({
        file: name,
        path: e.instancePath || '/',
        severity: 'error',
        de: `Ungültig: ${e.message ?? e.keyword}`,
        en: `Invalid: ${e.message ?? e.keyword}`,
      });
    return empty;
  }
  const config = raw as Partial<HostConfig>;
  const tenants: HostConfig['tenants'] = {};
  /** A copy with "env:NAME" values read from the environment; undefined (and a problem) when one is not set. */
  const resolveSecrets = <T extends object>(
    entry: T,
    path: string,
    consequence: { de: string; en: string },
    outbound = OUTBOUND_KEYS,
  ): T | undefined => {
    const resolved = { ...entry } as unknown as Record<string, unknown>;
    for (const [k, v] of Object.entries(resolved)) {
      if (typeof v !== 'string' || !v.startsWith('env:')) continue;
      const value = env[v.slice(4)];
      if (value === undefined || value === '') {
        problems.push({
          file: name,
          path,
          severity: 'error',
          de: `Umgebungsvariable ${v.slice(4)} fehlt; ${consequence.de}`,
          en: `Environment variable ${v.slice(4)} is not set; ${consequence.en}`,
        });
        return undefined;
      }
      resolved[k] = value;
    }
    for (const key of outbound) {
      const value = resolved[key];
      const problem = typeof value === 'string' ? outboundUrlProblem(value) : undefined;
      if (!problem) continue;
      problems.push({
        file: name,
        path: `${path}/${key}`,
        severity: 'error',
        de: `Unsichere Adresse: ${problem}; ${consequence.de}`,
        en: `Unsafe address: ${problem}; ${consequence.en}`,
      });
      return undefined;
    }
    return resolved as unknown as T;
  };
  /** The target with its trust anchors read (PEM text); undefined (and a problem) when they cannot be, or production has none. */
  const fitConnectTrust = (target: FitConnectTarget, dir: string, path: string, production: boolean): FitConnectTarget | undefined => {
    const problem = (de: string, en: string) => {
      problems.push({ file: name, path, severity: 'error', de: `${de}; Zustellung bleibt ausstehend.`, en: `${en}; deliveries stay pending.` });
      return undefined;
    };
    if (!target.trustAnchors)
      return production
        ? problem(
            'FIT-Connect ohne trustAnchors: der Schlüssel des Zustellpunkts ließe sich nicht prüfen (V-PKI-Wurzelzertifikat angeben)',
            "FIT-Connect without trustAnchors: the destination's key could not be verified (name the V-PKI root certificate)",
          )
        : target;
    const pems: string[] = [];
    for (const anchor of target.trustAnchors) {
      try {
        pems.push(readFileSync(resolve(dir, anchor), 'utf8'));
      } catch (err) {
        return problem(
          `Vertrauensanker ${anchor} nicht lesbar (${(err as Error).message})`,
          `trust anchor ${anchor} unreadable (${(err as Error).message})`,
        );
      }
    }
    return { ...target, trustAnchors: pems };
  };
  for (const [tenant, entry] of Object.entries(config.tenants ?? {})) {
    const delivery: Record<string, DeliveryTarget> = {};
    for (const [service, target] of Object.entries(entry.delivery ?? {})) {
      const resolved = resolveSecrets(target, `/tenants/${tenant}/delivery/${service}`, {
        de: 'Zustellung bleibt ausstehend, bis sie gesetzt ist.',
        en: 'deliveries stay pending until it is.',
      });
      if (resolved?.type === 'fit-connect') {
        const trusted = fitConnectTrust(resolved, dirname(file), `/tenants/${tenant}/delivery/${service}`, production);
        if (trusted) delivery[service] = trusted;
      } else if (resolved) delivery[service] = resolved;
    }
    const payment: PaymentContracts = {};
    for (const [provider, contract] of Object.entries(entry.payment ?? {}) as Array<[keyof PaymentContracts, object]>) {
      const resolved = resolveSecrets(contract, `/tenants/${tenant}/payment/${provider}`, {
        de: 'dieser Zahlungsdienst wird nicht angeboten.',
        en: 'this payment provider is not offered.',
      });
      if (resolved) (payment as Record<string, object>)[provider] = resolved;
    }
    const raw = entry as { operatorTokenSha256?: string; operatorTokens?: OperatorToken[] };
    tenants[tenant] = {
      operatorTokens: [...(raw.operatorTokenSha256 ? [{ label: 'default', sha256: raw.operatorTokenSha256 }] : []), ...(raw.operatorTokens ?? [])],
      delivery,
      payment,
      ...(entry.retentionDays !== undefined ? { retentionDays: entry.retentionDays } : {}),
    };
  }
  const identityProviders: Record<string, IdentityProviderConfig> = {};
  const providers = (raw as { identity?: { providers?: Record<string, IdentityProviderConfig> } }).identity?.providers ?? {};
  for (const [id, provider] of Object.entries(providers)) {
    // A SAML provider's `issuer` is the host's own entity id (a name), not an address it calls.
    const resolved = resolveSecrets(
      provider,
      `/identity/providers/${id}`,
      { de: 'dieser Anmeldedienst wird nicht angeboten.', en: 'this identity provider is not offered.' },
      'demo' in provider ? [] : provider.type === 'oidc' ? ['issuer'] : ['entryPoint'],
    );
    if (resolved) identityProviders[id] = resolved;
  }
  const staff = (raw as { console?: { oidc?: ConsoleOidcConfig } }).console?.oidc;
  const consoleOidc = staff
    ? resolveSecrets(staff, '/console/oidc', { de: 'die Konsole bietet die Anmeldung darüber nicht an.', en: 'the console does not offer it.' }, [
        'issuer',
      ])
    : undefined;
  return {
    delivery: { ...DEFAULT_RETRY, ...(config.delivery as Partial<RetryPolicy> | undefined) },
    tenants,
    identityProviders,
    ...(consoleOidc ? { consoleOidc } : {}),
  };
}

/** The retry policy of a delivery: the host's, with the target's own `retry` over it. */
export const retryPolicy = (config: HostConfig, target: DeliveryTarget | undefined): RetryPolicy => ({ ...config.delivery, ...target?.retry });

/** The receiving authority of a tenant's service, if any. */
export function deliveryTarget(config: HostConfig, tenant: string, service: string): DeliveryTarget | undefined {
  const byService = config.tenants[tenant]?.delivery;
  return byService?.[service] ?? byService?.['*'];
}

/**
 * Estimated entropy of a token in bits: its length times log2 of the smallest character set that
 * holds it (hex, base64url, printable ASCII). A generous upper bound for random tokens; a
 * word like "demo-stadt-musterstadt" is refused by it only when short, hence also `isDemoToken`.
 */
export function tokenEntropyBits(token: string): number {
  const alphabet = /^[0-9a-f]+$/i.test(token) ? 16 : /^[A-Za-z0-9_-]+$/.test(token) ? 64 : 95;
  return token.length * Math.log2(alphabet);
}

/** At least 128 bits: what `ozg-forms-host token` prints has 256. */
export const MIN_TOKEN_BITS = 128;

/** The example operator tokens ("demo-<tenant>"), by their SHA-256: refused in production. */
export const isDemoTokenHash = (tenant: string, sha256: string) => createHash('sha256').update(`demo-${tenant}`).digest('hex') === sha256;

/**
 * The label of the tenant's operator token that `token` is (constant-time against each stored
 * hash), or undefined. In production a token of less than 128 bits is never valid.
 */
export function operatorTokenLabel(config: HostConfig, tenant: string, token: string | undefined, production = false): string | undefined {
  const tokens = config.tenants[tenant]?.operatorTokens ?? [];
  if (tokens.length === 0 || !token) return undefined;
  if (production && tokenEntropyBits(token) < MIN_TOKEN_BITS) return undefined;
  const actual = createHash('sha256').update(token).digest();
  let label: string | undefined;
  for (const t of tokens) if (timingSafeEqual(actual, Buffer.from(t.sha256, 'hex'))) label ??= t.label;
  return label;
}

/**
 * What keeps a host from going live (production mode): the example operator tokens and the
 * sandbox payment provider. Empty when it may start.
 */
export function demoCredentials(config: HostConfig): string[] {
  const found: string[] = [];
  for (const [tenant, entry] of Object.entries(config.tenants)) {
    for (const t of entry.operatorTokens)
      if (isDemoTokenHash(tenant, t.sha256)) found.push(`tenant "${tenant}": the example operator token (demo-${tenant}) is configured`);
    if (entry.payment?.sandbox)
      found.push(`tenant "${tenant}": the sandbox payment provider is configured (no money moves, applications are released)`);
  }
  for (const [id, provider] of Object.entries(config.identityProviders))
    if ('demo' in provider) found.push(`identity provider "${id}": the embedded demo provider signs anyone in with made-up identities`);
  return found;
}
