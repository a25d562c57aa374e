/**
 * Files the host serves as they are, read into memory at start with their ETags: the built
 * bundle (entry + hashed chunks), the municipal example pages and tenant logos. Nothing
 * outside these folders is reachable; host.json never is.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { served, type ServedFile } from './catalog.js';

export const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.xml': 'application/xml; charset=utf-8',
};

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/** Every file under `dir` with a known type, by URL path under `prefix`. */
export function readAssets(dir: string, prefix: string, filter: (rel: string) => boolean = () => true): Map<string, ServedFile> {
  const out = new Map<string, ServedFile>();
  for (const file of walk(dir)) {
    const rel = relative(dir, file).split('\\').join('/');
    if (!CONTENT_TYPES[extname(file)] || !filter(rel)) continue;
    out.set(`${prefix}${rel}`, served(readFileSync(file)));
  }
  return out;
}

/**
 * Earlier bundles an operator keeps (OZG_BUNDLE_ARCHIVE): `<dir>/<version>/ozg-forms.js` and its
 * chunks, served under /v/<version>/ so a webmaster's pinned snippet keeps working after an upgrade.
 */
export function readBundleArchive(dir: string | undefined, current: string): Map<string, ServedFile> {
  const out = new Map<string, ServedFile>();
  if (!dir || !existsSync(dir)) return out;
  for (const version of readdirSync(dir)) {
    if (version === current || !/^[\w.+-]{1,40}$/.test(version) || !existsSync(join(dir, version, 'ozg-forms.js'))) continue;
    for (const [path, file] of readAssets(join(dir, version), `/v/${version}/`, (rel) => rel === 'ozg-forms.js' || rel.startsWith('chunks/')))
      out.set(path, file);
  }
  return out;
}

/** The example pages: HTML/CSS/JS at the top of the config folder, and tenant logos. */
export function readPages(configDir: string): Map<string, ServedFile> {
  const pages = readAssets(configDir, '/', (rel) => !rel.includes('/') && /\.(html|css|js)$/.test(rel));
  for (const [k, v] of readAssets(join(configDir, 'tenants/logos'), '/tenants/logos/')) pages.set(k, v);
  const index = pages.get('/index.html');
  if (index) pages.set('/', index);
  return pages;
}
