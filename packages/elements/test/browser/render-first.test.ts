/**
 * Render first, validate when ready (issue 22): the form shows before its validator has arrived;
 * a blur or a submit before it comes waits for it — nothing the citizen does is skipped — and a
 * validator that cannot be loaded is said, with a retry that keeps every answer. The validator
 * module is held by the test server until the test releases it (web-test-runner.config.mjs).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { OzgAntrag } from '../../src/index.js';
import { control, errorText, renderDone, root, type } from './helpers.js';

const SCHEMA = new URL('../../../../examples/schemas/hundeanmeldung.schema.json', import.meta.url).href;
const PLZ = '/halter/anschrift/plz';

async function mountHeld(name: string) {
  const el = await fixture<OzgAntrag>(html`<ozg-antrag schema-src=${SCHEMA} validator-src=${`/__ozg/held/${name}`}></ozg-antrag>`);
  await waitUntil(() => root(el).querySelector('form ozg-group'), 'the form is not shown before its validator', { timeout: 5000 });
  await renderDone(el);
  return el;
}

const release = (name: string, fail = false) => fetch(`/__ozg/release/${name}${fail ? '?fail' : ''}`, { method: 'POST' });

describe('render first, validate when ready', () => {
  it('shows the form at once; a blur before the validator is checked when it comes', async () => {
    const el = await mountHeld('blur');
    expect(root(el).querySelector('.status')?.textContent ?? '').not.to.contain('wird geladen');
    await type(el, PLZ, '123');
    expect(errorText(el, PLZ), 'the pattern is the validator’s: not checked yet').to.equal(undefined);
    await release('blur');
    await waitUntil(() => errorText(el, PLZ), 'the blur was not checked once the validator came', { timeout: 5000 });
    expect(errorText(el, PLZ)).to.contain('Postleitzahl');
    expect(control(el, PLZ).value).to.equal('123');
  });

  it('a submit before the validator waits for it, says so, then shows every error', async () => {
    const el = await mountHeld('submit');
    await type(el, PLZ, '123');
    root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => root(el).querySelector('.status-box')?.textContent?.includes('Ihre Angaben werden geprüft'), 'no word of waiting', {
      timeout: 5000,
    });
    expect(root(el).querySelector('.error-summary')).to.equal(null);
    await release('submit');
    await waitUntil(() => root(el).querySelector('.error-summary'), 'no errors after the validator came', { timeout: 5000 });
    expect(root(el).querySelector('.error-summary')!.textContent).to.contain('Postleitzahl');
    await expect(el).to.be.accessible();
  });

  it('says when the validator cannot be loaded; retrying brings the form back with every answer', async () => {
    const el = await mountHeld('fails');
    await type(el, PLZ, '123');
    await release('fails', true);
    await waitUntil(() => root(el).querySelector('.load-error'), 'the failure is not said', { timeout: 5000 });
    expect(root(el).querySelector('.load-error')!.textContent).to.contain('/__ozg/held/fails');
    await expect(el).to.be.accessible();
    root(el).querySelector<HTMLButtonElement>('.load-error button')!.click();
    await release('fails');
    await waitUntil(() => root(el).querySelector('form ozg-group'), 'the form does not come back', { timeout: 5000 });
    await renderDone(el);
    expect(control(el, PLZ).value).to.equal('123');
    await waitUntil(() => errorText(el, PLZ), 'the answer given before is checked', { timeout: 5000 });
  });
});
