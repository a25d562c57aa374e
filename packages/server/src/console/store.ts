/**
 * What the self-service console keeps in the database (migration 7): tenant layers with every
 * published version, one draft per layer, uploaded logos, staff accounts and their sessions.
 * Written once on the SQL driver, like the rest of the store, so SQLite and PostgreSQL agree.
 */
import type { SqlDriver } from '../stores/sql-store.js';

export type ConsoleRole = 'operator' | 'editor';

export interface PublishedLayer {
  tenant: string;
  version: number;
  config: Record<string, unknown>;
  publishedAt: string;
  /** The account's name (or "import", "seed"). */
  publishedBy: string;
  note?: string;
}

export interface LayerDraft {
  tenant: string;
  config: Record<string, unknown>;
  /** The published version the draft was started from (publishing checks nobody published since). */
  baseVersion: number;
  updatedAt: string;
  updatedBy: string;
}

export interface ConsoleUser {
  id: string;
  name: string;
  role: ConsoleRole;
  /** The tenant layers an editor may change (an operator: all). */
  tenants: string[];
  /** scrypt hash (see accounts.ts); absent until the invitation is accepted. */
  passwordHash?: string;
  invitationExpiresAt?: string;
  failedAttempts: number;
  lockedUntil?: string;
  /** `provider subject` of a staff sign-in through an OpenID provider. */
  oidcSubject?: string;
  createdAt: string;
  createdBy: string;
}

export interface ConsoleSession {
  user: ConsoleUser;
  csrf: string;
  expiresAt: string;
}

export interface ConsoleStore {
  /** Grows with every publication anywhere: hosts compare it to know when to reload. */
  generation(): Promise<number>;
  /** The newest version number of every layer and which layers have a draft (no configurations read). */
  overview(): Promise<{ versions: Map<string, number>; drafts: Set<string> }>;
  /** The newest published version of every layer. */
  currentLayers(): Promise<PublishedLayer[]>;
  layerVersions(tenant: string): Promise<Array<Omit<PublishedLayer, 'config'>>>;
  layerVersion(tenant: string, version: number): Promise<PublishedLayer | undefined>;
  /**
   * Publishes a new version when the newest is still `expected` (0: none yet) and removes the
   * layer's draft in the same transaction; undefined when another publication came first.
   */
  publish(tenant: string, config: Record<string, unknown>, by: string, expected: number, note?: string): Promise<number | undefined>;
  /**
   * Version 1 of every given layer, in one transaction, only while the table is empty (the first
   * start): of several hosts starting at once, one seeds all; the others find it done. Answers whether this one did.
   */
  seed(layers: Array<{ tenant: string; config: Record<string, unknown> }>, by: string, note: string): Promise<boolean>;
  draft(tenant: string): Promise<LayerDraft | undefined>;
  saveDraft(draft: LayerDraft): Promise<void>;
  deleteDraft(tenant: string): Promise<boolean>;
  putAsset(hash: string, mimeType: string, bytes: Buffer): Promise<void>;
  assets(): Promise<Array<{ hash: string; mimeType: string; bytes: Buffer }>>;
  asset(hash: string): Promise<{ mimeType: string; bytes: Buffer } | undefined>;
  users(): Promise<ConsoleUser[]>;
  user(id: string): Promise<ConsoleUser | undefined>;
  userByName(name: string): Promise<ConsoleUser | undefined>;
  userByOidcSubject(subject: string): Promise<ConsoleUser | undefined>;
  /** false when the name is taken. */
  createUser(user: ConsoleUser & { invitationHash?: string }): Promise<boolean>;
  /** Sets the password of an invited account (once, before the invitation expires); the account or nothing. */
  acceptInvitation(invitationHash: string, passwordHash: string, now: string): Promise<ConsoleUser | undefined>;
  /** Links an account to an OpenID provider's subject, once (false when it is linked already). */
  linkOidcSubject(id: string, subject: string): Promise<boolean>;
  /** Counts a failed sign-in; locks the account until `lockUntil` once `lockAfter` failures are reached. */
  failedSignIn(id: string, lockAfter: number, lockUntil: string): Promise<void>;
  succeededSignIn(id: string): Promise<void>;
  deleteUser(id: string): Promise<boolean>;
  operatorCount(): Promise<number>;
  createSession(tokenHash: string, userId: string, csrf: string, now: string, expiresAt: string): Promise<void>;
  session(tokenHash: string, now: string): Promise<ConsoleSession | undefined>;
  extendSession(tokenHash: string, expiresAt: string): Promise<void>;
  endSession(tokenHash: string): Promise<void>;
}

interface LayerRow {
  tenant: string;
  version: number | string;
  config?: string;
  published_at: string;
  published_by: string;
  note: string | null;
}

interface UserRow {
  id: string;
  name: string;
  role: ConsoleRole;
  tenants: string;
  password_hash: string | null;
  invitation_expires_at: string | null;
  failed_attempts: number | string;
  locked_until: string | null;
  oidc_subject: string | null;
  created_at: string;
  created_by: string;
}

