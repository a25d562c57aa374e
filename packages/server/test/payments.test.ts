/**
 * Paying, on the real host process: applications with fees are stored with their payment
 * state and delivered only once paid; only verified provider notifications or status answers
 * count; tampered, replayed and wrong-amount notifications change nothing; a lost notification
 * is recovered when the citizen returns or by the host's reconciliation; one application is
 * never charged twice. Against the embedded sandbox provider and against a local stand-in of
 * GiroCheckout's redirect-and-notify protocol (written here from the protocol, independently of
 * the adapter).
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { computeFees, type Fees, type PaymentStatus } from '@ozg-forms/core';
import { demoToken, editJson, exampleConfig, json, listen, operator, post, startHost, type RunningHost } from './harness.js';

const SANDBOX_SECRET = 'test-sandbox-secret-0123456789';
const GIRO_SECRET = 'giro-project-secret';
const MUSTERSTADT = 'stadt-musterstadt';
const LINDENAU = 'gemeinde-lindenau';

const ORDER = { familienname: 'Muster', vornamen: 'Erika', geburtsdatum: '1990-01-02', anzahl: 2, zustellung: 'express' };

// ---- a stand-in of the GiroCheckout protocol (the provider's side) ----------------------
const md5 = (values: string[]) => createHmac('md5', GIRO_SECRET).update(values.join('')).digest('hex');
interface GiroTx {
  reference: string;
  merchantTxId: string;
  amount: string;
  currency: string;
  urlRedirect: string;
  urlNotify: string;
  result?: string;
}

async function giroStandIn() {
  const txs = new Map<string, GiroTx>();
  const requests: string[] = [];
  const signed = (res: import('node:http').ServerResponse, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json', hash: md5([text]) });
    res.end(text);
  };
  const server = await listen((req, res, raw) => {
    const form = new URLSearchParams(raw.toString());
    const entries = [...form.entries()];
    const hash = form.get('hash');
    const values = entries.filter(([k]) => k !== 'hash').map(([, v]) => v);
    requests.push(req.url!);
    if (hash !== md5(values)) return json(res, 400, { rc: 5000, msg: 'hash' });
    if (req.url === '/api/v2/transaction/start') {
      const reference = randomUUID();
      txs.set(reference, {
        reference,
        merchantTxId: form.get('merchantTxId')!,
        amount: form.get('amount')!,
        currency: form.get('currency')!,
        urlRedirect: form.get('urlRedirect')!,
        urlNotify: form.get('urlNotify')!,
      });
      return signed(res, { rc: 0, msg: '', reference, redirect: `${server.base}/pay/${reference}` });
    }
    if (req.url === '/api/v2/transaction/status') {
      const tx = txs.get(form.get('reference')!);
      if (!tx) return signed(res, { rc: 5100, msg: 'unknown' });
      return signed(res, {
        rc: 0,
        msg: '',
        reference: tx.reference,
        merchantTxId: tx.merchantTxId,
        backendTxId: 'B1',
        amount: tx.amount,
        currency: tx.currency,
        resultPayment: tx.result ?? '4500',
      });
    }
    json(res, 404, {});
  });
  /** The notify/redirect parameters for a result, signed (or with a changed amount). */
  const params = (tx: GiroTx, code: string, amount = tx.amount) => {
    const values = [tx.reference, tx.merchantTxId, 'B1', amount, tx.currency, code];
    const names = ['gcReference', 'gcMerchantTxId', 'gcBackendTxId', 'gcAmount', 'gcCurrency', 'gcResultPayment'];
    return new URLSearchParams([...names.map((n, i): [string, string] => [n, values[i]!]), ['gcHash', md5(values)]]);
  };
  return {
    ...server,
    requests,
    txs,
    params,
    /** The citizen decided on the provider's page: the provider notifies (unless lost), answers the redirect. */
    async decide(reference: string, code: string, notify = true) {
      const tx = txs.get(reference)!;
      tx.result = code;
      const notification = notify ? await fetch(`${tx.urlNotify}?${params(tx, code)}`) : undefined;
      return { notification, redirect: `${tx.urlRedirect}?${params(tx, code)}` };
    },
  };
}

