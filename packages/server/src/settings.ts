/**
 * The host's settings, from the environment. Every one has an embedded default, so
 * `npm start` runs with nothing external: the examples as configuration, a SQLite file in
 * ./data, confirmation e-mails written to ./data/mail.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Set by the release build (scripts/release.mjs): the host runs as one compiled file in <release>/server/. */
declare const __OZG_RELEASE__: boolean | undefined;
const RELEASE = typeof __OZG_RELEASE__ !== 'undefined' && __OZG_RELEASE__;

/** The clone (development) or the release folder: examples/, schemas/, data/ and the bundle are found from here. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), RELEASE ? '..' : '../../..');
/** The built browser bundle: packages/elements/dist in a clone, bundle/ in a release. */
const DEFAULT_BUNDLE_DIR = resolve(REPO_ROOT, RELEASE ? 'bundle' : 'packages/elements/dist');
/** The release's version: the bundle is served under /v/<version>/ (immutable) beside /ozg-forms.js. */
export const VERSION = (JSON.parse(readFileSync(resolve(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

export interface Limits {
  /** Largest JSON submission body (bytes). */
  jsonBytes: number;
  /** Deepest nesting of objects and arrays in a JSON body. */
  jsonDepth: number;
  /** Longest string in a JSON body (characters). */
  stringLength: number;
  /** Longest array in a JSON body. */
  arrayLength: number;
  /** Most validation errors returned (the answer says how many more there were). */
  errors: number;
  /** Largest attachment (bytes), unless a service sets less. */
  fileBytes: number;
  /** Most attachments per submission, unless a service sets fewer. */
  files: number;
}

/** Requests per window, per client address or per tenant (@fastify/rate-limit). */
export interface RateLimits {
  /** Length of a window in milliseconds. */
  windowMs: number;
  /** Submissions per client address and window. */
  submissionsPerClient: number;
  /** Status look-ups and PDF downloads by citizens, per client address and window. */
  statusPerClient: number;
  /** Submissions per tenant and window (all clients together). */
  submissionsPerTenant: number;
  /** Payment status and retry calls per client address and window. */
  paymentsPerClient: number;
  /** Operator API calls per client address and window. */
  operatorPerClient: number;
  /** Sign-in calls (start, return, exchange, logout) per client address and window. */
  loginPerClient: number;
  /** Forms (GET /api/form: a page view each) per client address and window. */
  formsPerClient: number;
  /** Failed operator authentications per client address before it is locked out for `lockoutMs`. */
  authFailures: number;
  lockoutMs: number;
}

export interface HostSettings {
  port: number;
  host: string;
  /**
   * The host's public address (https://forms.example.de): every URL the host builds for itself
   * (payment return and notify, links in deliveries and e-mails). Setting it means production.
   */
  publicUrl?: string;
  /** Production (OZG_PUBLIC_URL set) unless OZG_DEMO=1: demo credentials and the sandbox provider are refused. */
  mode: 'demo' | 'production';
  /** Addresses (IPs or CIDR ranges) of reverse proxies whose X-Forwarded-* headers are believed; none by default. */
  trustProxy: string[];
  /** Folder with tenants/, services/, schemas/ and the municipal example pages (*.html). */
  configDir: string;
  /** The built browser bundle (packages/elements/dist). */
  bundleDir: string;
  /** The self-service console's built bundle (packages/console/dist), served at /admin/. */
  consoleDir: string;
  /** Earlier bundles still served under /v/<version>/ (a folder per version), so pinned snippets outlive an upgrade. */
  bundleArchiveDir?: string;
  /** SQLite file, mail folder. */
  dataDir: string;
  /** Where uploads are written while a submission is checked (default: <dataDir>/spool; on the data volume in a container). */
  spoolDir: string;
  /** PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** Secrets and delivery targets per tenant (never served): host.json. */
  hostConfigFile: string;
  /** SMTP instead of the mail folder, e.g. smtp://user:pass@mail.example:587. */
  smtpUrl?: string;
  mailFrom: string;
  limits: Limits;
  /**
   * Seconds browsers may keep tenant, service and schema files without asking again (0, the default:
   * always ask — with the ETag a 304 — so a layer published in the console shows at the next page load).
   */
  configMaxAge: number;
  /** Seconds between outbox runs. */
  deliveryIntervalSeconds: number;
  /** Seconds between looks into FIT-Connect's event logs for the authority's accept or reject (0: never). */
  fitConnectEventsSeconds: number;
  /** Seconds a host's claim on a delivery holds before another host may take it over (renewed while it runs). */
  deliveryLeaseSeconds: number;
  /** Deliveries one host runs at once. */
  deliveryConcurrency: number;
  /** Every this many seconds, payments open that long are asked about at their provider (0: never). */
  paymentReconcileSeconds: number;
  /** Hours an application never paid for is kept before it is deleted (0: kept). */
  unpaidRetentionHours: number;
  /** Signs the sandbox provider's notifications; random per start when not set. */
  sandboxSecret?: string;
  rateLimits: RateLimits;
  /** Virus scanner: clamd's socket path or host:port; "off" only for development. */
  scanner: { kind: 'clamd'; address: string } | { kind: 'off' };
  /** Bearer token for /metrics from other machines (loopback may always scrape). */
  metricsToken?: string;
  /** Days a delivered application is kept after its delivery was confirmed (tenants may set their own). */
  retentionDays: number;
  /** How long a citizen's sign-in holds (OZG_LOGIN_SESSION_MINUTES, default 30). */
  loginSessionMinutes: number;
  /** Port of the embedded demo identity providers (OZG_DEMO_IDP_PORT; 0: any free one). */
  demoIdpPort: number;
  /** Whether host.json's `demo: true` identity providers are started (OZG_DEMO_IDP=off: not; they take seconds to start). */
  demoIdp: boolean;
  /** The self-service console (issue 20): staff accounts and how the layers in the database reach every host. */
  console: {
    /** OZG_ADMIN_BOOTSTRAP=<name>:<password>: the first operator account, while none exists. */
    bootstrap?: string;
    /** Failed sign-ins in a row before an account is locked (OZG_CONSOLE_LOCK_AFTER, 5). */
    lockAfter: number;
    /** Minutes it stays locked (OZG_CONSOLE_LOCK_MINUTES, 15). */
    lockMinutes: number;
    /** Idle minutes before a console session ends (OZG_CONSOLE_SESSION_MINUTES, 30). */
    sessionMinutes: number;
    /** Hours an invitation link holds (OZG_CONSOLE_INVITATION_HOURS, 72). */
    invitationHours: number;
    /** Console requests per client and window (OZG_RATE_CONSOLE, 300). */
    rate: number;
    /** Seconds between a host's looks for layers another host published (OZG_CONFIG_POLL_SECONDS, 5; 0: never). */
    pollSeconds: number;
  };
  logLevel: string;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/** Whether a URL's host is this machine (http is allowed there only). */
export const isLoopback = (url: URL) => LOOPBACK.test(url.hostname);

/** An address a URL may be served from in production: https, or http on loopback. */
export function checkPublicUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`OZG_PUBLIC_URL must be an absolute URL like https://formulare.example.de, got "${raw}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url)))
    throw new Error(`OZG_PUBLIC_URL must be https:// (http:// only for localhost), got "${raw}"`);
  if (url.pathname !== '/' || url.search || url.hash || url.username)
    throw new Error(`OZG_PUBLIC_URL must be an origin without path, query or credentials, got "${raw}"`);
  return url.origin;
}

/** OZG_TRUST_PROXY: a comma-separated list of proxy addresses or CIDR ranges; "true" is refused. */
export function parseTrustProxy(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const list = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of list)
    if (!/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(entry))
      throw new Error(
        `OZG_TRUST_PROXY takes the addresses of your reverse proxies (e.g. "10.0.0.5" or "10.0.0.0/24"), not "${entry}": trusting every client's X-Forwarded-For lets anyone choose their address`,
      );
  return list;
}

export const DEFAULT_CLAMD = '/run/clamav/clamd.ctl';

/**
 * OZG_CLAMD: clamd's socket path or host:port; OZG_SCAN=off turns scanning off (development only).
 * Production scans always (fail closed); the demo scans when OZG_CLAMD is set or Debian's clamd
 * socket exists, and says so in its first lines when it does not.
 */
export function parseScanner(env: NodeJS.ProcessEnv, mode: HostSettings['mode']): HostSettings['scanner'] {
  if (env.OZG_SCAN === 'off') return { kind: 'off' };
  if (env.OZG_SCAN !== undefined && env.OZG_SCAN !== '' && env.OZG_SCAN !== 'on')
    throw new Error(`OZG_SCAN must be "on" or "off", got "${env.OZG_SCAN}"`);
  if (env.OZG_CLAMD) return { kind: 'clamd', address: env.OZG_CLAMD };
  if (mode === 'production' || env.OZG_SCAN === 'on' || existsSync(DEFAULT_CLAMD)) return { kind: 'clamd', address: DEFAULT_CLAMD };
  return { kind: 'off' };
}

/**
 * The environment with secrets read from files: NAME_FILE=/run/secrets/x gives NAME the file's
 * content (container secrets), for DATABASE_URL, SMTP_URL, OZG_METRICS_TOKEN and OZG_SANDBOX_SECRET.
 */
function withSecretFiles(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  for (const name of ['DATABASE_URL', 'SMTP_URL', 'OZG_METRICS_TOKEN', 'OZG_SANDBOX_SECRET']) {
    const file = env[`${name}_FILE`];
    if (!file) continue;
    if (env[name]) throw new Error(`${name} and ${name}_FILE are both set: use one`);
    try {
      out[name] = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new Error(`${name}_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  return out;
}

export function settingsFromEnv(given: NodeJS.ProcessEnv = process.env): HostSettings {
  const env = withSecretFiles(given);
  const configDir = resolve(env.OZG_CONFIG_DIR ?? resolve(REPO_ROOT, 'examples'));
  const int = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${v}"`);
    return n;
  };
  const publicUrl = env.OZG_PUBLIC_URL ? checkPublicUrl(env.OZG_PUBLIC_URL) : undefined;
  const mode = publicUrl && env.OZG_DEMO !== '1' ? 'production' : 'demo';
  return {
    port: int('PORT', 8080),
    host: env.HOST ?? 'localhost',
    ...(publicUrl ? { publicUrl } : {}),
    mode,
    trustProxy: parseTrustProxy(env.OZG_TRUST_PROXY),
    configDir,
    bundleDir: resolve(env.OZG_BUNDLE_DIR ?? DEFAULT_BUNDLE_DIR),
    consoleDir: resolve(env.OZG_CONSOLE_DIR ?? resolve(REPO_ROOT, RELEASE ? 'console' : 'packages/console/dist')),
    ...(env.OZG_BUNDLE_ARCHIVE ? { bundleArchiveDir: resolve(env.OZG_BUNDLE_ARCHIVE) } : {}),
    dataDir: resolve(env.OZG_DATA_DIR ?? resolve(REPO_ROOT, 'data')),
    spoolDir: resolve(env.OZG_SPOOL_DIR ?? resolve(env.OZG_DATA_DIR ?? resolve(REPO_ROOT, 'data'), 'spool')),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    hostConfigFile: resolve(env.OZG_HOST_CONFIG ?? resolve(configDir, 'host.json')),
    ...(env.SMTP_URL ? { smtpUrl: env.SMTP_URL } : {}),
    mailFrom: env.MAIL_FROM ?? 'ozg-forms <noreply@localhost>',
    limits: {
      jsonBytes: int('OZG_MAX_JSON_BYTES', 1_000_000),
      jsonDepth: int('OZG_MAX_JSON_DEPTH', 32),
      stringLength: int('OZG_MAX_STRING_LENGTH', 20_000),
      arrayLength: int('OZG_MAX_ARRAY_LENGTH', 1_000),
      errors: int('OZG_MAX_ERRORS', 100),
      fileBytes: int('OZG_MAX_FILE_BYTES', 10_000_000),
      files: int('OZG_MAX_FILES', 10),
    },
    deliveryIntervalSeconds: int('OZG_DELIVERY_INTERVAL', 5),
    fitConnectEventsSeconds: int('OZG_FIT_CONNECT_EVENTS_SECONDS', 300),
    deliveryLeaseSeconds: Math.max(1, int('OZG_DELIVERY_LEASE_SECONDS', 60)),
    deliveryConcurrency: Math.max(1, int('OZG_DELIVERY_CONCURRENCY', 8)),
    paymentReconcileSeconds: int('OZG_PAYMENT_RECONCILE', 60),
    unpaidRetentionHours: int('OZG_UNPAID_RETENTION_HOURS', 720),
    ...(env.OZG_SANDBOX_SECRET ? { sandboxSecret: env.OZG_SANDBOX_SECRET } : {}),
    configMaxAge: int('OZG_CONFIG_MAX_AGE', 0),
    rateLimits: {
      windowMs: int('OZG_RATE_WINDOW_SECONDS', 60) * 1000,
      submissionsPerClient: int('OZG_RATE_SUBMISSIONS', 20),
      statusPerClient: int('OZG_RATE_STATUS', 30),
      submissionsPerTenant: int('OZG_RATE_SUBMISSIONS_TENANT', 600),
      paymentsPerClient: int('OZG_RATE_PAYMENTS', 60),
      operatorPerClient: int('OZG_RATE_OPERATOR', 300),
      loginPerClient: int('OZG_RATE_LOGIN', 60),
      formsPerClient: int('OZG_RATE_FORMS', 600),
      authFailures: int('OZG_AUTH_FAILURES', 10),
      lockoutMs: int('OZG_AUTH_LOCKOUT_SECONDS', 900) * 1000,
    },
    scanner: parseScanner(env, mode),
    retentionDays: int('OZG_RETENTION_DAYS', 30),
    loginSessionMinutes: Math.max(1, int('OZG_LOGIN_SESSION_MINUTES', 30)),
    demoIdpPort: int('OZG_DEMO_IDP_PORT', 0),
    demoIdp: env.OZG_DEMO_IDP !== 'off',
    ...(env.OZG_METRICS_TOKEN ? { metricsToken: env.OZG_METRICS_TOKEN } : {}),
    console: {
      ...(env.OZG_ADMIN_BOOTSTRAP ? { bootstrap: env.OZG_ADMIN_BOOTSTRAP } : {}),
      lockAfter: Math.max(1, int('OZG_CONSOLE_LOCK_AFTER', 5)),
      lockMinutes: Math.max(1, int('OZG_CONSOLE_LOCK_MINUTES', 15)),
      sessionMinutes: Math.max(1, int('OZG_CONSOLE_SESSION_MINUTES', 30)),
      invitationHours: Math.max(1, int('OZG_CONSOLE_INVITATION_HOURS', 72)),
      rate: int('OZG_RATE_CONSOLE', 300),
      pollSeconds: int('OZG_CONFIG_POLL_SECONDS', 5),
    },
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