const toLayer = (r: LayerRow): PublishedLayer => ({
  tenant: r.tenant,
  version: Number(r.version),
  config: r.config ? (JSON.parse(r.config) as Record<string, unknown>) : {},
  publishedAt: r.published_at,
  publishedBy: r.published_by,
  ...(r.note ? { note: r.note } : {}),
});

const toUser = (r: UserRow): ConsoleUser => ({
  id: r.id,
  name: r.name,
  role: r.role,
  tenants: JSON.parse(r.tenants) as string[],
  ...(r.password_hash ? { passwordHash: r.password_hash } : {}),
  ...(r.invitation_expires_at ? { invitationExpiresAt: r.invitation_expires_at } : {}),
  failedAttempts: Number(r.failed_attempts),
  ...(r.locked_until ? { lockedUntil: r.locked_until } : {}),
  ...(r.oidc_subject ? { oidcSubject: r.oidc_subject } : {}),
  createdAt: r.created_at,
  createdBy: r.created_by,
});

export function consoleStore(driver: SqlDriver): ConsoleStore {
  const one = async <T>(sql: string, values: unknown[]) => (await driver.all<T>(sql, values))[0];
  const userWhere = async (where: string, value: unknown) => {
    const row = await one<UserRow>(`SELECT * FROM console_users WHERE ${where} = ?`, [value]);
    return row ? toUser(row) : undefined;
  };
  return {
    async generation() {
      return Number((await one<{ g: number | string | null }>('SELECT MAX(seq) AS g FROM config_layers', []))?.g ?? 0);
    },
    async overview() {
      const versions = await driver.all<{ tenant: string; v: number | string }>(
        'SELECT tenant, MAX(version) AS v FROM config_layers GROUP BY tenant',
      );
      const drafts = await driver.all<{ tenant: string }>('SELECT tenant FROM config_drafts');
      return { versions: new Map(versions.map((r) => [r.tenant, Number(r.v)])), drafts: new Set(drafts.map((r) => r.tenant)) };
    },
    async currentLayers() {
      const rows = await driver.all<LayerRow>(
        `SELECT l.* FROM config_layers l
         JOIN (SELECT tenant, MAX(version) AS version FROM config_layers GROUP BY tenant) newest
           ON newest.tenant = l.tenant AND newest.version = l.version
         ORDER BY l.tenant`,
      );
      return rows.map(toLayer);
    },
    async layerVersions(tenant) {
      const rows = await driver.all<LayerRow>(
        'SELECT tenant, version, published_at, published_by, note FROM config_layers WHERE tenant = ? ORDER BY version DESC',
        [tenant],
      );
      return rows.map((r) => {
        const { config: _config, ...rest } = toLayer(r);
        return rest;
      });
    },
    async layerVersion(tenant, version) {
      const row = await one<LayerRow>('SELECT * FROM config_layers WHERE tenant = ? AND version = ?', [tenant, version]);
      return row ? toLayer(row) : undefined;
    },
    async publish(tenant, config, by, expected, note) {
      // One statement decides: the next version, only while the newest is still the expected one.
      const row = await driver.insertIf<{ version: number | string }>(
        [
          `INSERT INTO config_layers (tenant, version, config, published_at, published_by, note)
           SELECT ?, COALESCE(MAX(version), 0) + 1, ?, ?, ?, ? FROM config_layers WHERE tenant = ?
           HAVING COALESCE(MAX(version), 0) = ?
           ON CONFLICT (tenant, version) DO NOTHING
           RETURNING version`,
          [tenant, JSON.stringify(config), new Date().toISOString(), by, note ?? null, tenant, expected],
        ],
        [['DELETE FROM config_drafts WHERE tenant = ?', [tenant]]],
      );
      return row ? Number(row.version) : undefined;
    },
    async seed(layers, by, note) {
      const [first, ...rest] = layers;
      if (!first) return false;
      const at = new Date().toISOString();
      const values = (l: (typeof layers)[number]) => [l.tenant, JSON.stringify(l.config), at, by, note];
      const row = await driver.insertIf<{ version: number }>(
        [
          `INSERT INTO config_layers (tenant, version, config, published_at, published_by, note)
           SELECT ?, 1, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM config_layers)
           ON CONFLICT (tenant, version) DO NOTHING RETURNING version`,
          values(first),
        ],
        rest.map((l) => [
          'INSERT INTO config_layers (tenant, version, config, published_at, published_by, note) VALUES (?, 1, ?, ?, ?, ?) ON CONFLICT (tenant, version) DO NOTHING',
          values(l),
        ]),
      );
      return row !== undefined;
    },
    async draft(tenant) {
      const r = await one<{ tenant: string; config: string; base_version: number | string; updated_at: string; updated_by: string }>(
        'SELECT * FROM config_drafts WHERE tenant = ?',
        [tenant],
      );
      return r
        ? {
            tenant: r.tenant,
            config: JSON.parse(r.config) as Record<string, unknown>,
            baseVersion: Number(r.base_version),
            updatedAt: r.updated_at,
            updatedBy: r.updated_by,
          }
        : undefined;
    },
    async saveDraft(d) {
      await driver.all(
        `INSERT INTO config_drafts (tenant, config, base_version, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (tenant) DO UPDATE SET config = excluded.config, base_version = excluded.base_version,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        [d.tenant, JSON.stringify(d.config), d.baseVersion, d.updatedAt, d.updatedBy],
      );
    },
    async deleteDraft(tenant) {
      return (await driver.all('DELETE FROM config_drafts WHERE tenant = ? RETURNING tenant', [tenant])).length > 0;
    },
    async putAsset(hash, mimeType, bytes) {
      await driver.all('INSERT INTO config_assets (hash, mime_type, bytes, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING', [
        hash,
        mimeType,
        bytes,
        new Date().toISOString(),
      ]);
    },
    async assets() {
      const rows = await driver.all<{ hash: string; mime_type: string; bytes: Uint8Array }>('SELECT hash, mime_type, bytes FROM config_assets');
      return rows.map((r) => ({ hash: r.hash, mimeType: r.mime_type, bytes: Buffer.from(r.bytes) }));
    },
    async asset(hash) {
      const row = await one<{ mime_type: string; bytes: Uint8Array }>('SELECT mime_type, bytes FROM config_assets WHERE hash = ?', [hash]);
      return row ? { mimeType: row.mime_type, bytes: Buffer.from(row.bytes) } : undefined;
    },
    async users() {
      return (await driver.all<UserRow>('SELECT * FROM console_users ORDER BY name')).map(toUser);
    },
    user: (id) => userWhere('id', id),
    userByName: (name) => userWhere('name', name),
    userByOidcSubject: (subject) => userWhere('oidc_subject', subject),
    async createUser(u) {
      const rows = await driver.all(
        `INSERT INTO console_users (id, name, role, tenants, password_hash, invitation_hash, invitation_expires_at, oidc_subject, created_at, created_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
        [
          u.id,
          u.name,
          u.role,
          JSON.stringify(u.tenants),
          u.passwordHash ?? null,
          u.invitationHash ?? null,
          u.invitationExpiresAt ?? null,
          u.oidcSubject ?? null,
          u.createdAt,
          u.createdBy,
        ],
      );
      return rows.length > 0;
    },
    async acceptInvitation(invitationHash, passwordHash, now) {
      const row = await one<UserRow>(
        `UPDATE console_users SET password_hash = ?, invitation_hash = NULL, invitation_expires_at = NULL
         WHERE invitation_hash = ? AND invitation_expires_at > ? RETURNING *`,
        [passwordHash, invitationHash, now],
      );
      return row ? toUser(row) : undefined;
    },
    async linkOidcSubject(id, subject) {
      return (
        (await driver.all('UPDATE console_users SET oidc_subject = ? WHERE id = ? AND oidc_subject IS NULL RETURNING id', [subject, id])).length > 0
      );
    },
    async failedSignIn(id, lockAfter, lockUntil) {
      await driver.all(
        `UPDATE console_users SET failed_attempts = failed_attempts + 1,
           locked_until = CASE WHEN failed_attempts + 1 >= ? THEN ? ELSE locked_until END WHERE id = ?`,
        [lockAfter, lockUntil, id],
      );
    },
    async succeededSignIn(id) {
      await driver.all('UPDATE console_users SET failed_attempts = 0, locked_until = NULL WHERE id = ?', [id]);
    },
    async deleteUser(id) {
      await driver.all('DELETE FROM console_sessions WHERE user_id = ?', [id]);
      return (await driver.all('DELETE FROM console_users WHERE id = ? RETURNING id', [id])).length > 0;
    },
    async operatorCount() {
      return Number((await one<{ n: number | string }>("SELECT COUNT(*) AS n FROM console_users WHERE role = 'operator'", []))?.n ?? 0);
    },
    async createSession(tokenHash, userId, csrf, now, expiresAt) {
      await driver.all('INSERT INTO console_sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
        tokenHash,
        userId,
        csrf,
        now,
        expiresAt,
      ]);
      // A sign-in is a moment to forget the sessions that ran out.
      await driver.all('DELETE FROM console_sessions WHERE expires_at < ?', [now]);
    },
    async session(tokenHash, now) {
      const row = await one<UserRow & { csrf: string; expires_at: string }>(
        `SELECT u.*, s.csrf, s.expires_at FROM console_sessions s JOIN console_users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.expires_at > ?`,
        [tokenHash, now],
      );
      return row ? { user: toUser(row), csrf: row.csrf, expiresAt: row.expires_at } : undefined;
    },
    async extendSession(tokenHash, expiresAt) {
      await driver.all('UPDATE console_sessions SET expires_at = ? WHERE token_hash = ?', [expiresAt, tokenHash]);
    },
    async endSession(tokenHash) {
      await driver.all('DELETE FROM console_sessions WHERE token_hash = ?', [tokenHash]);
    },
  };
}
