/**
 * The host's refusals in every language: each text present, the same placeholders as the English
 * one (German may leave a technical detail out), counts by each language's plural rules.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOST_MESSAGES, hostMessages, type HostMessageKey } from '../src/host-messages.js';
import { SUPPORTED_LOCALES } from '../src/messages.js';

const placeholders = (text: string) => new Set([...text.matchAll(/\{(\w+)(?:\}|, plural)/g)].map((m) => m[1]));

describe('host messages', () => {
  it('have a text in every language with no placeholder English lacks', () => {
    for (const [key, texts] of Object.entries(HOST_MESSAGES)) {
      const english = placeholders(texts.en);
      for (const locale of SUPPORTED_LOCALES) {
        const text = (texts as Record<string, string>)[locale];
        assert.ok(text && text.trim(), `${key}: no ${locale} text`);
        for (const p of placeholders(text)) assert.ok(english.has(p), `${key} (${locale}): {${p}} is not in the English text`);
      }
    }
  });

  it('fill their placeholders, per language where a value differs by language', () => {
    const all = hostMessages('host.attachmentMissing', (locale) => ({ label: locale === 'de' ? 'Impfpass' : 'Vaccination record' }));
    assert.equal(all.de, 'Bitte fügen Sie „Impfpass“ bei.');
    assert.equal(all.ru, 'Пожалуйста, приложите «Vaccination record».');
    for (const key of Object.keys(HOST_MESSAGES) as HostMessageKey[]) {
      const params = Object.fromEntries([...placeholders(HOST_MESSAGES[key].en)].map((p) => [p, 7]));
      for (const text of Object.values(hostMessages(key, params))) assert.doesNotMatch(text, /\{/, `${key}: ${text}`);
    }
  });

  it('count by each language’s plural rules', () => {
    assert.match(hostMessages('host.tooManyRequests', { seconds: 1 }).de, /warten Sie eine Sekunde/);
    assert.match(hostMessages('host.tooManyRequests', { seconds: 30 }).de, /warten Sie 30 Sekunden/);
    assert.match(hostMessages('host.tooManyRequests', { seconds: 3 }).uk, /3 секунди/);
    assert.match(hostMessages('host.tooManyRequests', { seconds: 5 }).ru, /5 секунд /);
    assert.match(hostMessages('host.attachmentsAtMost', { max: 1 }).en, /^At most one attachment is possible/);
  });
});
