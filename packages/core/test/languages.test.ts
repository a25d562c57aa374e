/**
 * The six languages: every catalog complete, with the same placeholders as German (a lost
 * "{label}" would hide which field an error is about); loading on demand; the conventions
 * citizens type in (dates, decimals, Arabic-Indic digits); German fallbacks marked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildFormModel,
  formatDateForInput,
  formatNumber,
  hasCatalog,
  loadCatalog,
  localizeWithLang,
  MESSAGE_CATALOGS,
  MESSAGE_KEYS,
  nodeAtPointer,
  nodeHelpLang,
  nodeLabelLang,
  offeredLanguages,
  optionLabel,
  parseDateInput,
  parseNumberInput,
  SUPPORTED_LOCALES,
  translate,
  type ChoiceNode,
} from '../src/index.js';

// English loads on demand, as in the browser.
await loadCatalog('en');

/** The parameters a text uses: `{name}`, and `{name, plural, …}` (whose branches may say `#`). */
const placeholders = (text: string) => [...new Set([...text.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort();

describe('message catalogs', () => {
  it('loads each language on demand, complete and with the placeholders of the German text', async () => {
    for (const locale of SUPPORTED_LOCALES) {
      await loadCatalog(locale);
      assert.ok(hasCatalog(locale), locale);
      const catalog = MESSAGE_CATALOGS[locale]!;
      assert.deepEqual(Object.keys(catalog).sort(), [...MESSAGE_KEYS].sort(), `${locale}: exactly the keys of the German catalog`);
      for (const key of MESSAGE_KEYS) {
        assert.ok(catalog[key].trim(), `${locale} ${key} is empty`);
        assert.deepEqual(placeholders(catalog[key]), placeholders(MESSAGE_CATALOGS.de[key]), `${locale} ${key}: placeholders`);
        if (locale !== 'de' && locale !== 'en' && !/^(repeat\.itemLegend|form\.errorPrefix)$/.test(key))
          assert.notEqual(catalog[key], MESSAGE_CATALOGS.en![key], `${locale} ${key} is still English`);
      }
    }
    assert.equal(translate('ar', 'assistant.next'), 'متابعة');
    assert.equal(translate('uk', 'error.required', { label: 'Ім’я' }), 'Будь ласка, заповніть «Ім’я».');
  });
});

describe('what citizens type and read, per language', () => {
  it('reads dates with dots, slashes and Arabic-Indic digits; shows them in the language’s way', () => {
    assert.equal(parseDateInput('14.03.2001'), '2001-03-14');
    // What a phone's digit-only keypad can type (no "."): eight digits, or with spaces.
    assert.equal(parseDateInput('15011990'), '1990-01-15');
    assert.equal(parseDateInput('15 1 1990'), '1990-01-15');
    assert.equal(parseDateInput('31021990'), '31021990', 'no such day: kept as typed, so validation says so');
    assert.equal(parseDateInput('1501199'), '1501199');
    assert.equal(parseDateInput('١٤/٠٣/٢٠٠١'), '2001-03-14');
    assert.equal(parseDateInput('۱۴/۰۳/۲۰۰۱'), '2001-03-14');
    assert.equal(formatDateForInput('2001-03-14', 'ar'), '14/03/2001');
    assert.equal(formatDateForInput('2001-03-14', 'tr'), '14.03.2001');
    assert.equal(formatDateForInput('2001-03-14', 'ru'), '14.03.2001');
  });

  it('reads numbers with the language’s decimal separator and shows them readable', () => {
    assert.equal(parseNumberInput('1 234,5', 'ru'), 1234.5);
    // A phone's decimal keypad shows the separator of the phone's own language, not the form's.
    assert.equal(parseNumberInput('12.5', 'de'), 12.5, 'an English keypad in a German form');
    assert.equal(parseNumberInput('12,5', 'en'), 12.5, 'a German keypad in an English form');
    assert.equal(parseNumberInput('1.234', 'de'), 1234, 'three digits after one dot: German thousands');
    assert.equal(parseNumberInput('12,5', 'tr'), 12.5);
    assert.equal(parseNumberInput('١٢٫٥', 'ar'), 12.5);
    assert.equal(parseNumberInput('1,234', 'ar'), 1234);
    assert.equal(formatNumber(58000.5, 'ar'), '58,000.5', 'Latin digits in Arabic');
    assert.match(formatNumber(58000.5, 'ru'), /^58\s000,5$/);
  });
});

describe('service texts in every language, German fallbacks marked', () => {
  const schema = {
    type: 'object',
    properties: {
      zweck: {
        type: 'string',
        title: 'Zweck',
        oneOf: [
          { const: '001', title: 'Studium' },
          { const: '002', title: 'Arbeit' },
        ],
      },
      name: { type: 'string', title: 'Name', description: 'Wie im Pass' },
    },
  };
  const model = buildFormModel(schema, {
    hints: { '/zweck': { label: { ar: 'الغرض' }, options: { '001': { ar: 'الدراسة', en: 'Studies' } } }, '/name': { label: { tr: 'Ad' } } },
  });
  const zweck = nodeAtPointer(model.root, '/zweck') as ChoiceNode;
  const name = nodeAtPointer(model.root, '/name')!;

  it('marks a German label or help text shown in another language', () => {
    assert.equal(nodeLabelLang(zweck, 'ar', 'de'), undefined, 'translated: no mark');
    assert.equal(nodeLabelLang(zweck, 'ru', 'de'), 'de', 'the schema title is German');
    assert.equal(nodeLabelLang(zweck, 'ru'), undefined, 'a bare schema: its language is unknown');
    assert.equal(nodeLabelLang(name, 'tr', 'de'), undefined);
    assert.equal(nodeHelpLang(name, 'tr', 'de'), 'de');
    assert.equal(nodeLabelLang(name, 'de', 'de'), undefined);
  });

  it('translates choices by value and marks the ones left in German', () => {
    assert.deepEqual(optionLabel(zweck, zweck.options[0]!, 'ar', 'de'), { text: 'الدراسة' });
    assert.deepEqual(optionLabel(zweck, zweck.options[1]!, 'ar', 'de'), { text: 'Arbeit', lang: 'de' });
    assert.deepEqual(optionLabel(zweck, zweck.options[0]!, 'de', 'de'), { text: 'Studium' });
  });

  it('falls back to German, not to English', () => {
    assert.deepEqual(localizeWithLang({ de: 'Zweck', en: 'Purpose' }, 'uk'), { text: 'Zweck', lang: 'de' });
    assert.deepEqual(localizeWithLang({ en: 'Purpose' }, 'uk'), { text: 'Purpose', lang: 'en' });
    assert.deepEqual(localizeWithLang('Zweck', 'uk'), { text: 'Zweck', lang: 'uk' });
  });

  it('offers the languages municipality and service share, German first', () => {
    assert.deepEqual(offeredLanguages({ languages: ['ar', 'de', 'tr'] } as never, { languages: ['de', 'tr', 'ar', 'ru'] } as never), [
      'de',
      'ar',
      'tr',
    ]);
    assert.deepEqual(offeredLanguages({ languages: ['de', 'uk'] } as never, undefined), ['de', 'uk']);
    assert.deepEqual(offeredLanguages(undefined, { languages: ['de', 'en'] } as never), ['de']);
  });
});
