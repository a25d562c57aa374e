/**
 * The application's lifecycle without a browser: every answer the host gives, the key kept
 * across retries and drafts, consent, the payment's round trip to a provider and back, and what
 * a public device keeps. The host's answers are real `Response` objects the way it sends them;
 * that the host really answers so is checked in packages/server/test/application.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Application, type HostAnswer, type Phase, type Send } from '../src/application.js';
import { DraftStore, type DraftStorage } from '../src/draft.js';
import type { PaymentStatus } from '../src/submission.js';

const ENDPOINT = 'https://host.example/api/submissions';

class MemoryStorage implements DraftStorage {
  items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

interface Request {
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A host that answers each request with the next of the given answers, and records the requests. */
function scriptedHost(...answers: Array<HostAnswer | Error>) {
  const requests: Request[] = [];
  const send: Send = async (url, init) => {
    requests.push({ url, headers: init.headers, body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body });
    const next = answers.shift();
    if (!next) throw new Error('no answer scripted');
    if (next instanceof Error) throw next;
    return next;
  };
  return { send, requests };
}

const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const status = (state: PaymentStatus['state'], extra: Partial<PaymentStatus> = {}): PaymentStatus => ({
  vorgangsnummer: 'HUND-2026-000001',
  state,
  total: 1500,
  currency: 'EUR',
  lines: [],
  ...extra,
});

function application(send: Send, opts: { storage?: MemoryStorage; terminal?: boolean; data?: Record<string, unknown> } = {}) {
  const storage = opts.storage ?? new MemoryStorage();
  const navigated: string[] = [];
  let n = 0;
  const app = new Application({
    send,
    navigate: (url) => navigated.push(url),
    drafts: new DraftStore(storage, 'ozg-forms:draft:t:s'),
    terminal: opts.terminal,
    snapshot: () => ({ data: opts.data ?? { name: 'Erika' }, position: 1 }),
    newKey: () => `key-${++n}`,
  });
  const phases: Phase['name'][] = [];
  const events: string[] = [];
  app.on((e) => (e.type === 'phase' ? phases.push(e.phase.name) : events.push(e.type)));
  return { app, storage, navigated, phases, events };
}

const submission = { endpoint: ENDPOINT, payload: { tenant: 't', service: 's', data: { name: 'Erika' }, locale: 'en' as const } };

describe('an application', () => {
  it('is received with its Vorgangsnummer (201), and its draft is gone', async () => {
    const host = scriptedHost(answer(201, { vorgangsnummer: 'HUND-1' }));
    const { app, storage, phases, events } = application(host.send);
    app.start();
    assert.ok(app.save());
    assert.equal(storage.items.size, 1);
    const outcome = await app.submit(submission);
    assert.deepEqual(outcome, { name: 'received', receipt: { vorgangsnummer: 'HUND-1' } });
    assert.deepEqual(phases, ['editing', 'sending', 'received']);
    assert.deepEqual(events, ['received']);
    assert.equal(storage.items.size, 0, 'no draft survives the receipt');
    assert.equal(app.save(), false, 'nothing is kept after the host has it');
    const sent = host.requests[0]!;
    assert.equal(sent.headers['idempotency-key'], 'key-1');
    assert.deepEqual(sent.body, { ...submission.payload, idempotencyKey: 'key-1' });
  });

  it('sends a retry after a network failure with the same key, and the same answer (200) counts as received', async () => {
    const host = scriptedHost(new TypeError('Failed to fetch'), answer(200, { vorgangsnummer: 'HUND-1' }));
    const { app, storage } = application(host.send);
    app.start();
    const failed = await app.submit(submission);
    assert.deepEqual(failed, { name: 'failed', reason: { key: 'submit.failed', params: { reason: 'Failed to fetch' } } });
    assert.equal(storage.items.size, 1, 'the answers are kept while it failed');
    assert.equal((await app.submit(submission)).name, 'received');
    assert.deepEqual(
      host.requests.map((r) => r.headers['idempotency-key']),
      ['key-1', 'key-1'],
    );
  });

  it('never sends twice at once', async () => {
    let release!: (a: HostAnswer) => void;
    let calls = 0;
    const app = application(() => {
      calls++;
      return new Promise((resolve) => (release = resolve));
    }).app;
    const first = app.submit(submission);
    assert.equal((await app.submit(submission)).name, 'sending');
    release(answer(201, { vorgangsnummer: 'HUND-1' }));
    assert.equal((await first).name, 'received');
    assert.equal(calls, 1);
  });

  it('gives the host field errors (422) back to the form and keeps editing', async () => {
    const errors = [{ pointer: '/name', keyword: 'minLength', params: { limit: 2 }, schemaPath: '#/properties/name/minLength' }];
    const host = scriptedHost(answer(422, { error: 'invalid', message: { de: 'Ungültig', en: 'Invalid' }, errors }));
    const { app, storage } = application(host.send);
    app.start();
    const outcome = await app.submit(submission);
    assert.deepEqual(outcome, { name: 'invalid', issues: errors, reason: { text: 'Invalid' } });
    assert.equal(app.phase.name, 'editing');
    assert.equal(storage.items.size, 1);
  });

  it('words refusals (402, 409, 422 without fields): the host’s text in the citizen’s language, a wait for 429, the scanner for 503, the status otherwise', async () => {
    const host = scriptedHost(
      answer(409, { error: 'idempotency-conflict', message: { de: 'Schon eingereicht', en: 'Already submitted', tr: 'Zaten gönderildi' } }),
      answer(402, { error: 'payment-required', message: { de: 'Bitte Zahlungsart wählen', en: 'Please choose how to pay' } }),
      answer(422, { error: 'undefined-answers', message: { de: 'Unbekannt', en: 'Unknown answers' }, errors: [{ pointer: '/x' }] }),
      answer(429, { error: 'rate-limit' }, { 'retry-after': '30' }),
      answer(503, { error: 'scanner-unavailable', message: { de: 'x', en: 'x' } }),
      answer(500, 'not json at all'),
      answer(201, { not: 'a receipt' }),
    );
    const { app } = application(host.send);
    const reasons = [];
    for (const locale of ['tr', 'en', 'en', 'de', 'de', 'de', 'de'] as const) {
      const outcome = await app.submit({ ...submission, payload: { ...submission.payload, locale } });
      assert.equal(outcome.name, 'failed');
      reasons.push(outcome.name === 'failed' && outcome.reason);
    }
    assert.deepEqual(reasons, [
      { text: 'Zaten gönderildi' },
      { text: 'Please choose how to pay' },
      { text: 'Unknown answers' },
      { key: 'submit.tooManyRequests', params: { seconds: 30 } },
      { key: 'submit.scannerUnavailable' },
      { key: 'submit.rejected', params: { status: 500 } },
      { key: 'submit.rejected', params: { status: 201 } },
    ]);
  });

  it('sends the consent it was given, and keeps it in the draft', async () => {
    const host = scriptedHost(answer(201, { vorgangsnummer: 'HUND-1' }));
    const { app, storage } = application(host.send);
    app.start();
    const consent = { textVersion: 'abc', locale: 'de' as const, time: '2026-12-02T10:00:00Z', confirmed: ['datenschutz'] };
    app.agree(consent);
    assert.deepEqual(JSON.parse([...storage.items.values()][0]!).consent, consent);
    await app.submit(submission);
    assert.deepEqual((host.requests[0]!.body as { consent: unknown }).consent, consent);
  });
});