describe('payments', () => {
  let host: RunningHost;
  let giro: Awaited<ReturnType<typeof giroStandIn>>;
  let authority: Awaited<ReturnType<typeof listen>>;
  const delivered: string[] = [];

  before(async () => {
    giro = await giroStandIn();
    authority = await listen((_req, res, body) => {
      delivered.push((JSON.parse(body.toString()) as { vorgangsnummer: string }).vorgangsnummer);
      json(res, 200, {});
    });
    const config = exampleConfig((dir) => {
      editJson(join(dir, 'host.json'), (h) => {
        const tenants = h.tenants as Record<string, Record<string, unknown>>;
        tenants[MUSTERSTADT]!.delivery = { '*': { type: 'webhook', url: authority.base, secret: 'webhook-secret-0123456789' } };
        tenants[LINDENAU]!.payment = {
          sandbox: {},
          girocheckout: { apiUrl: `${giro.base}/api/v2`, merchantId: '1234567', projectId: '4711', secret: GIRO_SECRET },
        };
      });
      editJson(join(dir, 'tenants/gemeinde-lindenau.json'), (t) => {
        (t.payment as { providers: unknown[] }).providers.push({
          id: 'girocheckout',
          label: { de: 'giropay / Kreditkarte', en: 'giropay / credit card' },
        });
      });
    });
    host = await startHost({
      configDir: config,
      env: { OZG_SANDBOX_SECRET: SANDBOX_SECRET, OZG_PAYMENT_RECONCILE: '1', OZG_DELIVERY_INTERVAL: '1' },
    });
  });
  after(async () => {
    await host.stop();
    await giro.close();
    await authority.close();
  });

  const order = (tenant: string, overrides: Record<string, unknown> = {}, data: Record<string, unknown> = ORDER) => ({
    tenant,
    service: 'geburtsurkunde',
    idempotencyKey: `pay-${randomUUID()}`,
    locale: 'de',
    data,
    payment: { provider: 'sandbox', returnUrl: `${host.base}/geburtsurkunde.html#ozg-payment` },
    ...overrides,
  });
  const start = async (body: ReturnType<typeof order>) => {
    const res = await post(host.base, body);
    assert.equal(res.status, 202, await res.clone().text());
    return (await res.json()) as { vorgangsnummer: string; payment: PaymentStatus };
  };
  const status = async (tenant: string, idempotencyKey: string) =>
    (await (
      await fetch(`${host.base}/api/payments/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant, idempotencyKey }),
      })
    ).json()) as PaymentStatus;
  /** Another attempt for the application (POST /api/payments/retry). */
  const retryWith = async (tenant: string, idempotencyKey: string, provider: string, returnUrl: string) =>
    (await (
      await fetch(`${host.base}/api/payments/retry`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ tenant, idempotencyKey, provider, returnUrl }),
      })
    ).json()) as PaymentStatus;
  const stored = async (tenant: string, vorgangsnummer: string) =>
    (await (await operator(host.base, `${tenant}/submissions/${vorgangsnummer}`, demoToken(tenant))).json()) as {
      deliveries: Record<string, string>;
      payment: { state: string; attempts: Array<{ state: string; duplicate: boolean; amount: number }> };
    };
  /** The citizen on the sandbox page presses a button; answers where the browser is sent. */
  const sandboxDecides = async (redirectUrl: string, outcome: string) => {
    const res = await fetch(`${redirectUrl}/${outcome}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(res.status, 303);
    return res.headers.get('location')!;
  };
  const returnTo = async (url: string) => {
    const res = await fetch(url, { redirect: 'manual' });
    assert.equal(res.status, 303);
    return res.headers.get('location')!;
  };
  const signSandbox = (body: string, time = Math.floor(Date.now() / 1000)) =>
    `t=${time},v1=${createHmac('sha256', SANDBOX_SECRET).update(`${time}.${body}`).digest('hex')}`;
  const sandboxNotify = (body: string, signature = signSandbox(body)) =>
    fetch(`${host.base}/api/payments/notify/sandbox/${MUSTERSTADT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sandbox-signature': signature },
      body,
    });

  describe('starting', () => {
    it('refuses an application with fees without a payment choice, with an unknown provider, or a foreign return page', async () => {
      const none = await post(host.base, order(MUSTERSTADT, { payment: undefined }));
      assert.equal(none.status, 402);
      assert.match(((await none.json()) as { message: { de: string } }).message.de, /Zahlungsart/);
      const unknown = await post(host.base, order(MUSTERSTADT, { payment: { provider: 'girocheckout', returnUrl: `${host.base}/x.html` } }));
      assert.equal(unknown.status, 422);
      const foreign = await post(host.base, order(MUSTERSTADT, { payment: { provider: 'sandbox', returnUrl: 'https://evil.example/phish' } }));
      assert.equal(foreign.status, 422);
      assert.equal(((await foreign.json()) as { error: string }).error, 'payment-return');
    });

    it('answers status and retry only to pages of the tenant (preflight and request)', async () => {
      const preflight = (origin: string) =>
        fetch(`${host.base}/api/payments/status`, {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
        });
      assert.equal((await preflight('https://evil.example')).status, 403);
      const listed = await preflight('https://www.musterstadt.example');
      assert.equal(listed.status, 204);
      assert.equal(listed.headers.get('access-control-allow-origin'), 'https://www.musterstadt.example');
      const body = order(MUSTERSTADT);
      await start(body);
      const foreign = await fetch(`${host.base}/api/payments/status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
        body: JSON.stringify({ tenant: MUSTERSTADT, idempotencyKey: body.idempotencyKey }),
      });
      assert.equal(foreign.status, 403);
      assert.equal(((await foreign.json()) as { vorgangsnummer?: string }).vorgangsnummer, undefined);
    });

    it('stores the application with the amount computed on the host, holds its delivery, and a double click starts nothing new', async () => {
      const body = order(MUSTERSTADT);
      const first = await start(body);
      assert.equal(first.payment.state, 'open');
      assert.equal(first.payment.total, 2 * 1200 + 950);
      assert.match(first.payment.redirectUrl!, /\/sandbox-payment\/SBX-/);
      const again = await post(host.base, body);
      assert.equal(again.status, 200);
      const second = (await again.json()) as { vorgangsnummer: string; payment: PaymentStatus };
      assert.equal(second.vorgangsnummer, first.vorgangsnummer);
      assert.equal(second.payment.redirectUrl, first.payment.redirectUrl);
      const record = await stored(MUSTERSTADT, first.vorgangsnummer);
      assert.equal(record.payment.state, 'open');
      assert.equal(record.payment.attempts.length, 1);
      assert.equal(record.deliveries.authority, 'held');
    });

    it('charges what the host computes for several answer combinations and tenants — the same as the browser shows', async () => {
      const service = JSON.parse(await (await fetch(`${host.base}/services/geburtsurkunde.json`)).text()) as { fees: Fees };
      const cases: Array<[string, Record<string, unknown>, number]> = [
        [MUSTERSTADT, { ...ORDER, anzahl: 1, zustellung: 'post' }, 1200],
        [MUSTERSTADT, { ...ORDER, anzahl: 3, mehrsprachig: 2, zustellung: 'express' }, 3 * 1200 + 2 * 300 + 950],
        [LINDENAU, { ...ORDER, anzahl: 3, mehrsprachig: 1, zustellung: 'express' }, 3 * 1000 + 300],
        [LINDENAU, { ...ORDER, anzahl: 1, zustellung: 'abholung' }, 1000],
      ];
      for (const [tenant, data, expected] of cases) {
        const overrides = ((await (await fetch(`${host.base}/tenants/${tenant}.json`)).json()) as { services?: Record<string, { fees?: never }> })
          .services?.geburtsurkunde?.fees;
        const browser = computeFees(service.fees, data, overrides);
        const { payment } = await start(order(tenant, {}, data));
        assert.equal(payment.total, expected, `${tenant} ${JSON.stringify(data)}`);
        assert.deepEqual(payment.lines, browser.lines);
        assert.equal(payment.total, browser.total);
      }
    });
  });

  describe('sandbox provider', () => {
    it('pay: the verified notification marks it paid, the authority receives it once, the citizen returns to the municipal page', async () => {
      const body = order(MUSTERSTADT);
      const { vorgangsnummer, payment } = await start(body);
      const back = await sandboxDecides(payment.redirectUrl!, 'paid');
      assert.match(back, /\/api\/payments\/return\//);
      assert.equal(await returnTo(back), `${host.base}/geburtsurkunde.html#ozg-payment`);
      const now = await status(MUSTERSTADT, body.idempotencyKey);
      assert.equal(now.state, 'paid');
      assert.match(now.reference!, /^SBX-/);
      await host.waitForLog((l) => l.msg === 'delivered' && l.vorgangsnummer === vorgangsnummer && l.target === 'authority');
      assert.equal(delivered.filter((v) => v === vorgangsnummer).length, 1);
      // A retry after paying starts nothing: it answers paid.
      const retry = await retryWith(MUSTERSTADT, body.idempotencyKey, 'sandbox', body.payment.returnUrl);
      assert.equal(retry.state, 'paid');
      assert.equal((await stored(MUSTERSTADT, vorgangsnummer)).payment.attempts.length, 1);
    });

    it('cancel, then fail, then pay with a new attempt each time; the application stays held until paid', async () => {
      const body = order(MUSTERSTADT);
      const { vorgangsnummer, payment } = await start(body);
      await returnTo(await sandboxDecides(payment.redirectUrl!, 'cancelled'));
      assert.equal((await status(MUSTERSTADT, body.idempotencyKey)).state, 'cancelled');
      const retry = () => retryWith(MUSTERSTADT, body.idempotencyKey, 'sandbox', body.payment.returnUrl);
      const second = await retry();
      assert.equal(second.state, 'open');
      assert.notEqual(second.redirectUrl, payment.redirectUrl);
      await returnTo(await sandboxDecides(second.redirectUrl!, 'failed'));
      assert.equal((await status(MUSTERSTADT, body.idempotencyKey)).state, 'failed');
      assert.equal((await stored(MUSTERSTADT, vorgangsnummer)).deliveries.authority, 'held');
      const third = await retry();
      await returnTo(await sandboxDecides(third.redirectUrl!, 'paid'));
      assert.equal((await status(MUSTERSTADT, body.idempotencyKey)).state, 'paid');
      const record = await stored(MUSTERSTADT, vorgangsnummer);
      assert.deepEqual(
        record.payment.attempts.map((a) => a.state),
        ['cancelled', 'failed', 'paid'],
      );
    });

    it('a tampered, a replayed, a stale and a wrong-amount notification change nothing', async () => {
      const body = order(MUSTERSTADT);
      const { vorgangsnummer } = await start(body);
      const attemptId = (
        (await (await operator(host.base, `${MUSTERSTADT}/submissions/${vorgangsnummer}`, demoToken(MUSTERSTADT))).json()) as {
          payment: { attempts: Array<{ id: string; providerRef: string }> };
        }
      ).payment.attempts[0]!;
      const note = (change: Record<string, unknown> = {}) =>
        JSON.stringify({
          notificationId: randomUUID(),
          reference: attemptId.providerRef,
          attemptId: attemptId.id,
          amount: 3350,
          currency: 'EUR',
          result: 'paid',
          ...change,
        });
      // Tampered: signed, then the amount changed.
      const signedBody = note({ result: 'cancelled' });
      const tampered = await sandboxNotify(signedBody.replace('"cancelled"', '"paid"'), signSandbox(signedBody));
      assert.equal(tampered.status, 400);
      // Signed with the right key, but for another amount.
      assert.equal((await sandboxNotify(note({ amount: 1 }))).status, 400);
      // Too old (a captured notification sent again later).
      const old = note();
      assert.equal((await sandboxNotify(old, signSandbox(old, Math.floor(Date.now() / 1000) - 3600))).status, 400);
      assert.equal((await status(MUSTERSTADT, body.idempotencyKey)).state, 'open');
      // A replay of a valid notification: the first counts, the second is refused.
      const cancel = note({ result: 'cancelled' });
      assert.equal((await sandboxNotify(cancel)).status, 200);
      assert.equal((await sandboxNotify(cancel)).status, 409);
      assert.equal((await stored(MUSTERSTADT, vorgangsnummer)).deliveries.authority, 'held');
    });

    it('paid in two tabs: the application is paid once, the second payment is marked for refund and logged', async () => {
      const body = order(MUSTERSTADT);
      const { vorgangsnummer, payment } = await start(body);
      // A second tab starts another attempt while the first provider page is still open.
      const second = await retryWith(MUSTERSTADT, body.idempotencyKey, 'sandbox', body.payment.returnUrl);
      const from = host.logs.length;
      await sandboxDecides(payment.redirectUrl!, 'paid');
      await sandboxDecides(second.redirectUrl!, 'paid');
      await host.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('second payment'), from);
      const record = await stored(MUSTERSTADT, vorgangsnummer);
      assert.equal(record.payment.state, 'paid');
      assert.deepEqual(
        record.payment.attempts.map((a) => [a.state, a.duplicate]),
        [
          ['paid', false],
          ['paid', true],
        ],
      );
      await host.waitForLog((l) => l.msg === 'delivered' && l.vorgangsnummer === vorgangsnummer && l.target === 'authority', from);
      assert.equal(delivered.filter((v) => v === vorgangsnummer).length, 1);
      assert.equal((await status(MUSTERSTADT, body.idempotencyKey)).state, 'paid');
    });

    it("a lost notification: the citizen's return asks the provider", async () => {
      const body = order(MUSTERSTADT);
      const { payment } = await start(body);
      await returnTo(await sandboxDecides(payment.redirectUrl!, 'lost'));
      assert.equal((await status(MUSTERSTADT, body.idempotencyKey)).state, 'paid');
    });

    it('a lost notification and a closed browser: the host reconciles on its own and delivers', async () => {
      const body = order(MUSTERSTADT);
      const { vorgangsnummer, payment } = await start(body);
      const from = host.logs.length;
      await sandboxDecides(payment.redirectUrl!, 'lost'); // the browser never comes back
      await host.waitForLog((l) => l.msg === 'payment confirmed' && l.via === 'status', from);
      await host.waitForLog((l) => l.msg === 'delivered' && l.vorgangsnummer === vorgangsnummer && l.target === 'authority', from);
      assert.equal((await stored(MUSTERSTADT, vorgangsnummer)).payment.state, 'paid');
    });
  });

  describe('GiroCheckout protocol (local stand-in)', () => {
    const giroOrder = () => order(LINDENAU, { payment: { provider: 'girocheckout', returnUrl: `${host.base}/geburtsurkunde.html#ozg-payment` } });
    const referenceOf = (redirect: string) => redirect.split('/pay/')[1]!;

    it('starts with a signed request, believes the signed notification, acknowledges a repeat without changing anything', async () => {
      const body = giroOrder();
      const { payment } = await start(body);
      assert.ok(payment.redirectUrl!.startsWith(`${giro.base}/pay/`));
      const tx = giro.txs.get(referenceOf(payment.redirectUrl!))!;
      assert.equal(tx.amount, String(2 * 1000)); // Lindenau: 10,00 € per certificate, no express
      assert.match(tx.urlNotify, /\/api\/payments\/notify\/girocheckout\/gemeinde-lindenau$/);
      const { notification, redirect } = await giro.decide(tx.reference, '4000');
      assert.equal(notification!.status, 200);
      assert.equal(await notification!.text(), 'OK');
      assert.equal((await status(LINDENAU, body.idempotencyKey)).state, 'paid');
      // The provider repeats notifications until acknowledged: acknowledged, counted once.
      const from = host.logs.length;
      const repeat = await fetch(`${tx.urlNotify}?${giro.params(tx, '4000')}`);
      assert.equal(repeat.status, 200);
      await host.waitForLog((l) => l.msg === 'payment notification seen before: ignored', from);
      assert.equal(await returnTo(redirect), body.payment.returnUrl);
    });

    it('rejects a notification with a wrong hash or a changed amount', async () => {
      const body = giroOrder();
      const { payment } = await start(body);
      const tx = giro.txs.get(referenceOf(payment.redirectUrl!))!;
      const forged = giro.params(tx, '4000');
      forged.set('gcAmount', '1');
      assert.equal((await fetch(`${tx.urlNotify}?${forged}`)).status, 400);
      // Correctly signed (the key leaked, or a provider bug) but not the amount asked for.
      assert.equal((await fetch(`${tx.urlNotify}?${giro.params(tx, '4000', '1')}`)).status, 400);
      assert.equal((await status(LINDENAU, body.idempotencyKey)).state, 'open');
    });

    it('a lost notification: the return asks transaction/status; a cancel (4502) allows another provider', async () => {
      const body = giroOrder();
      const { payment } = await start(body);
      const tx = giro.txs.get(referenceOf(payment.redirectUrl!))!;
      const { redirect } = await giro.decide(tx.reference, '4502', false);
      await returnTo(redirect);
      assert.ok(giro.requests.includes('/api/v2/transaction/status'));
      assert.equal((await status(LINDENAU, body.idempotencyKey)).state, 'cancelled');
      const retry = await retryWith(LINDENAU, body.idempotencyKey, 'sandbox', body.payment.returnUrl);
      assert.equal(retry.provider, 'sandbox');
      assert.match(retry.redirectUrl!, /sandbox-payment/);
    });

    it('an answer to transaction/start that is not signed with the project secret starts nothing', async () => {
      const tampering = await listen((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', hash: '0'.repeat(32) });
        res.end(JSON.stringify({ rc: 0, msg: '', reference: 'x', redirect: 'https://evil.example/pay' }));
      });
      const config = exampleConfig((dir) =>
        editJson(join(dir, 'host.json'), (h) => {
          (h.tenants as Record<string, Record<string, unknown>>)[LINDENAU]!.payment = {
            girocheckout: { apiUrl: tampering.base, merchantId: '1', projectId: '2', secret: GIRO_SECRET },
          };
        }),
      );
      editJson(join(config, 'tenants/gemeinde-lindenau.json'), (t) => {
        t.payment = { providers: [{ id: 'girocheckout', label: { de: 'giropay' } }] };
      });
      const other = await startHost({ configDir: config });
      try {
        const res = await post(other.base, { ...giroOrder(), payment: { provider: 'girocheckout', returnUrl: `${other.base}/x.html` } });
        const answer = (await res.json()) as { payment: PaymentStatus };
        assert.equal(answer.payment.state, 'failed');
        assert.equal(answer.payment.redirectUrl, undefined);
      } finally {
        await other.stop();
        await tampering.close();
      }
    });
  });
});
