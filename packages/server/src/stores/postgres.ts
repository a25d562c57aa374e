/**
 * PostgreSQL, for when one machine's SQLite file is outgrown (DATABASE_URL). Same tables,
 * same store; the idempotent insert relies on the (tenant, idempotency_key) constraint, so
 * several hosts behind a load balancer still store one record per application.
 */
import pg from 'pg';
import type { Store } from '../store.js';
import { sqlStore, type SqlDriver } from './sql-store.js';

/** `?` placeholders (the store's dialect) → `$1, $2, …` (PostgreSQL's). */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

export async function openPostgresStore(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const driver: SqlDriver = {
    kind: 'postgres',
    skipLocked: ' FOR UPDATE SKIP LOCKED',
    blobType: 'BYTEA',
    serialType: 'BIGSERIAL',
    all: async <T>(sql: string, values: unknown[] = []) => (await pool.query(numbered(sql), values)).rows as T[],
    async insertIf<T>(first: [string, unknown[]], rest: Iterable<[string, unknown[]]>) {
      const tx = await pool.connect();
      try {
        await tx.query('BEGIN');
        const row = (await tx.query(numbered(first[0]), first[1])).rows[0] as T | undefined;
        if (row) for (const [sql, values] of rest) await tx.query(numbered(sql), values);
        await tx.query(row ? 'COMMIT' : 'ROLLBACK');
        return row;
      } catch (err) {
        await tx.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        tx.release();
      }
    },
    close: () => pool.end(),
  };
  return sqlStore(driver, async (run) => {
    const client = await pool.connect();
    try {
      // One host at a time migrates; the others find the work done.
      await client.query('SELECT pg_advisory_lock(726354)');
      await run(async (sql, values = []) => (await client.query(numbered(sql), values)).rows as Array<Record<string, unknown>>);
    } finally {
      await client.query('SELECT pg_advisory_unlock(726354)').catch(() => undefined);
      client.release();
    }
  });
}