describe('a draft', () => {
  it('is offered; continuing restores its key and consent, starting anew forgets both', async () => {
    const storage = new MemoryStorage();
    const first = application(scriptedHost().send, { storage });
    first.app.start();
    first.app.agree({ textVersion: 'v', locale: 'de', time: 't', confirmed: [] });
    assert.ok(first.app.save());

    const second = application(scriptedHost().send, { storage });
    second.app.start();
    assert.equal(second.app.phase.name, 'offered');
    assert.equal(second.app.save(), false, 'an offered draft is not overwritten');
    const draft = second.app.continueDraft();
    assert.deepEqual(draft?.data, { name: 'Erika' });
    assert.equal(draft?.position, 1);
    assert.equal(second.app.key, 'key-1');
    assert.equal(second.app.consent?.textVersion, 'v');

    const third = application(scriptedHost().send, { storage });
    third.app.start();
    third.app.restart();
    assert.equal(third.app.phase.name, 'editing');
    assert.equal(third.app.key, 'key-2');
    assert.equal(third.app.consent, undefined);
    assert.equal(storage.items.size, 0);
  });

  it('is neither kept nor offered on a public device', () => {
    const storage = new MemoryStorage();
    storage.setItem('ozg-forms:draft:t:s', JSON.stringify({ version: 1, savedAt: 'x', data: {}, idempotencyKey: 'old' }));
    const { app } = application(scriptedHost().send, { storage, terminal: true });
    assert.equal(app.start(), undefined);
    assert.equal(app.phase.name, 'editing');
    assert.equal(app.save(), false);
  });
});

