import { expect } from '@open-wc/testing';
import { choose, mount, press, root, submit, type } from './helpers.js';

/** One schema with every field type, a nested group, a list and a condition. */
export const everyFieldType = {
  type: 'object',
  title: 'Alle Feldarten',
  required: ['name', 'hund', 'farbe', 'land', 'kinder'],
  properties: {
    name: { type: 'string', title: 'Name', description: 'Wie im Ausweis', minLength: 2 },
    plz: { type: 'string', title: 'PLZ', pattern: '^[0-9]{5}$' },
    geburtsdatum: { type: 'string', format: 'date', title: 'Geburtsdatum' },
    email: { type: 'string', format: 'email', title: 'E-Mail' },
    web: { type: 'string', format: 'uri', title: 'Webseite' },
    text: { type: 'string', maxLength: 1000, title: 'Bemerkung' },
    anzahl: { type: 'integer', minimum: 1, title: 'Anzahl' },
    betrag: { type: 'number', title: 'Betrag' },
    newsletter: { type: 'boolean', title: 'Newsletter' },
    hund: { type: 'boolean', title: 'Halten Sie einen Hund?' },
    farbe: { enum: ['rot', 'grün'], title: 'Farbe' },
    land: { type: 'string', title: 'Land', oneOf: Array.from({ length: 8 }, (_, i) => ({ const: String(i), title: `Land ${i}` })) },
    sprachen: { type: 'array', title: 'Sprachen', items: { enum: ['de', 'en'] } },
    anschrift: { type: 'object', title: 'Anschrift', properties: { ort: { type: 'string', title: 'Ort' } } },
    kinder: { type: 'array', title: 'Kind', minItems: 1, items: { type: 'object', properties: { vorname: { type: 'string', title: 'Vorname' } }, required: ['vorname'] } },
    version: { type: 'string', title: 'Version', const: '1' },
  },
  if: { properties: { hund: { const: true } }, required: ['hund'] },
  then: { properties: { rasse: { type: 'string', title: 'Rasse' } }, required: ['rasse'] },
};

describe('<ozg-antrag> accessibility (axe)', () => {
  it('every field type passes axe, empty', async () => {
    const el = await mount(everyFieldType);
    await expect(el).to.be.accessible();
  });

  it('passes axe with field errors and the error summary shown', async () => {
    const el = await mount(everyFieldType);
    await type(el, '/plz', '1');
    await submit(el);
    expect(root(el).querySelectorAll('.error-message').length).to.be.greaterThan(4);
    await expect(el).to.be.accessible();
  });

  it('passes axe with a condition open, in English', async () => {
    const el = await mount(everyFieldType, { lang: 'en' });
    await choose(el, '/hund', 'Yes');
    await expect(el).to.be.accessible();
  });

  it('passes axe in the loading-problem and schema-problem states', async () => {
    const broken = await mount({ type: 'object', properties: { a: { $ref: '#/nope' } } });
    await expect(broken).to.be.accessible();
    const warned = await mount({ type: 'object', properties: { a: { type: 'string', foo: 1 } } });
    await expect(warned).to.be.accessible();
  });

  it('can be filled and submitted with the keyboard alone', async () => {
    const el = await mount({
      type: 'object',
      required: ['name', 'ja'],
      properties: { name: { type: 'string', title: 'Name' }, ja: { type: 'boolean', title: 'Einverstanden?' }, farbe: { enum: ['rot', 'grün'], title: 'Farbe' } },
    });
    let submitted: unknown;
    el.addEventListener('ozg-submit', (e) => (submitted = e.detail));
    (root(el).querySelector('input') as HTMLInputElement).focus();
    const { sendKeys } = await import('@web/test-runner-commands');
    await sendKeys({ type: 'Erika' });
    await press(el, 'Tab'); // to "Ja"
    await press(el, 'Space');
    await press(el, 'Tab'); // to the first colour
    await press(el, 'ArrowDown'); // "grün"
    await press(el, 'Tab'); // to "Absenden"
    expect(root(el).activeElement?.textContent).to.equal('Absenden');
    await press(el, 'Enter');
    await el.updateComplete;
    expect(submitted).to.deep.equal({ name: 'Erika', ja: true, farbe: 'grün' });
  });
});
