/**
 * One tenant resolver for the browser, the host and the CLI: follows a tenant's `extends` chain
 * layer by layer, checks each layer, and refuses what cannot be served — a parent that is
 * missing (or refused), an id that does not match its file, a cycle, a chain deeper than
 * `MAX_TENANT_LAYERS`. The walk is a generator so the same rules run with synchronous reads
 * (host and CLI read files) and asynchronous ones (the browser fetches).
 */
import { checkTenantLayer } from './config-check.js';
import { MAX_TENANT_LAYERS, mergeTenantLayers, type ConfigIssue, type ResolvedTenant, type TenantConfig, type TenantLayer } from './tenant.js';

/** A layer as read: its parsed JSON, or why it could not be read (not found, not JSON, unreachable). */
export type LayerRead = { ok: true; value: unknown } | { ok: false; issue: ConfigIssue };

export interface TenantChain {
  /** The layers that could be read, parent first. */
  layers: TenantLayer[];
  issues: ConfigIssue[];
  /** The merged tenant, when no issue is an error. */
  resolved?: ResolvedTenant;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function* walk(ref: string, fileOf: (id: string) => string): Generator<{ id: string; file: string }, TenantChain, LayerRead> {
  const layers: TenantLayer[] = [];
  const issues: ConfigIssue[] = [];
  const seen: string[] = [];
  let id: string | undefined = ref;
  let child: { file: string } | undefined;
  while (id !== undefined) {
    const file = fileOf(id);
    if (seen.includes(id)) {
      issues.push({ severity: 'error', file: child!.file, path: '/extends', key: 'config.cycle', params: { chain: [...seen, id].join(' → ') } });
      break;
    }
    if (seen.length >= MAX_TENANT_LAYERS) {
      issues.push({ severity: 'error', file: child!.file, path: '/extends', key: 'config.tooDeep', params: { max: MAX_TENANT_LAYERS } });
      break;
    }
    seen.push(id);
    const read: LayerRead = yield { id, file };
    if (!read.ok) {
      // A parent that cannot be read is the child's problem to name: its `extends` points nowhere.
      issues.push(
        child ? { severity: 'error', file: child.file, path: '/extends', key: 'config.missingParent', params: { parent: id } } : read.issue,
      );
      if (child) issues.push({ ...read.issue, severity: 'error' });
      break;
    }
    issues.push(...checkTenantLayer(read.value, file));
    const own = isObject(read.value) ? read.value.id : undefined;
    if (typeof own === 'string' && own !== id)
      issues.push({ severity: 'error', file, path: '/id', key: 'config.idMismatch', params: { id: own, expected: id } });
    layers.unshift({ file, config: read.value as TenantConfig });
    child = { file };
    id = isObject(read.value) && typeof read.value.extends === 'string' ? read.value.extends : undefined;
  }
  return { layers, issues };
}

const finish = (chain: TenantChain): TenantChain =>
  chain.issues.some((i) => i.severity === 'error') ? chain : { ...chain, resolved: mergeTenantLayers(chain.layers) };

/** Resolves tenant `id` with synchronous reads (files on disk, a map of layers). */
export function resolveTenantChain(id: string, fileOf: (id: string) => string, read: (id: string, file: string) => LayerRead): TenantChain {
  const steps = walk(id, fileOf);
  let step = steps.next();
  while (!step.done) step = steps.next(read(step.value.id, step.value.file));
  return finish(step.value);
}

/** Resolves tenant `id` with asynchronous reads (the browser fetching tenants/<id>.json). */
export async function resolveTenantChainAsync(
  id: string,
  fileOf: (id: string) => string,
  read: (id: string, file: string) => Promise<LayerRead>,
): Promise<TenantChain> {
  const steps = walk(id, fileOf);
  let step = steps.next();
  while (!step.done) step = steps.next(await read(step.value.id, step.value.file));
  return finish(step.value);
}
