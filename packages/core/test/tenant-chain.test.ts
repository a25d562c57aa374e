/**
 * The tenant resolver shared by browser, host and CLI: merges a chain parent first, and stops
 * with a named problem at a missing parent, a cycle, a chain deeper than MAX_TENANT_LAYERS and an
 * id that does not match the layer's name — the same with synchronous and asynchronous reads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_TENANT_LAYERS } from '../src/tenant.js';
import { resolveTenantChain, resolveTenantChainAsync, type LayerRead } from '../src/tenant-chain.js';

const files = (layers: Record<string, Record<string, unknown>>) => {
  const read = (id: string, file: string): LayerRead =>
    layers[id]
      ? { ok: true, value: layers[id] }
      : { ok: false, issue: { severity: 'error', file, path: '/', key: 'config.notFound', params: { url: file, status: 404 } } };
  return { fileOf: (id: string) => `tenants/${id}.json`, read };
};

describe('resolveTenantChain', () => {
  it('merges the layers parent first and records where each value came from', () => {
    const { fileOf, read } = files({
      land: { id: 'land', name: 'Land', theme: { colorPrimary: '#00509e' } },
      gemeinde: { id: 'gemeinde', name: 'Gemeinde', extends: 'land' },
    });
    const chain = resolveTenantChain('gemeinde', fileOf, read);
    assert.deepEqual(chain.issues, []);
    assert.deepEqual(chain.resolved?.chain, ['tenants/land.json', 'tenants/gemeinde.json']);
    assert.equal(chain.resolved?.config.theme?.colorPrimary, '#00509e');
    assert.equal(chain.resolved?.provenance['/theme/colorPrimary'], 'tenants/land.json');
  });

  const broken: Array<[string, Record<string, Record<string, unknown>>, string, string, string]> = [
    ['a missing parent', { g: { id: 'g', name: 'G', extends: 'x' } }, 'config.missingParent', 'tenants/g.json', '/extends'],
    ['a cycle', { a: { id: 'a', name: 'A', extends: 'b' }, b: { id: 'b', name: 'B', extends: 'a' } }, 'config.cycle', 'tenants/a.json', '/extends'],
    ['an id that is not its name', { g: { id: 'h', name: 'G' } }, 'config.idMismatch', 'tenants/g.json', '/id'],
    [
      'a chain too deep',
      Object.fromEntries(
        Array.from({ length: MAX_TENANT_LAYERS + 1 }, (_, i) => [`l${i}`, { id: `l${i}`, name: `L${i}`, ...(i ? { extends: `l${i - 1}` } : {}) }]),
      ),
      'config.tooDeep',
      `tenants/l${MAX_TENANT_LAYERS}.json`,
      '/extends',
    ],
  ];
  for (const [what, layers, key, file, path] of broken)
    it(`refuses ${what}, synchronously and asynchronously alike`, async () => {
      const start = Object.keys(layers).at(-1)!;
      const { fileOf, read } = files(layers);
      const sync = resolveTenantChain(start, fileOf, read);
      const async = await resolveTenantChainAsync(start, fileOf, async (id, f) => read(id, f));
      assert.equal(sync.resolved, undefined);
      const found = sync.issues.find((i) => i.key === key);
      assert.ok(found, JSON.stringify(sync.issues));
      assert.equal(found.severity, 'error');
      if (key !== 'config.tooDeep') assert.equal(found.file, file);
      assert.equal(found.path, path);
      assert.deepEqual(async.issues, sync.issues);
    });
});
