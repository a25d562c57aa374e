/**
 * The host's settings, from the environment. Every one has an embedded default, so
 * `npm start` runs with nothing external: the examples as configuration, a SQLite file in
 * ./data, confirmation e-mails written to ./data/mail.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

export interface Limits {
  /** Largest JSON submission body (bytes). */
  jsonBytes: number;
  /** Largest attachment (bytes), unless a service sets less. */
  fileBytes: number;
  /** Most attachments per submission, unless a service sets fewer. */
  files: number;
}

export interface HostSettings {
  port: number;
  host: string;
  /** The host's public address (https://forms.example.de), for links in deliveries. */
  publicUrl?: string;
  /** Trust X-Forwarded-* headers (behind a reverse proxy). */
  trustProxy: boolean;
  /** Folder with tenants/, services/, schemas/ and the municipal example pages (*.html). */
  configDir: string;
  /** The built browser bundle (packages/elements/dist). */
  bundleDir: string;
  /** SQLite file, mail folder. */
  dataDir: string;
  /** PostgreSQL instead of SQLite. */
  databaseUrl?: string;
  /** Secrets and delivery targets per tenant (never served): host.json. */
  hostConfigFile: string;
  /** SMTP instead of the mail folder, e.g. smtp://user:pass@mail.example:587. */
  smtpUrl?: string;
  mailFrom: string;
  limits: Limits;
  /** Seconds browsers may keep tenant, service and schema files without asking again (0: always ask). */
  configMaxAge: number;
  /** Seconds between outbox runs. */
  deliveryIntervalSeconds: number;
  /** Every this many seconds, payments open that long are asked about at their provider (0: never). */
  paymentReconcileSeconds: number;
  /** Hours an application never paid for is kept before it is deleted (0: kept). */
  unpaidRetentionHours: number;
  /** Signs the sandbox provider's notifications; random per start when not set. */
  sandboxSecret?: string;
  logLevel: string;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv = process.env): HostSettings {
  const configDir = resolve(env.OZG_CONFIG_DIR ?? resolve(REPO_ROOT, 'examples'));
  const int = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${v}"`);
    return n;
  };
  return {
    port: int('PORT', 8080),
    host: env.HOST ?? 'localhost',
    ...(env.OZG_PUBLIC_URL ? { publicUrl: env.OZG_PUBLIC_URL.replace(/\/+$/, '') } : {}),
    trustProxy: env.OZG_TRUST_PROXY === 'true' || env.OZG_TRUST_PROXY === '1',
    configDir,
    bundleDir: resolve(env.OZG_BUNDLE_DIR ?? resolve(REPO_ROOT, 'packages/elements/dist')),
    dataDir: resolve(env.OZG_DATA_DIR ?? resolve(REPO_ROOT, 'data')),
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    hostConfigFile: resolve(env.OZG_HOST_CONFIG ?? resolve(configDir, 'host.json')),
    ...(env.SMTP_URL ? { smtpUrl: env.SMTP_URL } : {}),
    mailFrom: env.MAIL_FROM ?? 'ozg-forms <noreply@localhost>',
    limits: {
      jsonBytes: int('OZG_MAX_JSON_BYTES', 1_000_000),
      fileBytes: int('OZG_MAX_FILE_BYTES', 10_000_000),
      files: int('OZG_MAX_FILES', 10),
    },
    deliveryIntervalSeconds: int('OZG_DELIVERY_INTERVAL', 5),
    paymentReconcileSeconds: int('OZG_PAYMENT_RECONCILE', 60),
    unpaidRetentionHours: int('OZG_UNPAID_RETENTION_HOURS', 720),
    ...(env.OZG_SANDBOX_SECRET ? { sandboxSecret: env.OZG_SANDBOX_SECRET } : {}),
    configMaxAge: int('OZG_CONFIG_MAX_AGE', 60),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
