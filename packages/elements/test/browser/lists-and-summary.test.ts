import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { control, errorText, has, labelText, mount, press, renderDone, root, submit, summaryLinks, type } from './helpers.js';
import type { OzgAntrag } from '../../src/index.js';

const buttons = (el: OzgAntrag, cls: string) => [...root(el).querySelectorAll<HTMLButtonElement>(`.${cls}`)];

describe('<ozg-antrag> repeatable groups', () => {
  const schema = {
    type: 'object',
    required: ['kinder'],
    properties: {
      kinder: {
        type: 'array',
        title: 'Kind',
        minItems: 1,
        maxItems: 3,
        items: {
          type: 'object',
          properties: { vorname: { type: 'string', title: 'Vorname' }, alter: { type: 'integer', title: 'Alter', minimum: 0 } },
          required: ['vorname'],
        },
      },
      vornamen: { type: 'array', title: 'Weiterer Vorname', items: { type: 'string', minLength: 2 }, maxItems: 2 },
    },
  };

  it('starts with minItems entries, adds and removes with focus management, honours maxItems', async () => {
    const el = await mount(schema);
    expect(has(el, '/kinder/0/vorname')).to.equal(true);
    expect(buttons(el, 'repeat-remove').length, 'cannot remove below minItems').to.equal(0);
    const add = buttons(el, 'repeat-add')[0]!;
    expect(add.textContent!.trim()).to.equal('Kind hinzufügen');
    add.click();
    await renderDone(el);
    expect(root(el).activeElement).to.equal(control(el, '/kinder/1/vorname'));
    expect(root(el).querySelector('[data-item="1"] legend')!.textContent!.trim()).to.equal('Kind 2');
    await sendKeys({ type: 'Mia' });
    buttons(el, 'repeat-add')[0]!.click();
    await renderDone(el);
    expect(
      buttons(el, 'repeat-add').map((b) => b.textContent!.trim()),
      'no add button at maxItems',
    ).to.deep.equal(['Weiterer Vorname hinzufügen']);
    expect(root(el).querySelector('.repeat-count')!.textContent).to.equal('3 von höchstens 3 Einträgen');
    const removeFirst = buttons(el, 'repeat-remove')[0]!;
    expect(removeFirst.textContent!.trim()).to.equal('Kind 1 entfernen');
    removeFirst.click();
    await renderDone(el);
    expect(control(el, '/kinder/0/vorname').value, 'the next item moved up').to.equal('Mia');
    expect(root(el).activeElement?.classList.contains('repeat-add')).to.equal(true);
  });

  it('repeats simple values as single fields and submits them without empty entries', async () => {
    const el = await mount(schema);
    await type(el, '/kinder/0/vorname', 'Ben');
    const addName = buttons(el, 'repeat-add').find((b) => b.textContent!.includes('Vorname'))!;
    addName.click();
    await renderDone(el);
    expect(labelText(el, '/vornamen/0')).to.equal('Weiterer Vorname 1');
    await sendKeys({ type: 'Karl' });
    await press(el, 'Tab');
    buttons(el, 'repeat-add')
      .find((b) => b.textContent!.includes('Vorname'))!
      .click();
    await renderDone(el);
    expect(await submit(el)).to.deep.equal({ kinder: [{ vorname: 'Ben' }], vornamen: ['Karl'] });
  });

  it('validates fields inside items with their own pointers', async () => {
    const el = await mount(schema);
    await submit(el);
    expect(errorText(el, '/kinder/0/vorname')).to.equal('Fehler: Bitte füllen Sie das Feld „Vorname“ aus.');
    await type(el, '/kinder/0/alter', '-1');
    expect(errorText(el, '/kinder/0/alter')).to.equal('Fehler: „Alter“ muss mindestens 0 sein.');
  });

  it('recursive schemas render one level at a time and never hang', async () => {
    const el = await mount({
      $defs: {
        knoten: {
          type: 'object',
          title: 'Person',
          properties: { name: { type: 'string', title: 'Name' }, kinder: { type: 'array', title: 'Kind', items: { $ref: '#/$defs/knoten' } } },
        },
      },
      type: 'object',
      properties: { wurzel: { $ref: '#/$defs/knoten' } },
    });
    buttons(el, 'repeat-add')[0]!.click();
    await renderDone(el);
    root(el).querySelector<HTMLButtonElement>('[data-item="0"] .repeat-add')!.click();
    await renderDone(el);
    await type(el, '/wurzel/kinder/0/kinder/0/name', 'Enkel');
    expect(await submit(el)).to.deep.equal({ wurzel: { kinder: [{ kinder: [{ name: 'Enkel' }] }] } });
  });

  it('a checkbox group honours minItems', async () => {
    const el = await mount({
      type: 'object',
      required: ['s'],
      properties: { s: { type: 'array', title: 'Sprachen', minItems: 2, items: { enum: ['de', 'en', 'fr'] } } },
    });
    control(el, '/s').click();
    await renderDone(el);
    await submit(el);
    expect(errorText(el, '/s')).to.equal('Fehler: Bitte geben Sie bei „Sprachen“ mindestens 2 an.');
  });
});

describe('<ozg-antrag> error summary', () => {
  const schema = {
    type: 'object',
    required: ['vorname', 'nachname', 'plz'],
    properties: {
      vorname: { type: 'string', title: 'Vorname' },
      nachname: { type: 'string', title: 'Nachname' },
      plz: { type: 'string', title: 'PLZ', pattern: '^[0-9]{5}$' },
    },
  };

  it('on a failed submit lists every error in form order, takes focus, and links to each field', async () => {
    const el = await mount(schema);
    await type(el, '/plz', '12');
    expect(await submit(el)).to.equal(undefined);
    const summary = root(el).querySelector<HTMLElement>('.error-summary')!;
    expect(root(el).activeElement).to.equal(summary);
    expect(summary.querySelector('h2')!.textContent).to.equal('Bitte prüfen Sie Ihre Angaben');
    expect(summaryLinks(el)).to.deep.equal([
      'Bitte füllen Sie das Feld „Vorname“ aus.',
      'Bitte füllen Sie das Feld „Nachname“ aus.',
      'Bitte geben Sie „PLZ“ im vorgesehenen Format ein.',
    ]);
    root(el).querySelectorAll<HTMLAnchorElement>('.error-summary a')[1]!.click();
    expect(root(el).activeElement).to.equal(control(el, '/nachname'));
  });

  it('the summary links work with the keyboard, and fixed errors leave the list', async () => {
    const el = await mount(schema);
    await submit(el);
    await press(el, 'Tab');
    await press(el, 'Enter');
    expect(root(el).activeElement).to.equal(control(el, '/vorname'));
    await sendKeys({ type: 'Erika' });
    await press(el, 'Tab');
    expect(summaryLinks(el)).to.have.length(2);
  });

  it('emits ozg-change on every answer and ozg-submit only with valid data', async () => {
    const el = await mount(schema);
    const changes: unknown[] = [];
    el.addEventListener('ozg-change', (e) => changes.push([e.detail.pointer, e.detail.value]));
    await type(el, '/vorname', 'Al');
    expect(changes).to.deep.equal([
      ['/vorname', 'A'],
      ['/vorname', 'Al'],
    ]);
    expect(await submit(el)).to.equal(undefined);
    await type(el, '/nachname', 'B');
    await type(el, '/plz', '53111');
    expect(await submit(el)).to.deep.equal({ vorname: 'Al', nachname: 'B', plz: '53111' });
  });
});
