/** Starting the central host from settings (used by main.ts and the tests). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildHost, samplesDir, type Host } from './app.js';
import { readAssets } from './assets.js';
import { loadCatalog } from './catalog.js';
import { createMailer } from './delivery/mail.js';
import { checkAuthorityAnswers } from './delivery/fit-connect-events.js';
import { checkRoutes } from './delivery/fit-connect.js';
import { AUTHORITY_TARGET } from './delivery/outbox.js';
import { demoCredentials, loadHostConfig } from './host-config.js';
import { ClamdScanner } from './scan/clamd.js';
import { REPO_ROOT, settingsFromEnv, type HostSettings } from './settings.js';
import type { Store } from './store.js';
import { openPostgresStore } from './stores/postgres.js';
import { openSqliteStore } from './stores/sqlite.js';
import { SamlAdapter } from './identity/saml.js';
import { layersFromDatabase } from './console/layers.js';

export { settingsFromEnv, type HostSettings } from './settings.js';
export { webhookSignature } from './delivery/webhook.js';
export { METADATA_SCHEMA } from './delivery/fit-connect.js';
export type { Host } from './app.js';

export async function openStore(settings: HostSettings): Promise<Store> {
  return settings.databaseUrl ? openPostgresStore(settings.databaseUrl) : openSqliteStore(settings.dataDir);
}

export async function startHost(settings: HostSettings = settingsFromEnv(), env: NodeJS.ProcessEnv = process.env): Promise<Host> {
  const store = await openStore(settings);
  // Tenant layers live in the database (the console edits them); an empty one is seeded from tenants/.
  const layers = await layersFromDatabase(store, settings.configDir);
  const catalog = await loadCatalog(settings.configDir, layers.layers);
  const problems = [...layers.problems, ...catalog.problems];
  const hostConfig = loadHostConfig(settings.hostConfigFile, env, problems, settings.mode === 'production');
  // Production refuses to start with what only a demo may have.
  const demo = demoCredentials(hostConfig);
  if (settings.mode === 'production' && demo.length > 0)
    throw new Error(
      `production mode (OZG_PUBLIC_URL=${settings.publicUrl}) refuses demo credentials:\n  - ${demo.join('\n  - ')}\n` +
        'Configure real tokens (ozg-forms-host token) and payment contracts in host.json, or set OZG_DEMO=1 for a public demo that takes no real applications.',
    );
  const mailer = createMailer({
    ...(settings.smtpUrl ? { smtpUrl: settings.smtpUrl } : {}),
    from: settings.mailFrom,
    folder: join(settings.dataDir, 'mail'),
  });
  // The FIM test material of ../shared/samples, only where it sits beside the checkout (never shipped).
  const samples = env.OZG_SAMPLES_DIR ?? samplesDir(REPO_ROOT);
  const extraFiles = existsSync(samples) ? readAssets(samples, '/samples/', (rel) => /\.(json|xml)$/.test(rel)) : undefined;
  const scanner = settings.scanner.kind === 'clamd' ? new ClamdScanner(settings.scanner.address) : undefined;
  // The embedded identity providers for `demo: true` entries (refused in production above).
  // Loaded only when used: the demo providers (oidc-provider, samlify) take seconds to load and start.
  const demoProviders = settings.demoIdp ? Object.entries(hostConfig.identityProviders).filter(([, p]) => 'demo' in p) : [];
  const { startDemoIdp } = demoProviders.length > 0 ? await import('./identity/demo-idp.js') : { startDemoIdp: undefined };
  /** The host, once built: the demo providers ask it for its SP metadata and log through it. */
  const late: { host?: Host } = {};
  const demoIdp =
    startDemoIdp && demoProviders.length > 0
      ? await startDemoIdp({
          host: settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host,
          port: settings.demoIdpPort,
          redirectUris: demoProviders
            .filter(([, p]) => p.type === 'oidc')
            .flatMap(([id]) =>
              [
                ...new Set([
                  settings.publicUrl,
                  `http://localhost:${settings.port}`,
                  `http://127.0.0.1:${settings.port}`,
                  `http://${settings.host}:${settings.port}`,
                ]),
              ]
                .filter((b): b is string => !!b)
                .map((base) => `${base}/api/login/oidc/${id}/callback`),
            ),
          spMetadata: () => {
            const saml = demoProviders.find(([, p]) => p.type === 'saml');
            const adapter = saml && late.host?.identity.adapters.get(saml[0]);
            if (!(adapter instanceof SamlAdapter)) throw new Error('no demo SAML provider');
            return adapter.metadata();
          },
          log: (message) => late.host?.log.warn({ demoIdp: message.slice(0, 2000) }, 'demo identity provider: request refused'),
        })
      : undefined;
  const app = await buildHost({
    settings,
    catalog,
    hostConfig,
    store,
    mailer,
    problems,
    ...(extraFiles ? { extraFiles } : {}),
    ...(scanner ? { scanner } : {}),
    ...(demoIdp ? { demoIdp } : {}),
  });
  late.host = app;
  if (layers.seeded.length)
    app.log.info({ tenants: layers.seeded }, 'tenant layers seeded into the database from tenants/ (the database serves them from now on)');
  if (layers.differing.length)
    app.log.warn(
      { tenants: layers.differing },
      'tenants/ in the configuration folder differs from the layers in the database, which are served: import the files with "ozg-forms-host config import <folder>" to publish them (docs/console.md)',
    );
  const bootstrap = await app.accounts.bootstrap(settings.console.bootstrap);
  if (bootstrap === 'created') app.log.warn('first operator account of the console created from OZG_ADMIN_BOOTSTRAP: sign in at /admin/');
  else if (bootstrap === 'ignored') app.log.info('OZG_ADMIN_BOOTSTRAP ignored: an operator account exists');
  if (demoIdp) {
    app.addHook('onClose', () => demoIdp.close());
    app.log.warn({ oidc: demoIdp.oidc.issuer, saml: demoIdp.saml.entryPoint }, 'demo identity providers (made-up people, never in production)');
  }
  if (!scanner)
    app.log.warn(
      settings.mode === 'demo'
        ? 'uploads are NOT scanned for malware: no clamd found (set OZG_CLAMD to its socket or host:port)'
        : 'uploads are NOT scanned for malware (OZG_SCAN=off): never in production',
    );
  // Every consent text served, kept by its hash: what a consent record's textVersion points to.
  for (const t of catalog.consentTexts.values())
    await store.rememberConsentText({ hash: t.hash, tenant: t.tenant, service: t.service, locale: t.locale, text: t.text });
  for (const p of problems)
    app.log[p.severity === 'error' ? 'error' : 'warn'](
      { file: p.file, path: p.path },
      `config ${p.severity === 'error' ? 'refused' : 'warning'}: ${p.en} / ${p.de}`,
    );
  app.log.info({ tenants: [...catalog.tenants.keys()], services: [...catalog.services.keys()], storage: store.kind }, 'catalog loaded');
  await app.listen({ port: settings.port, host: settings.host });
  app.outbox.start();
  app.payments.start(app.jobs);
  app.retention.start(app.jobs);
  // Every tenant × service delivered through FIT-Connect by routing: is there a destination? Said
  // at start (an error line per missing one, and /api/ready), not as a dead letter weeks later.
  void checkRoutes(catalog, hostConfig, app.log).then((missing) => app.deliveryProblems.push(...missing));
  const everyMs = settings.fitConnectEventsSeconds * 1000;
  app.jobs.every('fit-connect-events', everyMs, () =>
    checkAuthorityAnswers({
      store,
      hostConfig,
      log: app.log,
      everyMs,
      observe: (outcome) => app.metrics.deliveryOutcomes.inc({ target: AUTHORITY_TARGET, state: outcome }),
    }),
  );
  return app;
}
