/**
 * Staff accounts of the console: scrypt password hashes, invitations (a one-time link; only its
 * hash is kept), sign-in with a lockout after repeated failures, sessions by an opaque cookie
 * token (hash stored) with a CSRF token of their own, and the first operator from
 * OZG_ADMIN_BOOTSTRAP.
 */
import { createHash, randomBytes, randomUUID, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { ConsoleRole, ConsoleSession, ConsoleStore, ConsoleUser } from './store.js';

const scrypt = (password: string, salt: Buffer, keylen: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))));

/** OWASP's scrypt minimum (N=2^17, r=8, p=1) costs ~128 MiB and a third of a second; 2^15 with r=8 is the floor we accept. */
const COST = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, 32, COST);
  return `scrypt$${COST.N}$${COST.r}$${COST.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, key] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: COST.maxmem,
  });
  return timingSafeEqual(actual, expected);
}

/** What a password must be: long rather than complicated (BSI IT-Grundschutz ORP.4, NIST 800-63B). */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 200;

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
export const newToken = () => randomBytes(32).toString('base64url');

/** Compared in hashing time whatever the name: an unknown account takes as long as a wrong password. */
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export type SignInResult = { ok: true; user: ConsoleUser } | { ok: false; reason: 'wrong' } | { ok: false; reason: 'locked'; until: string };

export interface AccountPolicy {
  /** Failures in a row before the account is locked. */
  lockAfter: number;
  lockMinutes: number;
  sessionMinutes: number;
  invitationHours: number;
}

export class Accounts {
  constructor(
    private readonly store: ConsoleStore,
    readonly policy: AccountPolicy,
  ) {}

  async signIn(name: string, password: string, now = new Date()): Promise<SignInResult> {
    const user = await this.store.userByName(name);
    const matches = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !user.passwordHash) return { ok: false, reason: 'wrong' };
    // A locked account says so even to the right password (and counts nothing more) until the time is up.
    if (user.lockedUntil && user.lockedUntil > now.toISOString()) return { ok: false, reason: 'locked', until: user.lockedUntil };
    if (!matches) {
      const until = new Date(now.getTime() + this.policy.lockMinutes * 60_000).toISOString();
      await this.store.failedSignIn(user.id, this.policy.lockAfter, until);
      const after = await this.store.user(user.id);
      return after?.lockedUntil && after.lockedUntil > now.toISOString()
        ? { ok: false, reason: 'locked', until: after.lockedUntil }
        : { ok: false, reason: 'wrong' };
    }
    await this.store.succeededSignIn(user.id);
    return { ok: true, user };
  }

  /** A new session: the cookie's token and the CSRF token (only their use is stored: the token's hash). */
  async startSession(user: ConsoleUser, now = new Date()): Promise<{ token: string; csrf: string; expiresAt: string }> {
    const token = newToken();
    const csrf = newToken();
    const expiresAt = new Date(now.getTime() + this.policy.sessionMinutes * 60_000).toISOString();
    await this.store.createSession(sha256(token), user.id, csrf, now.toISOString(), expiresAt);
    return { token, csrf, expiresAt };
  }

  /** The session of a cookie token, extended while in use (idle timeout). */
  async session(token: string | undefined, now = new Date()): Promise<ConsoleSession | undefined> {
    if (!token || token.length > 100) return undefined;
    const session = await this.store.session(sha256(token), now.toISOString());
    if (!session) return undefined;
    const remaining = Date.parse(session.expiresAt) - now.getTime();
    if (remaining < (this.policy.sessionMinutes * 60_000) / 2) {
      const expiresAt = new Date(now.getTime() + this.policy.sessionMinutes * 60_000).toISOString();
      await this.store.extendSession(sha256(token), expiresAt);
      return { ...session, expiresAt };
    }
    return session;
  }

  endSession = (token: string) => this.store.endSession(sha256(token));

  /** An account to be taken up with the returned one-time token (in the link `…/admin/#invitation=<token>`). */
  async invite(
    who: { name: string; role: ConsoleRole; tenants: string[] },
    by: string,
    now = new Date(),
  ): Promise<{ user: ConsoleUser; token: string } | undefined> {
    const token = newToken();
    const user: ConsoleUser = {
      id: randomUUID(),
      name: who.name,
      role: who.role,
      tenants: who.role === 'operator' ? [] : who.tenants,
      invitationExpiresAt: new Date(now.getTime() + this.policy.invitationHours * 3_600_000).toISOString(),
      failedAttempts: 0,
      createdAt: now.toISOString(),
      createdBy: by,
    };
    return (await this.store.createUser({ ...user, invitationHash: sha256(token) })) ? { user, token } : undefined;
  }

  async acceptInvitation(token: string, password: string, now = new Date()): Promise<ConsoleUser | undefined> {
    return this.store.acceptInvitation(sha256(token), await hashPassword(password), now.toISOString());
  }

  /**
   * OZG_ADMIN_BOOTSTRAP=<name>:<password>: the first operator account, made only while no operator
   * exists (afterwards the variable is ignored, so a leaked one opens nothing). Answers what happened.
   */
  async bootstrap(value: string | undefined): Promise<'created' | 'ignored' | 'none'> {
    if (!value) return 'none';
    const colon = value.indexOf(':');
    const name = value.slice(0, colon);
    const password = value.slice(colon + 1);
    if (colon < 1 || !NAME.test(name) || password.length < PASSWORD_MIN)
      throw new Error(
        `OZG_ADMIN_BOOTSTRAP must be <name>:<password> with a name of letters, digits, ".", "_", "@", "-" and a password of at least ${PASSWORD_MIN} characters`,
      );
    if ((await this.store.operatorCount()) > 0) return 'ignored';
    const now = new Date().toISOString();
    const created = await this.store.createUser({
      id: randomUUID(),
      name,
      role: 'operator',
      tenants: [],
      passwordHash: await hashPassword(password),
      failedAttempts: 0,
      createdAt: now,
      createdBy: 'OZG_ADMIN_BOOTSTRAP',
    });
    return created ? 'created' : 'ignored';
  }
}

/** Account names: what people type, nothing that needs escaping anywhere. */
export const NAME = /^[A-Za-z0-9._@-]{2,64}$/;

/** May this account change (and read) this tenant layer? */
export const mayEdit = (user: ConsoleUser, tenant: string) => user.role === 'operator' || user.tenants.includes(tenant);
