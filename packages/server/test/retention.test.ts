/**
 * Applications nobody paid for do not stay for ever: after OZG_UNPAID_RETENTION_HOURS the
 * host deletes them with their attempts (personal data kept no longer than needed); paid ones
 * and ones with a payment still open at a provider stay.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import sqlite from 'node-sqlite3-wasm';
import { demoToken, geburtsurkunde, newDataDir, operator, post, startHost, type RunningHost } from './harness.js';

const ENV = { OZG_PAYMENT_RECONCILE: '1', OZG_UNPAID_RETENTION_HOURS: '1' };

async function order(host: RunningHost, key: string) {
  const res = await post(
    host.base,
    geburtsurkunde({ idempotencyKey: key, payment: { provider: 'sandbox', returnUrl: `${host.base}/geburtsurkunde.html` } }),
  );
  assert.equal(res.status, 202);
  return (await res.json()) as { vorgangsnummer: string; payment: { redirectUrl: string } };
}

const decide = (redirectUrl: string, outcome: string) => fetch(`${redirectUrl}/${outcome}`, { method: 'POST', redirect: 'manual' });
const exists = async (host: RunningHost, vorgangsnummer: string) =>
  (await operator(host.base, `stadt-musterstadt/submissions/${vorgangsnummer}`, demoToken('stadt-musterstadt'))).status === 200;

describe('unpaid applications', () => {
  it('are deleted after the retention period; paid ones stay', async () => {
    const dataDir = newDataDir();
    let host = await startHost({ dataDir, env: ENV });
    const cancelled = await order(host, 'retention-cancelled-1');
    const paid = await order(host, 'retention-paid-0001');
    await decide(cancelled.payment.redirectUrl, 'cancelled');
    await decide(paid.payment.redirectUrl, 'paid');
    await host.stop();
    // Two hours later (the records aged in the database while the host was stopped).
    const db = new sqlite.Database(join(dataDir, 'ozg-forms.sqlite'));
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000).toISOString();
    db.run('UPDATE submissions SET received_at = ?', [twoHoursAgo]);
    db.run('UPDATE payments SET created_at = ?', [twoHoursAgo]);
    db.close();
    host = await startHost({ dataDir, env: ENV });
    try {
      await host.waitForLog(
        (l) => l.msg === 'unpaid application deleted after the retention period' && l.vorgangsnummer === cancelled.vorgangsnummer,
      );
      assert.equal(await exists(host, cancelled.vorgangsnummer), false);
      assert.equal(await exists(host, paid.vorgangsnummer), true);
    } finally {
      await host.stop();
    }
    const after = new sqlite.Database(join(dataDir, 'ozg-forms.sqlite'));
    try {
      assert.equal(after.all('SELECT COUNT(*) AS n FROM payments')[0]!.n, 1, 'only the paid attempt is left');
    } finally {
      after.close();
    }
  });
});
