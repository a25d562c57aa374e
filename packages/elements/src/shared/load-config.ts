/**
 * Loading a tenant's configuration layers and a service definition from the central host,
 * checked against their schemas. Imported on demand: a page without `tenant`/`service`
 * never loads it (nor the schema validators it brings).
 */
import { isObject, type ConfigIssue, type ResolvedTenant, type ServiceDefinition } from '@ozg-forms/core';
import { checkServiceDefinition } from '@ozg-forms/core/config-check';
import { resolveTenantChainAsync, type LayerRead } from '@ozg-forms/core/tenant-chain';
import { LoadProblem } from './load.js';

/** Fetches JSON; a failure is returned as a configuration issue naming the file. */
async function fetchJson(url: string, signal: AbortSignal): Promise<LayerRead> {
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
  // The same resolver as the host's and the CLI's: missing parents, mismatched ids, cycles, depth.
  const chain = await resolveTenantChainAsync(
    id,
    (layer) => new URL(`tenants/${encodeURIComponent(layer)}.json`, base).href,
    (_layer, file) => fetchJson(file, signal),
  );
  if (!chain.resolved) throw configProblem(chain.issues);
  return chain.resolved;
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
