/**
 * Loading a tenant's configuration layers and a service definition from the central host,
 * checked against their schemas. Imported on demand: a page without `tenant`/`service`
 * never loads it (nor the schema validators it brings).
 */
import {
  isObject,
  MAX_TENANT_LAYERS,
  mergeTenantLayers,
  type ConfigIssue,
  type ResolvedTenant,
  type ServiceDefinition,
  type TenantConfig,
  type TenantLayer,
} from '@ozg-forms/core';
import { checkServiceDefinition, checkTenantLayer } from '@ozg-forms/core/config-check';
import { LoadProblem } from './load.js';

type Fetched = { ok: true; value: unknown } | { ok: false; issue: ConfigIssue };

/** Fetches JSON; a failure is returned as a configuration issue naming the file. */
async function fetchJson(url: string, signal: AbortSignal): Promise<Fetched> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { accept: 'application/json' } });
  } catch (err) {
    if (signal.aborted) throw err;
    return {
      ok: false,
      issue: {
        severity: 'error',
        file: url,
        path: '/',
        key: 'config.unreachable',
        params: { url, reason: (err as Error).message || 'network error' },
      },
    };
  }
  if (!response.ok) {
    // The central host refuses pages whose origin the tenant did not list, and says so.
    const refusal = response.status === 403 ? ((await response.json().catch(() => undefined)) as { error?: unknown } | undefined) : undefined;
    if (refusal?.error === 'origin-not-allowed')
      return { ok: false, issue: { severity: 'error', file: url, path: '/', key: 'config.originRefused', params: { origin: location.origin } } };
    return { ok: false, issue: { severity: 'error', file: url, path: '/', key: 'config.notFound', params: { url, status: response.status } } };
  }
  try {
    return { ok: true, value: JSON.parse(await response.text()) as unknown };
  } catch (err) {
    return { ok: false, issue: { severity: 'error', file: url, path: '/', key: 'config.notJson', params: { reason: (err as Error).message } } };
  }
}

const configProblem = (issues: ConfigIssue[]) =>
  new LoadProblem(
    'config.title',
    {},
    undefined,
    issues,
    issues.some((i) => i.key === 'config.unreachable' || i.key === 'config.notFound'),
  );

/**
 * Loads a tenant by id, AGS (8 digits) or ARS (12 digits) with every layer it extends,
 * checks each layer and merges them. Throws a `LoadProblem` listing every problem found.
 */
export async function loadTenant(ref: string, base: string, signal: AbortSignal): Promise<ResolvedTenant> {
  let id: string | undefined = ref;
  if (/^(\d{8}|\d{12})$/.test(ref)) {
    const indexUrl = new URL('tenants/index.json', base).href;
    const index = await fetchJson(indexUrl, signal);
    if (!index.ok) throw configProblem([index.issue]);
    const entries = isObject(index.value) && Array.isArray(index.value.tenants) ? (index.value.tenants as Array<Record<string, unknown>>) : [];
    id = entries.find((t) => t.ags === ref || t.ars === ref)?.id as string | undefined;
    if (!id) throw configProblem([{ severity: 'error', file: indexUrl, path: '/tenants', key: 'config.unknownAgs', params: { key: ref } }]);
  }
  const layers: TenantLayer[] = [];
  const seen: string[] = [];
  const issues: ConfigIssue[] = [];
  while (id) {
    const file = new URL(`tenants/${encodeURIComponent(id)}.json`, base).href;
    if (seen.includes(id)) {
      issues.push({ severity: 'error', file, path: '/extends', key: 'config.cycle', params: { chain: [...seen, id].join(' → ') } });
      break;
    }
    if (seen.length >= MAX_TENANT_LAYERS) {
      issues.push({ severity: 'error', file, path: '/extends', key: 'config.tooDeep', params: { max: MAX_TENANT_LAYERS } });
      break;
    }
    seen.push(id);
    const fetched = await fetchJson(file, signal);
    if (!fetched.ok) {
      issues.push(fetched.issue);
      break;
    }
    issues.push(...checkTenantLayer(fetched.value, file));
    const config = fetched.value as TenantConfig;
    layers.unshift({ file, config });
    id = isObject(fetched.value) && typeof fetched.value.extends === 'string' ? fetched.value.extends : undefined;
  }
  if (issues.some((i) => i.severity === 'error')) throw configProblem(issues);
  return mergeTenantLayers(layers);
}

export interface LoadedService {
  definition: ServiceDefinition;
  /** URL of the service file: `schema` and `validator` are relative to it. */
  file: string;
}

export async function loadService(id: string, base: string, signal: AbortSignal): Promise<LoadedService> {
  const file = new URL(`services/${encodeURIComponent(id)}.json`, base).href;
  const fetched = await fetchJson(file, signal);
  if (!fetched.ok) throw configProblem([fetched.issue]);
  const issues = checkServiceDefinition(fetched.value, file);
  if (issues.length) throw configProblem(issues);
  return { definition: fetched.value as ServiceDefinition, file };
}
