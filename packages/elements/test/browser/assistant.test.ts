import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { choose, control, has, press, renderDone, root, settled, summaryLinks, type } from './helpers.js';
import type { OzgAntrag } from '../../src/index.js';

const EXAMPLES = new URL('../../../../examples/', import.meta.url).href;

async function mountAssistant(lang = 'de') {
  const el = await fixture<OzgAntrag>(
    html`<ozg-antrag service="aufenthalt-assistent" tenant="stadt-musterstadt" config-base=${EXAMPLES} lang=${lang}></ozg-antrag>`,
  );
  await settled(el);
  return el;
}

const text = (el: OzgAntrag, selector: string) => root(el).querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim();
const progress = (el: OzgAntrag) => [...root(el).querySelectorAll('.progress li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
const stepTitle = (el: OzgAntrag) => text(el, '.step-title');
const primary = (el: OzgAntrag) => root(el).querySelector<HTMLButtonElement>('.actions button[type=submit]')!;
const backButton = (el: OzgAntrag) =>
  [...root(el).querySelectorAll<HTMLButtonElement>('.actions button')].find((b) => b.textContent!.trim() === 'Zurück')!;

async function next(el: OzgAntrag) {
  const before = stepTitle(el);
  const errorsBefore = root(el).querySelector('.error-summary');
  primary(el).click();
  await waitUntil(
    () => stepTitle(el) !== before || (root(el).querySelector('.error-summary') && root(el).querySelector('.error-summary') !== errorsBefore),
    'no step change and no errors',
    {
      timeout: 4000,
    },
  );
  await renderDone(el);
}

describe('the assistant: steps from the service definition', () => {
  it('shows the steps that apply, with progress, and validates each step before going on', async () => {
    const el = await mountAssistant();
    expect(stepTitle(el)).to.equal('Zweck');
    expect(text(el, '.step-of')).to.equal('Schritt 1 von 2');
    expect(progress(el)).to.deep.equal(['1 Zweck', '2 Kontakt', '3 Ihre Angaben prüfen']);
    expect(root(el).querySelector('.progress li.current')!.getAttribute('aria-current')).to.equal('step');
    await next(el);
    expect(stepTitle(el), 'stays on the step').to.equal('Zweck');
    expect(summaryLinks(el)).to.deep.equal(['Bitte wählen Sie bei „Zu welchem Zweck möchten Sie sich in Deutschland aufhalten?“ eine Option aus.']);
    expect(root(el).activeElement).to.equal(root(el).querySelector('.error-summary'));
    await choose(el, '/zweck', 'Studium');
    expect(progress(el), 'a conditional step appears').to.deep.equal(['1 Zweck', '2 Studium', '3 Kontakt', '4 Ihre Angaben prüfen']);
    await next(el);
    expect(stepTitle(el)).to.equal('Studium');
    expect(text(el, '.step-of')).to.equal('Schritt 2 von 3');
    expect(root(el).activeElement, 'focus on the new heading').to.equal(root(el).querySelector('.step-title'));
    expect(progress(el)[0]).to.equal('1 Zweck (erledigt)');
    await expect(el).to.be.accessible();
  });

  it('goes back without losing anything, and the browser back button moves between steps', async () => {
    const el = await mountAssistant();
    await choose(el, '/zweck', 'Studium');
    await next(el);
    await type(el, '/hochschule', 'Universität Bonn');
    backButton(el).click();
    await renderDone(el);
    expect(stepTitle(el)).to.equal('Zweck');
    expect(el.value).to.deep.include({ zweck: 'studium' });
    await next(el);
    expect(control(el, '/hochschule').value).to.equal('Universität Bonn');
    await next(el);
    expect(stepTitle(el)).to.equal('Kontakt');
    history.back();
    await waitUntil(() => stepTitle(el) === 'Studium', 'browser back did not go to the previous step', { timeout: 4000 });
    expect(control(el, '/hochschule').value).to.equal('Universität Bonn');
  });

  it('the summary lists every answer by step; "Ändern" jumps to the field and comes back', async () => {
    const el = await mountAssistant();
    const submitted: unknown[] = [];
    el.addEventListener('ozg-submit', (e) => submitted.push(e.detail));
    await choose(el, '/zweck', 'Erwerbstätigkeit');
    await next(el);
    await type(el, '/arbeitgeber', 'ACME GmbH');
    await type(el, '/gehalt', '58000');
    await choose(el, '/blaueKarte', 'Ja');
    await next(el);
    await next(el);
    expect(stepTitle(el)).to.equal('Ihre Angaben prüfen');
    const rows = [...root(el).querySelectorAll('.summary-row')].map((r) => [
      r.querySelector('dt')!.textContent!.trim(),
      r.querySelector('dd')!.textContent!.trim(),
    ]);
    expect(rows).to.deep.equal([
      ['Zu welchem Zweck möchten Sie sich in Deutschland aufhalten?', 'Erwerbstätigkeit'],
      ['Name des Arbeitgebers', 'ACME GmbH'],
      ['Bruttojahresgehalt in Euro', '58.000'],
      ['Beantragen Sie eine Blaue Karte EU?', 'Ja'],
      ['Telefonnummer (optional)', 'Keine Angabe'],
      ['Wann sind Sie telefonisch erreichbar?', 'Keine Angabe'],
    ]);
    expect([...root(el).querySelectorAll('.summary-step h3')].map((h) => h.textContent)).to.deep.equal(['Zweck', 'Erwerbstätigkeit', 'Kontakt']);
    await expect(el).to.be.accessible();
    const change = [...root(el).querySelectorAll<HTMLButtonElement>('.summary-change button')][1]!;
    expect(change.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Ändern – Name des Arbeitgebers ändern');
    change.click();
    await renderDone(el);
    await waitUntil(() => root(el).activeElement === control(el, '/arbeitgeber'), 'focus on the field to change', { timeout: 4000 });
    expect(primary(el).textContent!.trim()).to.equal('Zurück zur Zusammenfassung');
    await type(el, '/arbeitgeber', 'Beispiel AG');
    await next(el);
    expect(stepTitle(el)).to.equal('Ihre Angaben prüfen');
    expect(root(el).querySelectorAll('.summary-row dd')[2]!.textContent!.trim()).to.equal('Beispiel AG');
    primary(el).click();
    await waitUntil(() => submitted.length === 1, 'no ozg-submit', { timeout: 4000 });
    expect(submitted[0]).to.deep.equal({ zweck: 'erwerb', arbeitgeber: 'Beispiel AG', gehalt: 58000, blaueKarte: true });
  });

  it('answers of a step that no longer applies are not submitted', async () => {
    const el = await mountAssistant();
    const submitted: unknown[] = [];
    el.addEventListener('ozg-submit', (e) => submitted.push(e.detail));
    await choose(el, '/zweck', 'Studium');
    await next(el);
    await type(el, '/hochschule', 'TU Berlin');
    backButton(el).click();
    await renderDone(el);
    await choose(el, '/zweck', 'Familiennachzug');
    await next(el);
    expect(stepTitle(el)).to.equal('Familie');
    await type(el, '/angehoerige/0/name', 'Ayşe Yılmaz');
    await choose(el, '/angehoerige/0/verhaeltnis', 'Ehegatte');
    await next(el);
    await next(el);
    primary(el).click();
    await waitUntil(() => submitted.length === 1, 'no ozg-submit', { timeout: 4000 });
    expect(submitted[0]).to.deep.equal({ zweck: 'familie', angehoerige: [{ name: 'Ayşe Yılmaz', verhaeltnis: 'Ehegatte' }] });
  });

  it('can be walked with the keyboard alone: Enter goes on, Tab reaches everything', async () => {
    const el = await mountAssistant('en');
    control(el, '/zweck').focus();
    await press(el, 'ArrowDown'); // Studium
    await press(el, 'Enter'); // submits the step
    await waitUntil(() => stepTitle(el) === 'Studies', 'Enter did not go on', { timeout: 4000 });
    await sendKeys({ press: 'Tab' }); // from the heading to the first field
    await sendKeys({ type: 'Uni Köln' });
    await press(el, 'Enter');
    await waitUntil(() => stepTitle(el) === 'Contact', 'Enter did not go on', { timeout: 4000 });
    await sendKeys({ press: 'Tab' }); // to the phone field
    await press(el, 'Enter');
    await waitUntil(() => stepTitle(el) === 'Check your answers', 'no summary', { timeout: 4000 });
    expect(has(el, '/hochschule')).to.equal(false);
    expect(text(el, '.summary-step dd'), 'option labels come from the schema (translations: issue 9)').to.equal('Studium');
  });
});
