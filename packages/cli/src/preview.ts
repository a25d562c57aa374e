/**
 * `ozg-forms preview <service.json> [--tenant id] [--port n]`: the service as citizens will see
 * it, served by a local central host, reloaded in the browser whenever the service definition,
 * its data schema or a tenant file changes. Findings of `validate` are printed on every change.
 */
import { loadCatalog } from '@ozg-forms/core';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { formatFinding } from './findings.js';
import { validate } from './validate.js';

export interface PreviewOptions {
  service: string;
  tenant?: string;
  port: number;
  host: string;
  log: (line: string) => void;
}

const PAGE = (serviceId: string, tenant: string | undefined) => `<!doctype html>
<html lang="de">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Vorschau: ${serviceId}</title>
    <script type="module" src="/ozg-forms.js"></script>
    <script type="module" src="/preview-reload.js"></script>
  </head>
  <body style="max-width: 48rem; margin: 1rem auto; padding: 0 1rem; font-family: sans-serif">
    <p>Vorschau / preview — <code>${serviceId}</code>${tenant ? ` · Mandant <code>${tenant}</code>` : ''} · lädt bei jeder Änderung neu / reloads on every change</p>
    <ozg-antrag service="${serviceId}"${tenant ? ` tenant="${tenant}"` : ''} debug terminal></ozg-antrag>
  </body>
</html>
`;

/** Polls its own version; a new one (the host restarted with changed files) reloads the page. */
const RELOAD = (version: string) => `export const version = ${JSON.stringify(version)};
const poll = async () => {
  try {
    const text = await (await fetch('/preview-reload.js', { cache: 'no-store' })).text();
    if (!text.includes(${JSON.stringify(version)})) return location.reload();
  } catch {}
  setTimeout(poll, 700);
};
setTimeout(poll, 700);
`;

/** Builds the host's configuration folder from the author's files. */
function assemble(serviceFile: string, tenant: string | undefined, dir: string): { serviceId: string; watched: string[] } {
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['services', 'schemas', 'tenants']) mkdirSync(join(dir, sub), { recursive: true });
  const definition = JSON.parse(readFileSync(serviceFile, 'utf8')) as { id?: string; schema?: string };
  const serviceId = definition.id ?? basename(serviceFile, '.json');
  const schemaFile = resolve(dirname(serviceFile), definition.schema ?? '');
  const served = { ...definition, schema: `../schemas/${basename(schemaFile)}` };
  writeFileSync(join(dir, 'services', `${serviceId}.json`), JSON.stringify(served, null, 2));
  if (existsSync(schemaFile)) cpSync(schemaFile, join(dir, 'schemas', basename(schemaFile)));
  // Tenants beside the service folder (…/services/x.json → …/tenants/), as the host reads them.
  const tenants = resolve(dirname(serviceFile), '../tenants');
  if (tenant && existsSync(tenants)) cpSync(tenants, join(dir, 'tenants'), { recursive: true });
  const version = createHash('sha256')
    .update(readFileSync(serviceFile))
    .update(existsSync(schemaFile) ? readFileSync(schemaFile) : '')
    .update(String(Date.now()))
    .digest('hex')
    .slice(0, 16);
  writeFileSync(join(dir, 'index.html'), PAGE(serviceId, tenant));
  writeFileSync(join(dir, 'preview-reload.js'), RELOAD(version));
  return { serviceId, watched: [serviceFile, schemaFile, ...(tenant && existsSync(tenants) ? [tenants] : [])] };
}

export async function preview(options: PreviewOptions): Promise<{ url: string; close: () => Promise<void> }> {
  await loadCatalog('en');
  // The host is loaded only here: validate/types/compile need none of its dependencies.
  const { startHost, settingsFromEnv } = await import('@ozg-forms/server');
  const serviceFile = resolve(options.service);
  const configDir = mkdtempSync(join(tmpdir(), 'ozg-preview-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'ozg-preview-data-'));
  let port = options.port;
  let host: Awaited<ReturnType<typeof startHost>> | undefined;
  let watchers: FSWatcher[] = [];

  const report = () => {
    const findings = validate(serviceFile);
    for (const f of findings) options.log(formatFinding(f));
    if (findings.length === 0) options.log('validate: no problems found');
  };

  const start = async () => {
    const { watched } = assemble(serviceFile, options.tenant, configDir);
    const settings = {
      ...settingsFromEnv({}),
      host: options.host,
      port,
      configDir,
      dataDir,
      logLevel: 'warn',
      // Every reload must see the files as they are now.
      configMaxAge: 0,
      hostConfigFile: join(configDir, 'host.json'),
    };
    host = await startHost(settings, {});
    const address = host.server.address();
    if (typeof address === 'object' && address) port = address.port;
    watchers.forEach((w) => w.close());
    watchers = watched.filter(existsSync).map((path) => watch(path, { recursive: false }, () => schedule()));
  };

  let timer: NodeJS.Timeout | undefined;
  let restarting = Promise.resolve();
  const schedule = () => {
    clearTimeout(timer);
    // Editors write in several steps: wait until they are done.
    timer = setTimeout(() => {
      restarting = restarting.then(async () => {
        await host?.close();
        await start();
        report();
        options.log('reloaded');
      });
    }, 150);
  };

  if (!existsSync(join(settingsFromEnv({}).bundleDir, 'ozg-forms.js')))
    options.log('The browser bundle is not built yet: run "npm run build" (npm start does it), then reload the page.');
  await start();
  report();
  const url = `http://${options.host}:${port}/`;
  options.log(`Preview: ${url}`);
  return {
    url,
    async close() {
      clearTimeout(timer);
      await restarting;
      watchers.forEach((w) => w.close());
      await host?.close();
      rmSync(configDir, { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
