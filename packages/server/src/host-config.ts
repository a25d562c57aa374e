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

export interface HostConfig {
  delivery: { maxAttempts: number; backoffMs: number };
  tenants: Record<string, { operatorTokenSha256?: string; delivery?: Record<string, DeliveryTarget> }>;
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
  for (const [tenant, entry] of Object.entries(config.tenants ?? {})) {
    const delivery: Record<string, DeliveryTarget> = {};
    for (const [service, target] of Object.entries(entry.delivery ?? {})) {
      const resolved = { ...target } as unknown as Record<string, string>;
      let missing: string | undefined;
      for (const [k, v] of Object.entries(resolved)) {
        if (typeof v !== 'string' || !v.startsWith('env:')) continue;
        const value = env[v.slice(4)];
        if (value === undefined || value === '') missing = v.slice(4);
        else resolved[k] = value;
      }
      if (missing) {
        problems.push({
          file: name,
          path: `/tenants/${tenant}/delivery/${service}`,
          severity: 'error',
          de: `Umgebungsvariable ${missing} fehlt; Zustellung bleibt ausstehend, bis sie gesetzt ist.`,
          en: `Environment variable ${missing} is not set; deliveries stay pending until it is.`,
        });
        continue;
      }
      delivery[service] = resolved as unknown as DeliveryTarget;
    }
    tenants[tenant] = { ...(entry.operatorTokenSha256 ? { operatorTokenSha256: entry.operatorTokenSha256 } : {}), delivery };
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
