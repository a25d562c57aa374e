import { expect, fixture, html } from '@open-wc/testing';
import { FormState, buildFormModel, nodeAtPointer, type FormNode } from '@ozg-forms/core';
import { control, has, labelText, renderDone, root, samplesInfo, settled, submit } from './helpers.js';
import type { OzgAntrag } from '../../src/index.js';

/**
 * The FIM-shaped JSON Schemas in ../shared/samples/fim-json (made from real FIM
 * XDatenfelder files). Never copied into the repo: read from ../shared, and skipped,
 * saying so, where it is absent.
 */
const FILES = ['S00000000094V1.0.0.schema.json', 'S00000000121V1.0.0.schema.json', 'S00000000246V1.1.0.schema.json'];

function expectedFields(node: FormNode, pointer: string, state: FormState, out: Array<{ pointer: string; node: FormNode }>) {
  state.walkVisible(node, pointer, (n, p) => {
    if (n.kind !== 'group' && n.kind !== 'repeat' && n.kind !== 'unsupported') out.push({ pointer: p, node: n });
  });
  return out;
}

/** A valid answer typed or clicked as a citizen would. */
async function answer(el: OzgAntrag, pointer: string, node: FormNode) {
  const input = control<HTMLInputElement>(el, pointer);
  if (node.kind === 'choice' || (node.kind === 'field' && node.dataType === 'boolean')) {
    if (input instanceof HTMLSelectElement) {
      input.value = '0';
      input.dispatchEvent(new Event('change'));
    } else input.click();
    return;
  }
  if (node.kind === 'multichoice') return input.click();
  if (node.kind !== 'field') return;
  const s = node.schema;
  let text: string;
  if (node.format === 'date') text = '14.03.2026';
  else if (node.dataType === 'integer' || node.dataType === 'number') text = String(typeof s.minimum === 'number' ? s.minimum : 1);
  else if (typeof s.pattern === 'string' && s.pattern.includes('@')) text = 'max.muster@example.de';
  else if (typeof s.pattern === 'string') text = '12345';
  else text = 'Muster'.padEnd(typeof s.minLength === 'number' ? s.minLength : 0, 'x').slice(0, typeof s.maxLength === 'number' ? s.maxLength : 99);
  input.value = text;
  input.dispatchEvent(new Event('input'));
  input.dispatchEvent(new Event('blur'));
}

describe('FIM samples render without any edit and can be filled and submitted', () => {
  let info: { available: boolean; base: string };
  before(async () => {
    info = await samplesInfo();
  });

  for (const file of FILES) {
    it(file, async function () {
      this.timeout(30000);
      if (!info.available) {
        console.warn(`SKIPPED ${file}: ../shared/samples is absent`);
        this.skip();
      }
      const schema = await (await fetch(`${info.base}fim-json/${file}`)).json();
      const el = await fixture<OzgAntrag>(html`<ozg-antrag schema-src=${`${info.base}fim-json/${file}`} lang="de"></ozg-antrag>`);
      await settled(el);
      expect(root(el).querySelector('.load-error')).to.equal(null);
      expect(root(el).querySelector('.schema-issues'), 'no author notes for a FIM schema').to.equal(null);

      // Count: every field the model shows is in the page, with its FIM title as label.
      const model = buildFormModel(schema);
      const state = new FormState(model);
      const fields = expectedFields(model.root, '', state, []);
      expect(fields.length).to.be.greaterThan(10);
      for (const { pointer, node } of fields) {
        expect(has(el, pointer), pointer).to.equal(true);
        // An entry of a list of simple values is labelled "<list label> <n>".
        const list = nodeAtPointer(model.root, pointer.replace(/\/\d+$/, ''));
        const expected = list?.kind === 'repeat' && /\/\d+$/.test(pointer) ? `${list.label} ${Number(pointer.split('/').pop()) + 1}` : node.label;
        expect(labelText(el, pointer).replace(/\*$/, ''), pointer).to.equal(expected);
        expect(expected, `${pointer} is labelled by a FIM title, not an id`).to.not.match(/^[FG]\d{8,}V/);
      }
      const rendered = root(el).querySelectorAll('ozg-field').length;
      expect(rendered).to.equal(fields.length);

      // Option texts come from the code lists' descriptions.
      for (const { pointer, node } of fields) {
        if (node.kind !== 'choice') continue;
        const input = control(el, pointer);
        const texts =
          input instanceof HTMLSelectElement
            ? [...input.options].slice(1).map((o) => o.textContent!.trim())
            : [...input.closest('fieldset')!.querySelectorAll('.choice-label')].map((l) => l.textContent!.trim());
        expect(texts, pointer).to.deep.equal(node.options.map((o) => o.label));
      }

      await expect(el, 'axe, empty form').to.be.accessible();

      // An empty submit is refused with errors; answering every required field submits.
      expect(await submit(el)).to.equal(undefined);
      const summaryCount = root(el).querySelectorAll('.error-summary li').length;
      expect(summaryCount).to.be.greaterThan(0);
      await expect(el, 'axe, with every error shown').to.be.accessible();
      const live = el as unknown as { ctx: { state: FormState } };
      for (let round = 0; round < 4; round++) {
        const todo: Array<{ pointer: string; node: FormNode }> = [];
        live.ctx.state.walkVisible(model.root, '', (n, p) => {
          if (n.kind === 'group' || n.kind === 'repeat' || n.kind === 'unsupported') return;
          if (live.ctx.state.getValue(p) === undefined && live.ctx.state.isRequired(p)) todo.push({ pointer: p, node: n });
        });
        if (!todo.length) break;
        for (const t of todo) await answer(el, t.pointer, t.node);
        await renderDone(el);
      }
      const data = await submit(el);
      expect(root(el).querySelector('.error-summary'), root(el).querySelector('.error-summary')?.textContent ?? '').to.equal(null);
      expect(data).to.be.an('object');
      expect(Object.keys(data!)).to.include.members(schema.required as string[]);
    });
  }
});
