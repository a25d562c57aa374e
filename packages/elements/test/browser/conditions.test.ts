import { expect } from '@open-wc/testing';
import { choose, click, control, errorText, has, labelText, mount, root, submit, type } from './helpers.js';

describe('<ozg-antrag> conditions change the form live', () => {
  it('if/then/else: fields appear, disappear and become required; hidden values are not submitted', async () => {
    const el = await mount({
      type: 'object',
      required: ['zweck'],
      properties: { zweck: { title: 'Zweck des Aufenthalts', enum: ['Erwerbstätigkeit', 'Studium'] } },
      if: { properties: { zweck: { const: 'Erwerbstätigkeit' } }, required: ['zweck'] },
      then: { properties: { arbeitgeber: { type: 'string', title: 'Arbeitgeber' } }, required: ['arbeitgeber'] },
      else: { properties: { hochschule: { type: 'string', title: 'Hochschule' } } },
    });
    expect(has(el, '/arbeitgeber')).to.equal(false);
    expect(has(el, '/hochschule')).to.equal(true);
    await choose(el, '/zweck', 'Erwerbstätigkeit');
    expect(has(el, '/arbeitgeber')).to.equal(true);
    expect(labelText(el, '/arbeitgeber')).to.equal('Arbeitgeber*');
    expect(has(el, '/hochschule')).to.equal(false);
    await type(el, '/arbeitgeber', 'ACME GmbH');
    await choose(el, '/zweck', 'Studium');
    await type(el, '/hochschule', 'Uni Bonn');
    expect(await submit(el)).to.deep.equal({ zweck: 'Studium', hochschule: 'Uni Bonn' });
    await choose(el, '/zweck', 'Erwerbstätigkeit');
    expect(control(el, '/arbeitgeber').value, 'input typed earlier is back when the field reappears').to.equal('ACME GmbH');
  });

  it('if/then inside allOf, several conditions at once', async () => {
    const el = await mount({
      type: 'object',
      properties: { a: { type: 'boolean', title: 'A' }, b: { type: 'boolean', title: 'B' } },
      allOf: [
        { if: { properties: { a: { const: true } }, required: ['a'] }, then: { properties: { fa: { type: 'string', title: 'Folgefrage A' } } } },
        { if: { properties: { b: { const: true } }, required: ['b'] }, then: { properties: { fb: { type: 'string', title: 'Folgefrage B' } } } },
      ],
    });
    await click(el, '/a');
    expect(has(el, '/fa')).to.equal(true);
    expect(has(el, '/fb')).to.equal(false);
  });

  it('dependentRequired: answering one field makes others required', async () => {
    const el = await mount({
      type: 'object',
      properties: { telefon: { type: 'string', title: 'Telefon' }, erreichbarkeit: { type: 'string', title: 'Erreichbar von–bis' } },
      dependentRequired: { telefon: ['erreichbarkeit'] },
    });
    expect(labelText(el, '/erreichbarkeit')).to.equal('Erreichbar von–bis');
    await type(el, '/telefon', '0228 123');
    expect(labelText(el, '/erreichbarkeit')).to.equal('Erreichbar von–bis*');
    expect(await submit(el)).to.equal(undefined);
    expect(errorText(el, '/erreichbarkeit')).to.equal('Fehler: Bitte füllen Sie das Feld „Erreichbar von–bis“ aus.');
    await type(el, '/telefon', '');
    expect(labelText(el, '/erreichbarkeit')).to.equal('Erreichbar von–bis');
    expect(errorText(el, '/erreichbarkeit'), 'the error goes with the requirement').to.equal(undefined);
  });

  it('dependentSchemas: a field appears when another is answered (draft-07 dependencies too)', async () => {
    for (const keyword of ['dependentSchemas', 'dependencies']) {
      const el = await mount({
        ...(keyword === 'dependencies' ? { $schema: 'http://json-schema.org/draft-07/schema#' } : {}),
        type: 'object',
        properties: { email: { type: 'string', format: 'email', title: 'E-Mail' } },
        [keyword]: { email: { properties: { newsletter: { type: 'boolean', title: 'Newsletter per E-Mail' } }, required: ['newsletter'] } },
      });
      expect(has(el, '/newsletter'), keyword).to.equal(false);
      await type(el, '/email', 'a@b.de');
      expect(has(el, '/newsletter'), keyword).to.equal(true);
      expect(control(el, '/newsletter').type, 'required boolean → yes/no').to.equal('radio');
      await choose(el, '/newsletter', 'Nein');
      expect(await submit(el)).to.deep.equal({ email: 'a@b.de', newsletter: false });
      el.remove();
    }
  });

  it('conditions inside list items apply per item', async () => {
    const el = await mount({
      type: 'object',
      properties: {
        kinder: {
          type: 'array',
          title: 'Kind',
          minItems: 2,
          items: {
            type: 'object',
            properties: { lebtImHaushalt: { type: 'boolean', title: 'Lebt im Haushalt' } },
            if: { properties: { lebtImHaushalt: { const: false } }, required: ['lebtImHaushalt'] },
            then: { properties: { anschrift: { type: 'string', title: 'Anschrift des Kindes' } }, required: ['anschrift'] },
          },
        },
      },
      required: ['kinder'],
    });
    await click(el, '/kinder/1/lebtImHaushalt');
    await click(el, '/kinder/1/lebtImHaushalt');
    expect(has(el, '/kinder/1/anschrift')).to.equal(true);
    expect(has(el, '/kinder/0/anschrift')).to.equal(false);
    expect(root(el).querySelectorAll('input').length).to.be.greaterThan(2);
  });
});
