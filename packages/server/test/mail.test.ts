/**
 * The confirmation e-mail speaks the citizen's language — any of the six — with the German text
 * below it (the authority's language); a German mail is German only. Never any answers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SUPPORTED_LOCALES } from '@ozg-forms/core';
import { MAIL_TEXTS, mailIn } from '../src/delivery/mail-texts.js';

const params = {
  service: 'Hundeanmeldung',
  tenant: 'Stadt Musterstadt',
  receivedAt: '2026-12-02T09:30:00.000Z',
  vorgangsnummer: 'OZG-2026-ABCD-1234',
};

describe('the confirmation e-mail', () => {
  it('is written in every language, each naming the Vorgangsnummer, the service and the municipality', () => {
    for (const locale of SUPPORTED_LOCALES) {
      const mail = mailIn(locale, params);
      assert.ok(mail.subject.startsWith(MAIL_TEXTS[locale].subject.replace(': {vorgangsnummer}', '')), locale);
      for (const value of [params.vorgangsnummer, params.service, params.tenant]) assert.ok(mail.text.includes(value), `${locale}: ${value}`);
      assert.doesNotMatch(mail.text, /\{\w+\}/, `${locale}: every placeholder filled`);
    }
  });

  it('puts the citizen’s language first and German below; a German mail is German only', () => {
    const uk = mailIn('uk', params);
    assert.match(uk.text, /^Добрий день,/);
    assert.match(uk.text, /\n---\n\nGuten Tag,/);
    assert.match(uk.text, /отримано 2 грудня 2026/);
    assert.match(uk.subject, /^Підтвердження отримання: OZG-2026-ABCD-1234 \/ Eingangsbestätigung$/);
    const de = mailIn('de', params);
    assert.match(de.text, /^Guten Tag,/);
    assert.doesNotMatch(de.text, /---|Hello/);
    assert.match(de.text, /am 2\. Dezember 2026 um 10:30 eingegangen/);
  });
});
