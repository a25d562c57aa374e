/**
 * Counts in every language by its own plural rules (Intl.PluralRules): "1 error", not "1 errors";
 * Russian and Ukrainian have three forms, Arabic more.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { loadCatalog, SUPPORTED_LOCALES, translate } from '../src/messages.js';

describe('plural forms', () => {
  before(() => Promise.all(SUPPORTED_LOCALES.map((l) => loadCatalog(l))));

  it('says one error and two errors in English', () => {
    assert.match(translate('en', 'form.errorSummaryIntro', { count: 1 }), /^The form has 1 error\. /);
    assert.match(translate('en', 'form.errorSummaryIntro', { count: 2 }), /^The form has 2 errors\. /);
    assert.equal(translate('en', 'repeat.count', { count: 1, max: 3 }), '1 entry of at most 3');
    assert.match(translate('en', 'attachments.tooMany', { max: 1 }), /^At most one file is possible/);
  });

  it('follows German, Russian, Ukrainian and Arabic rules for the seconds to wait', () => {
    const wait = (locale: 'de' | 'ru' | 'uk' | 'ar', seconds: number) => translate(locale, 'submit.tooManyRequests', { seconds });
    assert.match(wait('de', 1), /warten Sie 1 Sekunde und/);
    assert.match(wait('de', 30), /warten Sie 30 Sekunden und/);
    assert.match(wait('ru', 1), /Подождите 1 секунду/);
    assert.match(wait('ru', 3), /Подождите 3 секунды/);
    assert.match(wait('ru', 30), /Подождите 30 секунд /);
    assert.match(wait('uk', 22), /Зачекайте 22 секунди/);
    assert.match(wait('ar', 2), /ثانيتين/);
    assert.match(wait('ar', 5), /5 ثوانٍ/);
  });

  it('leaves templates without plurals and unknown parameters as they were', () => {
    assert.equal(translate('en', 'config.tooDeep', { max: 8 }), 'the "extends" chain is longer than 8 layers');
    assert.match(translate('en', 'form.errorSummaryIntro', {}), /\{count, plural,/);
  });
});
