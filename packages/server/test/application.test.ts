/**
 * Core's application lifecycle (packages/core/src/application.ts) against the real host process:
 * the answers it reads are the answers the host gives — a receipt (201), the same receipt for
 * the same key (200), field errors (422), a conflict (409) worded in the citizen's language,
 * an application stored to be paid (202), and, after the round trip to the sandbox provider,
 * the paid receipt.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Application, DraftStore, type DraftStorage, type Send } from '@ozg-forms/core';
import { geburtsurkunde, hundeanmeldung, startHost, VALID_DOG, type RunningHost } from './harness.js';

class MemoryStorage implements DraftStorage {
  items = new Map<string, string>();
  getItem = (k: string) => this.items.get(k) ?? null;
  setItem = (k: string, v: string) => void this.items.set(k, v);
  removeItem = (k: string) => void this.items.delete(k);
}

const send: Send = (url, init) => fetch(url, init as RequestInit);

describe('the application lifecycle against the host', () => {
  let host: RunningHost;
  before(async () => {
    host = await startHost({ env: { OZG_SANDBOX_SECRET: 'test-sandbox-secret-0123456789' } });
  });
  after(() => host.stop());

  const application = (key: string, storage = new MemoryStorage(), navigated: string[] = []) =>
    new Application({
      send,
      navigate: (url) => navigated.push(url),
      drafts: new DraftStore(storage, 'ozg-forms:draft:stadt-musterstadt:test'),
      snapshot: () => ({ data: {} }),
      newKey: () => key,
    });
  const endpoint = () => `${host.base}/api/submissions`;
  const payloadOf = (p: { tenant: string; service: string; data: Record<string, unknown> }, locale: 'de' | 'en' = 'de') => ({
    tenant: p.tenant,
    service: p.service,
    data: p.data,
    locale,
  });

  it('is received (201), and the same key again gets the same Vorgangsnummer (200)', async () => {
    const p = hundeanmeldung();
    const first = await application(p.idempotencyKey).submit({ endpoint: endpoint(), payload: payloadOf(p) });
    assert.equal(first.name, 'received');
    const number = first.name === 'received' && first.receipt.vorgangsnummer;
    assert.match(String(number), /^OZG-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const again = await application(p.idempotencyKey).submit({ endpoint: endpoint(), payload: payloadOf(p) });
    assert.deepEqual(again, first);

    // Other answers under the same key: refused (409), in English for an English-speaking citizen.
    const changed = await application(p.idempotencyKey).submit({
      endpoint: endpoint(),
      payload: payloadOf({ ...p, data: { ...VALID_DOG, gefaehrlich: true } }, 'en'),
    });
    assert.equal(changed.name, 'failed');
    assert.match(changed.name === 'failed' && 'text' in changed.reason ? changed.reason.text : '', /^Different answers were already submitted/);
  });

  it('gets the host’s field errors back (422)', async () => {
    const p = hundeanmeldung({ data: { ...VALID_DOG, haltungBeginn: 'gestern' } });
    const outcome = await application(p.idempotencyKey).submit({ endpoint: endpoint(), payload: payloadOf(p) });
    assert.equal(outcome.name, 'invalid');
    assert.deepEqual(outcome.name === 'invalid' && outcome.issues.map((i) => i.pointer), ['/haltungBeginn']);
  });

  it('is stored to be paid (202), goes to the provider, and after paying there is received', async () => {
    const order = geburtsurkunde();
    const storage = new MemoryStorage();
    const navigated: string[] = [];
    const returnUrl = `${host.base}/geburtsurkunde.html#ozg-payment`;
    const stored = await application(order.idempotencyKey, storage, navigated).submit({
      endpoint: endpoint(),
      payload: { ...payloadOf(order), payment: { provider: 'sandbox', returnUrl } },
    });
    assert.equal(stored.name, 'redirecting');
    assert.equal(navigated.length, 1);
    assert.match(navigated[0]!, /\/sandbox-payment\/SBX-/);

    // The citizen pays on the sandbox page, then comes back: a new page with the kept draft.
    const paid = await fetch(`${navigated[0]}/paid`, { method: 'POST', redirect: 'manual' });
    assert.equal(paid.status, 303);
    const back = application('unused', storage);
    assert.ok(back.start(), 'the draft of the application being paid for is resumed');
    assert.equal(back.key, order.idempotencyKey);
    const outcome = await back.checkPayment(order.tenant, endpoint(), 'de');
    assert.equal(outcome.name, 'received');
    assert.equal(outcome.name === 'received' && outcome.receipt.payment?.state, 'paid');
    assert.equal(storage.items.size, 0);
  });
});
