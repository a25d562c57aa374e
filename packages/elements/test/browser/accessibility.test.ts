import { expect } from '@open-wc/testing';
import { choose, mount, press, root, submit, type } from './helpers.js';

/** The example schema with every field type, a nested group, lists and a condition. */
const everyFieldType = await (await fetch(new URL('../../../../examples/schemas/alle-feldarten.schema.json', import.meta.url))).json();

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
      properties: {
        name: { type: 'string', title: 'Name' },
        ja: { type: 'boolean', title: 'Einverstanden?' },
        farbe: { enum: ['rot', 'grün'], title: 'Farbe' },
      },
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
    expect(root(el).activeElement?.textContent?.trim()).to.equal('Absenden');
    await press(el, 'Enter');
    await el.updateComplete;
    expect(submitted).to.deep.equal({ name: 'Erika', ja: true, farbe: 'grün' });
  });
});