describe('paying', () => {
  it('goes to the provider when stored (202), comes back, asks the host and is received once paid', async () => {
    const storage = new MemoryStorage();
    const open = status('open', { redirectUrl: 'https://pay.example/tx/1', provider: 'sandbox' });
    const host = scriptedHost(answer(202, { vorgangsnummer: open.vorgangsnummer, payment: open }));
    const before = application(host.send, { storage, terminal: true });
    before.app.start();
    const sent = await before.app.submit({
      ...submission,
      payload: { ...submission.payload, payment: { provider: 'sandbox', returnUrl: 'https://stadt.example/antrag' } },
    });
    assert.equal(sent.name, 'redirecting');
    assert.deepEqual(before.navigated, ['https://pay.example/tx/1']);
    assert.deepEqual(before.events, ['payment']);
    const kept = JSON.parse(storage.getItem('ozg-forms:draft:t:s')!);
    assert.equal(kept.payment, true, 'even a public device keeps the application being paid for');
    assert.equal(kept.idempotencyKey, 'key-1');

    // Back from the provider: a new page, the same tab.
    const paid = status('paid', { reference: 'R-1' });
    const back = scriptedHost(answer(200, paid));
    const after = application(back.send, { storage, terminal: true });
    const resumed = after.app.start();
    assert.deepEqual(resumed?.data, { name: 'Erika' });
    assert.equal(after.app.key, 'key-1');
    const outcome = await after.app.checkPayment('t', ENDPOINT, 'de');
    assert.deepEqual(outcome, { name: 'received', receipt: { vorgangsnummer: paid.vorgangsnummer, payment: paid } });
    assert.equal(back.requests[0]!.url, 'https://host.example/api/payments/status');
    assert.deepEqual(back.requests[0]!.body, { tenant: 't', idempotencyKey: 'key-1' });
    assert.equal(storage.items.size, 0);
    assert.deepEqual(after.events, ['payment', 'received']);
  });

  it('after a cancel, a new attempt goes through retry with the same key; a refusal keeps the known state', async () => {
    const cancelled = status('cancelled');
    const host = scriptedHost(
      answer(202, { vorgangsnummer: cancelled.vorgangsnummer, payment: cancelled }),
      answer(422, { error: 'payment-provider', message: { de: 'Nicht angeboten', en: 'Not offered' } }),
      answer(200, status('open', { redirectUrl: 'https://pay.example/tx/2' })),
    );
    const { app, navigated } = application(host.send);
    app.start();
    assert.equal((await app.submit(submission)).name, 'payable');
    assert.ok(app.paymentDue(0), 'once stored, paying is due whatever the fees say now');
    const refused = await app.retryPayment('t', ENDPOINT, { provider: 'nope', returnUrl: 'https://x.example/' }, 'en');
    assert.deepEqual(refused, { name: 'payable', payment: cancelled, problem: { text: 'Not offered' } });
    const again = await app.retryPayment('t', ENDPOINT, { provider: 'sandbox', returnUrl: 'https://x.example/' }, 'en');
    assert.equal(again.name, 'redirecting');
    assert.deepEqual(navigated, ['https://pay.example/tx/2']);
    assert.deepEqual(host.requests[2]!.body, { tenant: 't', idempotencyKey: 'key-1', provider: 'sandbox', returnUrl: 'https://x.example/' });
  });

  it('asks for a provider before anything is sent', () => {
    const { app } = application(scriptedHost().send);
    app.start();
    app.needsChoice();
    assert.deepEqual(app.phase, { name: 'editing', problem: { key: 'payment.chooseProvider' } });
  });
});

describe('signing in with a Nutzerkonto', () => {
  const signIn = {
    session: 'S'.repeat(43),
    expiresAt: '2099-01-01T00:00:00Z',
    provider: 'bundid',
    level: 'hoch',
    prefill: { '/name': 'Erika' },
    readOnly: ['/name'],
  };

  it('leaves for the provider with the draft kept, and resumes it at once on return (even on a public device, once)', () => {
    const storage = new MemoryStorage();
    const first = application(scriptedHost().send, { storage, terminal: true });
    first.app.start();
    first.app.leaveForSignIn('https://host.example/api/login/start?x=1');
    assert.deepEqual(first.navigated, ['https://host.example/api/login/start?x=1']);
    const kept = JSON.parse(storage.items.get('ozg-forms:draft:t:s')!) as { signingIn?: boolean; idempotencyKey: string };
    assert.equal(kept.signingIn, true);
    const back = application(scriptedHost().send, { storage, terminal: true });
    const resumed = back.app.start();
    assert.deepEqual(resumed?.data, { name: 'Erika' });
    assert.equal(back.app.key, kept.idempotencyKey, 'the same application');
    assert.equal(back.app.phase.name, 'editing', 'not offered: resumed');
    assert.equal(storage.items.size, 0, 'a public device keeps it for the round trip only');
  });

  it('sends the session with the application; a session the host no longer knows asks to sign in again', async () => {
    const host = scriptedHost(
      answer(401, { error: 'login-expired', message: { de: 'Abgelaufen', en: 'Your sign-in has expired' } }),
      answer(201, { vorgangsnummer: 'MELDE-1' }),
    );
    const { app, events, storage } = application(host.send);
    app.start();
    app.signIn = signIn;
    const refused = await app.submit(submission);
    assert.equal(host.requests[0]!.headers.authorization, `Bearer ${signIn.session}`);
    assert.deepEqual(refused, { name: 'failed', reason: { text: 'Your sign-in has expired' } });
    assert.deepEqual(events, ['signed-out']);
    assert.equal(app.signIn, undefined);
    assert.equal(storage.items.size, 1, 'the answers are kept');
    app.signIn = { ...signIn, session: 'T'.repeat(43) };
    assert.equal((await app.submit(submission)).name, 'received');
    assert.equal(host.requests[1]!.headers.authorization, `Bearer ${'T'.repeat(43)}`);
    assert.equal(host.requests[1]!.headers['idempotency-key'], host.requests[0]!.headers['idempotency-key'], 'a retry, not a second application');
  });
});
