/**
 * Tenant layers between the configuration folder and the database: the database serves them
 * (the console edits them there); an empty database is seeded from tenants/ at the first start;
 * `ozg-forms-host config import|export` moves them between the two, so an operator who keeps
 * configuration in git still can.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { isObject } from '@ozg-forms/core';
import { layerFile, readLayerFiles, type CatalogProblem, type LayerInput } from '../catalog.js';
import type { Store } from '../store.js';
import { assetName, assetType } from './images.js';

const idOf = (file: string) => basename(file, '.json');
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export async function layersFromDatabase(
  store: Store,
  configDir: string,
): Promise<{ layers: LayerInput[]; problems: CatalogProblem[]; seeded: string[]; differing: string[] }> {
  const files = readLayerFiles(configDir);
  let current = await store.console.currentLayers();
  const seeded: string[] = [];
  if (current.length === 0) {
    const layers = files.layers.flatMap(({ file, value }) => (isObject(value) ? [{ tenant: idOf(file), config: value }] : []));
    if (await store.console.seed(layers, 'seed', 'from tenants/ at the first start')) seeded.push(...layers.map((l) => l.tenant));
    current = await store.console.currentLayers();
  }
  const inDb = new Map(current.map((l) => [l.tenant, l.config]));
  const differing = seeded.length ? [] : files.layers.filter((f) => !same(inDb.get(idOf(f.file)), f.value)).map((f) => idOf(f.file));
  return {
    layers: current.map((l) => ({ file: layerFile(configDir, l.tenant), value: l.config })),
    problems: seeded.length ? files.problems : [],
    seeded,
    differing,
  };
}

/** Publishes every layer file of `<folder>/tenants/` that differs from the database's; answers which. */
export async function importLayers(
  store: Store,
  folder: string,
  by = 'import',
): Promise<{ published: string[]; unchanged: string[]; problems: CatalogProblem[] }> {
  const files = readLayerFiles(resolve(folder));
  const current = new Map((await store.console.currentLayers()).map((l) => [l.tenant, l]));
  const published: string[] = [];
  const unchanged: string[] = [];
  // Logos exported beside the layers (tenants/assets/<hash>.<ext>) go back in first, as they were.
  const assets = join(resolve(folder), 'tenants', 'assets');
  for (const name of existsSync(assets) ? readdirSync(assets) : []) {
    const type = assetType(name);
    if (type && /^[0-9a-f]{32}\./.test(name)) await store.console.putAsset(name.split('.')[0]!, type, readFileSync(join(assets, name)));
  }
  for (const { file, value } of files.layers) {
    const id = idOf(file);
    const now = current.get(id);
    if (!isObject(value)) continue;
    if (now && same(now.config, value)) {
      unchanged.push(id);
      continue;
    }
    if ((await store.console.publish(id, value, by, now?.version ?? 0, `imported from ${basename(folder)}/tenants/${id}.json`)) !== undefined) {
      published.push(id);
      await store.audit({ at: new Date().toISOString(), tenant: id, actor: by, action: 'import', detail: `${basename(folder)}/tenants/${id}.json` });
    }
  }
  return { published, unchanged, problems: files.problems };
}

/** Writes the published layers to `<folder>/tenants/<id>.json` and uploaded logos to `<folder>/tenants/assets/`. */
export async function exportLayers(store: Store, folder: string): Promise<string[]> {
  const dir = join(resolve(folder), 'tenants');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  const written: string[] = [];
  for (const layer of await store.console.currentLayers()) {
    writeFileSync(join(dir, `${layer.tenant}.json`), `${JSON.stringify(layer.config, null, 2)}\n`);
    written.push(layer.tenant);
  }
  for (const asset of await store.console.assets()) {
    writeFileSync(join(dir, 'assets', assetName(asset.hash, asset.mimeType)), asset.bytes);
  }
  return written;
}
