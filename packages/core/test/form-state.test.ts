import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFormModel, FormState, fieldIdOf, parseNumberInput, translate, MESSAGE_CATALOGS, MESSAGE_KEYS } from '../src/index.js';
import { loadCatalog } from '../src/messages.js';
import { createAjvValidator } from '../src/ajv-validator.js';

// English loads on demand, as in the browser.
await loadCatalog('en');

function stateFor(schema: Record<string, unknown>, data?: unknown) {
  const model = buildFormModel(schema);
  return new FormState(model, { validator: createAjvValidator(schema), data });
}

describe('FormState', () => {
  it('removes empty answers so that required means answered', () => {
    const s = stateFor({ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
    s.setValue('/a', 'x');
    s.setValue('/a', '');
    assert.deepEqual(s.submissionData(), {});
    assert.equal(s.validateAll()[0]!.error.keyword, 'required');
  });

  it('if/then/else shows, hides and requires fields live; hidden values are not submitted', () => {
    const s = stateFor({
      type: 'object',
      properties: { reason: { enum: ['work', 'study'] } },
      required: ['reason'],
      if: { properties: { reason: { const: 'work' } }, required: ['reason'] },
      then: { properties: { employer: { type: 'string' } }, required: ['employer'] },
      else: { properties: { university: { type: 'string' } } },
    });
    assert.equal(s.isVisible('/employer'), false);
    assert.equal(s.isVisible('/university'), true);
    let notified = 0;
    s.subscribe('', () => notified++);
    s.setValue('/reason', 'work');
    assert.equal(notified, 1);
    assert.equal(s.isVisible('/employer'), true);
    assert.equal(s.isRequired('/employer'), true);
    assert.equal(s.isVisible('/university'), false);
    s.setValue('/employer', 'ACME');
    s.setValue('/reason', 'study');
    s.setValue('/university', 'TU');
    assert.deepEqual(s.submissionData(), { reason: 'study', university: 'TU' });
    assert.deepEqual(s.validateAll(), []);
  });

  it('dependentRequired and dependentSchemas follow the answers', () => {
    const s = stateFor({
      type: 'object',
      properties: { phone: { type: 'string' }, callTime: { type: 'string' }, email: { type: 'string', format: 'email' } },
      dependentRequired: { phone: ['callTime'] },
      dependentSchemas: { email: { properties: { newsletter: { type: 'boolean' } }, required: ['newsletter'] } },
    });
    assert.equal(s.isRequired('/callTime'), false);
    s.setValue('/phone', '0301234');
    assert.equal(s.isRequired('/callTime'), true);
    assert.equal(s.isVisible('/newsletter'), false);
    s.setValue('/email', 'a@b.de');
    assert.equal(s.isVisible('/newsletter'), true);
    const errors = s.validateAll().map((e) => [e.pointer, e.error.keyword]);
    assert.deepEqual(errors, [
      ['/callTime', 'required'],
      ['/newsletter', 'required'],
    ]);
  });

  it('does not ask for required fields of an optional group left empty', () => {
    const s = stateFor({ type: 'object', properties: { alt: { type: 'object', properties: { street: { type: 'string' } }, required: ['street'] } } });
    assert.equal(s.isRequired('/alt/street'), false);
    assert.deepEqual(s.validateAll(), []);
    assert.deepEqual(s.submissionData(), {});
    s.setValue('/alt/street', 'Hauptstr.');
    assert.equal(s.isRequired('/alt/street'), true);
    s.setValue('/alt/street', '');
    assert.equal(s.isRequired('/alt/street'), false);
  });

  it('validates one field on blur with a readable message, in German and English', () => {
    const s = stateFor({
      type: 'object',
      properties: { plz: { type: 'string', title: 'Postleitzahl', pattern: '^[0-9]{5}$', examples: ['12345'] } },
    });
    s.setValue('/plz', '12');
    assert.equal(s.validateField('/plz'), false);
    assert.equal(s.errorMessage('/plz', 'de'), 'Bitte geben Sie „Postleitzahl“ im vorgesehenen Format ein, zum Beispiel 12345.');
    assert.equal(s.errorMessage('/plz', 'en'), 'Please enter "Postleitzahl" in the expected format, for example 12345.');
    s.setValue('/plz', '12345');
    assert.equal(s.getError('/plz'), undefined, 'an error clears while typing once the value is valid');
  });

  it("prefers the schema's own errorMessage", () => {
    const s = stateFor({ type: 'object', properties: { n: { type: 'string', minLength: 3, errorMessage: { minLength: 'Zu kurz!' } } } });
    s.setValue('/n', 'a');
    s.validateField('/n');
    assert.equal(s.errorMessage('/n', 'de'), 'Zu kurz!');
  });

  it('applies defaults and const, creates minItems entries of required lists', () => {
    const s = stateFor({
      type: 'object',
      required: ['kids'],
      properties: {
        country: { type: 'string', default: 'DE' },
        version: { type: 'string', const: '1.0' },
        kids: { type: 'array', minItems: 2, items: { type: 'object', properties: { n: { type: 'string', default: '?' } } } },
      },
    });
    assert.deepEqual(s.values, { country: 'DE', version: '1.0', kids: [{ n: '?' }, { n: '?' }] });
  });

  it('adds and removes repeat items; maps errors of compacted simple lists back', () => {
    const s = stateFor({ type: 'object', properties: { names: { type: 'array', items: { type: 'string', minLength: 2 }, maxItems: 3 } } });
    s.addItem('/names');
    s.addItem('/names');
    s.setValue('/names/1', 'x');
    assert.deepEqual(s.submissionData(), { names: ['x'] });
    const errors = s.validateAll();
    assert.deepEqual(
      errors.map((e) => e.pointer),
      ['/names/1'],
    );
    s.removeItem('/names', 0);
    assert.deepEqual(s.values, { names: ['x'] });
  });

  it('reports type errors for numbers typed in a wrong form', () => {
    const s = stateFor({ type: 'object', properties: { n: { type: 'number', title: 'Betrag', minimum: 1 } } });
    s.setValue('/n', parseNumberInput('zwölf'));
    s.validateField('/n');
    assert.match(s.errorMessage('/n', 'de')!, /Zahl/);
    s.setValue('/n', parseNumberInput('0,5'));
    s.validateField('/n');
    assert.equal(s.errorMessage('/n', 'de'), '„Betrag“ muss mindestens 1 sein.');
  });
});

describe('helpers', () => {
  it('parses numbers as citizens type them', () => {
    assert.equal(parseNumberInput('12,5'), 12.5);
    assert.equal(parseNumberInput('1.234,50'), 1234.5);
    assert.equal(parseNumberInput('1.000'), 1000);
    assert.equal(parseNumberInput('1.5', 'en'), 1.5);
    assert.equal(parseNumberInput(' '), undefined);
    assert.equal(parseNumberInput('12a'), '12a');
  });
  it('makes unique DOM ids from pointers', () => {
    assert.equal(fieldIdOf('/a b/0'), 'ozg-a_20b--0');
    assert.notEqual(fieldIdOf('/a_b'), fieldIdOf('/a/b'));
  });
  it('has every message in both catalogs and renders params as text', () => {
    for (const key of MESSAGE_KEYS) assert.ok(MESSAGE_CATALOGS.en![key], key);
    assert.equal(translate('de', 'repeat.add', { label: '<img onerror=x>' }), '<img onerror=x> hinzufügen');
  });
});

describe('dates', () => {
  it('reads German, British and ISO dates; keeps impossible dates as typed', async () => {
    const { parseDateInput, formatDateForInput } = await import('../src/index.js');
    assert.equal(parseDateInput('14.03.2001'), '2001-03-14');
    assert.equal(parseDateInput('1.2.2001'), '2001-02-01');
    assert.equal(parseDateInput('14/03/2001'), '2001-03-14');
    assert.equal(parseDateInput('2001-03-14'), '2001-03-14');
    assert.equal(parseDateInput('31.02.2001'), '31.02.2001');
    assert.equal(parseDateInput(''), undefined);
    assert.equal(formatDateForInput('2001-03-14', 'de'), '14.03.2001');
    assert.equal(formatDateForInput('2001-03-14', 'en'), '14/03/2001');
  });

  it('a FIM date field without format still refuses a date that does not exist', () => {
    const s = stateFor({
      type: 'object',
      properties: { d: { type: 'string', title: 'Termin', description: 'Datenfeld: Termin - Wertebereich: Datum' } },
    });
    s.setValue('/d', '31.02.2001');
    assert.equal(s.validateField('/d'), false);
    assert.equal(s.errorMessage('/d', 'de'), 'Bitte geben Sie bei „Termin“ ein gültiges Datum ein, zum Beispiel 14.03.2001.');
  });
});

describe('lists made required by a condition', () => {
  it('start with their minimum number of entries', () => {
    const s = stateFor({
      type: 'object',
      properties: { familie: { type: 'boolean' } },
      if: { properties: { familie: { const: true } }, required: ['familie'] },
      then: {
        properties: { personen: { type: 'array', minItems: 1, items: { type: 'object', properties: { name: { type: 'string' } } } } },
        required: ['personen'],
      },
    });
    assert.equal(s.itemCount('/personen'), 0);
    s.setValue('/familie', true);
    assert.equal(s.itemCount('/personen'), 1);
  });
});

describe('either/or alternatives (oneOf of object schemas)', () => {
  const schema = {
    type: 'object',
    properties: {
      lage: {
        type: 'object',
        title: 'Lage',
        oneOf: [
          { title: 'Anschrift', properties: { strasse: { type: 'string' } }, required: ['strasse'] },
          { title: 'Flurstück', properties: { flur: { type: 'integer' }, flurstueck: { type: 'string' } }, required: ['flur', 'flurstueck'] },
        ],
      },
    },
    required: ['lage'],
  };

  it('shows only the chosen alternative, requires its fields, submits only its values', () => {
    const s = stateFor(schema);
    const lage = s.model.root.childByKey.get('lage') as import('../src/index.js').GroupNode;
    assert.deepEqual(
      lage.alternatives?.map((a) => a.title),
      ['Anschrift', 'Flurstück'],
    );
    assert.equal(s.isVisible('/lage/strasse'), false);
    assert.deepEqual(
      s.validateAll().map((e) => [e.pointer, e.error.keyword]),
      [['/lage', 'alternative']],
    );
    s.chooseAlternative('/lage', 0);
    assert.equal(s.isVisible('/lage/strasse'), true);
    assert.equal(s.isVisible('/lage/flur'), false);
    assert.deepEqual(
      s.validateAll().map((e) => [e.pointer, e.error.keyword]),
      [['/lage/strasse', 'required']],
    );
    s.setValue('/lage/strasse', 'Hauptstraße');
    s.chooseAlternative('/lage', 1);
    s.setValue('/lage/flur', 3);
    s.setValue('/lage/flurstueck', '12/1');
    assert.deepEqual(s.validateAll(), []);
    assert.deepEqual(s.submissionData(), { lage: { flur: 3, flurstueck: '12/1' } });
  });

  it('choosing after a failed submit clears the choice error and asks for nothing that does not exist', () => {
    const s = stateFor(schema);
    assert.deepEqual(
      s.validateAll().map((e) => e.error.keyword),
      ['alternative'],
    );
    s.chooseAlternative('/lage', 1);
    assert.equal(s.getError('/lage'), undefined, 'no "please fill in Lage" for the group itself');
  });

  it('a recognised alternative with a missing field reports the field, not the choice', () => {
    const s = stateFor(schema, { lage: { flur: 2 } });
    assert.deepEqual(
      s.validateAll().map((e) => [e.pointer, e.error.keyword]),
      [['/lage/flurstueck', 'required']],
    );
  });

  it('recognises the alternative from prefilled data (a draft)', () => {
    const s = stateFor(schema, { lage: { flur: 2, flurstueck: '7' } });
    assert.equal(s.isVisible('/lage/flur'), true);
    assert.equal(s.isVisible('/lage/strasse'), false);
    assert.deepEqual(s.validateAll(), []);
  });
});
