/**
 * The host's own configuration (host.json): per tenant the operator token (as SHA-256) and the
 * receiving authority per service. Never served. Secrets may be given as "env:NAME".
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { REPO_ROOT } from './settings.js';
import type { CatalogProblem } from './catalog.js';

export interface WebhookTarget {
  type: 'webhook';
  url: string;
  secret: string;
}

export interface FitConnectTarget {
  type: 'fit-connect';
  tokenUrl: string;
  submissionApi: string;
  clientId: string;
  clientSecret: string;
  destinationId: string;
  leikaKey: string;
  schemaUri?: string;
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

export interface HostConfig {
  delivery: { maxAttempts: number; backoffMs: number };
  tenants: Record<string, { operatorTokenSha256?: string; delivery?: Record<string, DeliveryTarget>; payment?: PaymentContracts }>;
}

const schema = JSON.parse(readFileSync(`${REPO_ROOT}/schemas/host.schema.json`, 'utf8')) as Record<string, unknown>;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

export function loadHostConfig(file: string, env: NodeJS.ProcessEnv, problems: CatalogProblem[]): HostConfig {
  const empty: HostConfig = { delivery: { maxAttempts: 8, backoffMs: 30_000 }, tenants: {} };
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
  const resolveSecrets = <T extends object>(entry: T, path: string, consequence: { de: string; en: string }): T | undefined => {
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
    return resolved as unknown as T;
  };
  for (const [tenant, entry] of Object.entries(config.tenants ?? {})) {
    const delivery: Record<string, DeliveryTarget> = {};
    for (const [service, target] of Object.entries(entry.delivery ?? {})) {
      const resolved = resolveSecrets(target, `/tenants/${tenant}/delivery/${service}`, {
        de: 'Zustellung bleibt ausstehend, bis sie gesetzt ist.',
        en: 'deliveries stay pending until it is.',
      });
      if (resolved) delivery[service] = resolved;
    }
    const payment: PaymentContracts = {};
    for (const [provider, contract] of Object.entries(entry.payment ?? {}) as Array<[keyof PaymentContracts, object]>) {
      const resolved = resolveSecrets(contract, `/tenants/${tenant}/payment/${provider}`, {
        de: 'dieser Zahlungsdienst wird nicht angeboten.',
        en: 'this payment provider is not offered.',
      });
      if (resolved) (payment as Record<string, object>)[provider] = resolved;
    }
    tenants[tenant] = { ...(entry.operatorTokenSha256 ? { operatorTokenSha256: entry.operatorTokenSha256 } : {}), delivery, payment };
  }
  return { delivery: { maxAttempts: config.delivery?.maxAttempts ?? 8, backoffMs: config.delivery?.backoffMs ?? 30_000 }, tenants };
}

/** The receiving authority of a tenant's service, if any. */
export function deliveryTarget(config: HostConfig, tenant: string, service: string): DeliveryTarget | undefined {
  const byService = config.tenants[tenant]?.delivery;
  return byService?.[service] ?? byService?.['*'];
}

/** Constant-time check of a bearer token against the tenant's stored hash. */
export function operatorTokenValid(config: HostConfig, tenant: string, token: string | undefined): boolean {
  const expected = config.tenants[tenant]?.operatorTokenSha256;
  if (!expected || !token) return false;
  const actual = createHash('sha256').update(token).digest();
  return timingSafeEqual(actual, Buffer.from(expected, 'hex'));
}
