import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { choose, control, drafts, has, press, renderDone, root, settled, summaryLinks, type } from './helpers.js';
import type { OzgAntrag, OzgConsent } from '../../src/index.js';

const EXAMPLES = new URL('../../../../examples/', import.meta.url).href;

/** Mounts the example assistant; unless told otherwise, ticks the consent as a citizen would. */
async function mountAssistant(lang = 'de', options: { consent?: boolean; attrs?: { terminal?: boolean; submitUrl?: string } } = {}) {
  const el = await fixture<OzgAntrag>(
    html`<ozg-antrag
      service="aufenthalt-assistent"
      tenant="stadt-musterstadt"
      config-base=${EXAMPLES}
      lang=${lang}
      ?terminal=${options.attrs?.terminal ?? false}
      submit-url=${options.attrs?.submitUrl ?? ''}
    ></ozg-antrag>`,
  );
  await settled(el);
  if (options.consent !== false) await giveConsent(el);
  return el;
}

async function giveConsent(el: OzgAntrag) {
  const consent = await waitUntilConsent(el);
  for (const box of consent.shadowRoot!.querySelectorAll<HTMLInputElement>('input[type=checkbox]')) box.click();
  await consent.updateComplete;
  consent.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
  await waitUntil(() => root(el).querySelector('.step-title'), 'no first step after consent', { timeout: 4000 });
  await renderDone(el);
}

async function waitUntilConsent(el: OzgAntrag) {
  await waitUntil(() => root(el).querySelector('ozg-consent')?.shadowRoot?.querySelector('form'), 'no consent', { timeout: 4000 });
  return root(el).querySelector('ozg-consent')!;
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

describe('fees on the summary page', () => {
  async function toSummary(tenant: string, lang: string, answers: { anzahl: string; mehrsprachig?: string; zustellung: string }) {
    const el = await fixture<OzgAntrag>(
      html`<ozg-antrag service="geburtsurkunde" tenant=${tenant} config-base=${EXAMPLES} lang=${lang}></ozg-antrag>`,
    );
    await settled(el);
    await type(el, '/familienname', 'Muster');
    await type(el, '/vornamen', 'Erika');
    await type(el, '/geburtsdatum', '14.03.2001');
    await next(el);
    await type(el, '/anzahl', answers.anzahl);
    if (answers.mehrsprachig) await type(el, '/mehrsprachig', answers.mehrsprachig);
    await choose(el, '/zustellung', answers.zustellung);
    await next(el);
    return el;
  }
  const rows = (el: OzgAntrag) =>
    [...root(el).querySelectorAll('.fees-table tr')].map((tr) => [...tr.children].map((c) => c.textContent!.replace(/\s+/g, ' ').trim()));

  it('itemises the fees computed from the answers, with the total, in German money format', async () => {
    const el = await toSummary('stadt-musterstadt', 'de', { anzahl: '3', mehrsprachig: '2', zustellung: 'Per Expressversand' });
    expect(rows(el)).to.deep.equal([
      ['Geburtsurkunde (3 × 12,00 €)', '36,00 €'],
      ['Zuschlag mehrsprachige Urkunde (2 × 3,00 €)', '6,00 €'],
      ['Expressversand', '9,50 €'],
      ['Gesamt', '51,50 €'],
    ]);
    await expect(el).to.be.accessible();
  });

  it('applies the municipality’s own amounts, and speaks the citizen’s language', async () => {
    const el = await toSummary('gemeinde-lindenau', 'en', { anzahl: '2', zustellung: 'By express delivery' });
    expect(rows(el)).to.deep.equal([
      ['Birth certificate (2 × €10.00)', '€20.00'],
      ['Total', '€20.00'],
    ]);
  });
});

describe('the language switch', () => {
  const switchButtons = (el: OzgAntrag) => [...root(el).querySelectorAll<HTMLButtonElement>('.language-switch button')];

  it('offers the languages municipality and service share, and changes every text without losing an answer', async () => {
    const el = await mountAssistant('de');
    const languages: string[] = [];
    el.addEventListener('ozg-language', (e) => languages.push(e.detail.lang));
    expect(switchButtons(el).map((b) => [b.textContent!.trim(), b.lang, b.getAttribute('aria-pressed')])).to.deep.equal([
      ['Deutsch', 'de', 'true'],
      ['English', 'en', 'false'],
      ['Türkçe', 'tr', 'false'],
      ['العربية', 'ar', 'false'],
      ['Українська', 'uk', 'false'],
      ['Русский', 'ru', 'false'],
    ]);
    expect(root(el).querySelector('.language-switch')!.getAttribute('aria-label')).to.equal('Sprache');
    await choose(el, '/zweck', 'Studium');
    await next(el);
    await type(el, '/hochschule', 'Universität Musterstadt');
    expect(stepTitle(el)).to.contain('Studium');

    switchButtons(el)[1]!.focus();
    await sendKeys({ press: 'Enter' });
    await renderDone(el);
    expect(el.lang).to.equal('en');
    expect(languages).to.deep.equal(['en']);
    expect(stepTitle(el)).to.contain('Studies');
    expect(root(el).querySelector('label[for]')?.textContent).to.contain('University');
    expect(control(el, '/hochschule').value).to.equal('Universität Musterstadt');
    expect(primary(el).textContent!.trim()).to.equal('Continue');
    expect(switchButtons(el).map((b) => b.getAttribute('aria-pressed'))).to.deep.equal(['false', 'true', 'false', 'false', 'false', 'false']);
    expect(root(el).activeElement, 'focus stays on the switch').to.equal(switchButtons(el)[1]);
    await expect(el).to.be.accessible();

    switchButtons(el)[0]!.click();
    await renderDone(el);
    expect(stepTitle(el)).to.contain('Studium');
    expect(control(el, '/hochschule').value).to.equal('Universität Musterstadt');
  });

  for (const [lang, studies, nextLabel] of [
    ['tr', 'Öğrenim', 'Devam'],
    ['ar', 'الدراسة', 'متابعة'],
    ['uk', 'Навчання', 'Далі'],
    ['ru', 'Учёба', 'Далее'],
  ] as const)
    it(`switches to ${lang} mid-form: texts loaded on demand, the answer kept, axe clean`, async () => {
      const el = await mountAssistant('de');
      await choose(el, '/zweck', 'Studium');
      await next(el);
      await type(el, '/hochschule', 'Universität Musterstadt');
      switchButtons(el)
        .find((b) => b.lang === lang)!
        .click();
      await waitUntil(() => stepTitle(el)?.includes(studies), `no ${lang} step title`, { timeout: 4000 });
      await renderDone(el);
      expect(el.lang).to.equal(lang);
      expect(primary(el).textContent!.trim()).to.equal(nextLabel);
      expect(control(el, '/hochschule').value).to.equal('Universität Musterstadt');
      expect(el.getAttribute('dir')).to.equal(lang === 'ar' ? 'rtl' : 'ltr');
      await expect(el).to.be.accessible();
    });

  it('lays Arabic out right to left: labels, inputs and the step heading start at the right', async () => {
    const el = await mountAssistant('ar');
    await waitUntil(() => stepTitle(el)?.includes('الغرض'), 'no Arabic step', { timeout: 4000 });
    await renderDone(el);
    expect(getComputedStyle(el).direction).to.equal('rtl');
    await choose(el, '/zweck', 'الدراسة');
    await next(el);
    const input = control(el, '/hochschule');
    const labelEl = root(el).querySelector<HTMLElement>(`label[for="${input.id}"]`)!;
    const label = labelEl.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(labelEl);
    const words = range.getBoundingClientRect();
    const box = input.getBoundingClientRect();
    expect(Math.abs(words.right - label.right), 'the label text starts at the right').to.be.below(2);
    expect(words.left - label.left, 'and ends short of the left').to.be.above(20);
    expect(Math.abs(box.right - label.right), 'the input starts where the label starts').to.be.below(2);
    // A date typed with Arabic-Indic digits is read as a date.
    await type(el, '/studienbeginn', '٠١/١٠/٢٠٢٥');
    expect(el.value).to.deep.include({ studienbeginn: '2025-10-01' });
    await expect(el).to.be.accessible();
  });

  it('marks service texts that exist only in German with lang="de", so screen readers switch voice', async () => {
    const el = await fixture<OzgAntrag>(
      html`<ozg-antrag service="hundeanmeldung" tenant="gemeinde-lindenau" config-base=${EXAMPLES} lang="ar"></ozg-antrag>`,
    );
    await waitUntil(() => root(el).querySelector('form') && el.getAttribute('dir') === 'rtl', 'no Arabic form', { timeout: 4000 });
    await renderDone(el);
    const labels = [...root(el).querySelectorAll<HTMLElement>('label.label, legend.label, legend.group-legend')].filter(
      (l) => !l.matches('.attachments > legend'), // "Nachweise" is the form's own text
    );
    expect(labels.length).to.be.above(3);
    for (const l of labels) expect(l.closest('[lang="de"]') ?? l.querySelector('[lang="de"]'), l.textContent!).to.not.equal(null);
    expect(root(el).querySelector('.required-legend')?.closest('[lang="de"]'), 'the form’s own texts are Arabic').to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('is not shown for a service written in German only (hiding it: tenants.test.ts)', async () => {
    const german = await fixture<OzgAntrag>(
      html`<ozg-antrag service="hundeanmeldung" tenant="stadt-musterstadt" config-base=${EXAMPLES}></ozg-antrag>`,
    );
    await settled(german);
    expect(root(german).querySelector('.tenant-header'), 'the tenant is there').not.to.equal(null);
    expect(switchButtons(german)).to.have.length(0);
  });
});

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
    expect(text(el, '.summary-step dd'), 'the option label from the service’s translations').to.equal('Studies');
  });
});

describe('the assistant: consent, drafts, submission and receipt', () => {
  it('asks for consent first; the record carries the hash of the exact text, the locale, the time and the boxes', async () => {
    const el = await mountAssistant('de', { consent: false });
    const consent = await waitUntilConsent(el);
    const button = consent.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!;
    expect(button.getAttribute('aria-disabled')).to.equal('true');
    await expect(consent).to.be.accessible();
    button.click();
    await consent.updateComplete;
    expect(consent.shadowRoot!.querySelector('.error-message')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'Fehler: Bitte bestätigen Sie alle Punkte, um fortzufahren.',
    );
    expect(consent.shadowRoot!.activeElement).to.equal(consent.shadowRoot!.querySelector('#consent-hinweise'));
    const records: unknown[] = [];
    el.addEventListener('ozg-consent', (e) => records.push(e.detail));
    await giveConsent(el);
    const record = records[0] as { textVersion: string; locale: string; time: string; confirmed: string[] };
    const shown = [
      'Datenschutz',
      // Stadt Musterstadt words the notice itself (tenant override of the service's consent text).
      'Ihre Angaben verarbeitet die Ausländerbehörde der Stadt Musterstadt zur Entscheidung über Ihren Antrag (Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit dem Aufenthaltsgesetz).',
      'Ich habe die Datenschutzhinweise gelesen.',
      'Ich mache meine Angaben wahrheitsgemäß.',
    ].join('\n');
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(shown));
    expect(record.textVersion).to.equal([...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''));
    expect(record.locale).to.equal('de');
    expect(Math.abs(Date.parse(record.time) - Date.now())).to.be.lessThan(60000);
    expect(record.confirmed).to.deep.equal(['hinweise', 'wahrheit']);
    expect(stepTitle(el)).to.equal('Zweck');
    await waitUntil(() => root(el).activeElement === root(el).querySelector('.step-title'), 'focus on the first step heading', { timeout: 4000 });
    expect(text(el, '[part=title]'), "the tenant's title for the service").to.equal('Aufenthaltserlaubnis bei der Stadt Musterstadt beantragen');
  });

  it('a reload mid-way offers the draft and continues at the same step with every answer', async () => {
    const first = await mountAssistant();
    await choose(first, '/zweck', 'Studium');
    await next(first);
    await type(first, '/hochschule', 'Universität Bonn');
    first.remove(); // the tab closes or reloads

    const again = await mountAssistant('de', { consent: false });
    expect(text(again, '.draft-offer')).to.contain('Sie haben diesen Antrag bereits begonnen.');
    await expect(again).to.be.accessible();
    [...root(again).querySelectorAll<HTMLButtonElement>('.draft-offer button')].find((b) => b.textContent!.trim() === 'Fortsetzen')!.click();
    await waitUntil(() => stepTitle(again) === 'Studium', 'not back at the step', { timeout: 4000 });
    await renderDone(again);
    expect(control(again, '/hochschule').value).to.equal('Universität Bonn');
  });

  it('"Neu beginnen" discards the draft; "Zwischenspeichern" says it kept the answers', async () => {
    const first = await mountAssistant();
    await choose(first, '/zweck', 'Erwerbstätigkeit');
    const save = [...root(first).querySelectorAll<HTMLButtonElement>('.actions button')].find((b) => b.textContent!.trim() === 'Zwischenspeichern')!;
    save.click();
    await renderDone(first);
    expect(text(first, '.status-box')).to.equal('Ihre Angaben sind in diesem Browser gespeichert. Sie können später hier weitermachen.');
    first.remove();
    const again = await mountAssistant('de', { consent: false });
    [...root(again).querySelectorAll<HTMLButtonElement>('.draft-offer button')].find((b) => b.textContent!.trim() === 'Neu beginnen')!.click();
    await renderDone(again);
    await giveConsent(again);
    expect(again.value).to.deep.equal({});
    const kept = JSON.parse(drafts.getItem('ozg-forms:draft:stadt-musterstadt:aufenthalt-assistent') ?? '{}') as { data?: unknown };
    expect(kept.data, 'the new draft holds nothing of the old answers').to.deep.equal({});
  });

  it('terminal mode keeps nothing in the browser and offers no saving', async () => {
    const el = await mountAssistant('de', { attrs: { terminal: true } });
    await choose(el, '/zweck', 'Studium');
    await next(el);
    await type(el, '/hochschule', 'TU Dresden');
    expect(drafts.keys()).to.deep.equal([]);
    expect([...root(el).querySelectorAll('.actions button')].map((b) => b.textContent!.trim())).to.not.include('Zwischenspeichern');
  });

  async function fillToSummary(el: OzgAntrag) {
    await choose(el, '/zweck', 'Studium');
    await next(el);
    await type(el, '/hochschule', 'Universität Bonn');
    await next(el);
    await next(el);
    expect(stepTitle(el)).to.equal('Ihre Angaben prüfen');
  }

  it('submits once even on a double click, shows the receipt with the Vorgangsnummer, and forgets the draft', async () => {
    const el = await mountAssistant();
    await fillToSummary(el);
    const posts: RequestInit[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      if (init?.method === 'POST') posts.push(init);
      return realFetch(input, init);
    };
    try {
      const receipts: Array<{ vorgangsnummer: string }> = [];
      el.addEventListener('ozg-submitted', (e) => receipts.push(e.detail));
      primary(el).click();
      primary(el).click();
      await waitUntil(() => root(el).querySelector('.receipt'), 'no receipt', { timeout: 5000 });
      await renderDone(el);
      expect(posts).to.have.length(1);
      const payload = JSON.parse(posts[0]!.body as string) as Record<string, unknown>;
      expect(payload).to.deep.include({
        tenant: 'stadt-musterstadt',
        service: 'aufenthalt-assistent',
        locale: 'de',
        data: { zweck: 'studium', hochschule: 'Universität Bonn' },
      });
      expect((payload.consent as { confirmed: string[] }).confirmed).to.deep.equal(['hinweise', 'wahrheit']);
      expect(payload.idempotencyKey).to.match(/^[0-9a-f-]{36}$/);
      expect(receipts[0]!.vorgangsnummer).to.match(/^OZG-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      expect(text(el, '.receipt-number')).to.equal(receipts[0]!.vorgangsnummer);
      expect(text(el, '.receipt .title')).to.equal('Ihr Antrag ist eingegangen');
      expect([...root(el).querySelectorAll('.receipt .summary-row dd')].map((d) => d.textContent!.trim())).to.include('Universität Bonn');
      expect(root(el).activeElement).to.equal(root(el).querySelector('.receipt .title'));
      expect(drafts.keys()).to.deep.equal([]);
      await expect(el).to.be.accessible();
    } finally {
      window.fetch = realFetch;
    }
  });

  it('errors the host finds (422) show on the step that holds them, with the summary focused and the answer kept', async () => {
    const el = await mountAssistant();
    await fillToSummary(el);
    const realFetch = window.fetch;
    window.fetch = async (input, init) => {
      if (init?.method !== 'POST') return realFetch(input, init);
      const errors = [{ pointer: '/hochschule', keyword: 'maxLength', params: { limit: 3 }, schemaPath: '#/properties/hochschule/maxLength' }];
      return new Response(
        JSON.stringify({ error: 'invalid', message: { de: 'Einige Angaben sind nicht gültig.', en: 'Some answers are not valid.' }, errors }),
        {
          status: 422,
          headers: { 'content-type': 'application/json' },
        },
      );
    };
    try {
      primary(el).click();
      await waitUntil(
        () => stepTitle(el) !== 'Ihre Angaben prüfen' && root(el).querySelector('.error-summary'),
        'not back on the step with the error',
        {
          timeout: 5000,
        },
      );
      await renderDone(el);
      expect(text(el, '.error-summary')).to.contain('höchstens 3 Zeichen');
      await waitUntil(() => root(el).activeElement === root(el).querySelector('.error-summary'), 'summary not focused', { timeout: 4000 });
      expect(control<HTMLInputElement>(el, '/hochschule').value).to.equal('Universität Bonn');
      expect(control<HTMLInputElement>(el, '/hochschule').getAttribute('aria-invalid')).to.equal('true');
      await expect(el).to.be.accessible();
    } finally {
      window.fetch = realFetch;
    }
  });

  it('a failed request keeps everything and offers a retry, which reuses the idempotency key', async () => {
    const el = await mountAssistant('de', { attrs: { submitUrl: '/api/flaky' } });
    await fillToSummary(el);
    const keys: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      if (init?.method === 'POST') keys.push((init.headers as Record<string, string>)['idempotency-key']!);
      return realFetch(input, init);
    };
    try {
      primary(el).click();
      await waitUntil(() => root(el).querySelector('.load-error'), 'no failure shown', { timeout: 5000 });
      expect(text(el, '.load-error')).to.contain('Der Server hat den Antrag abgelehnt (HTTP 503). Ihre Angaben sind nicht verloren.');
      expect(stepTitle(el), 'still on the summary').to.equal('Ihre Angaben prüfen');
      await expect(el).to.be.accessible();
      root(el).querySelector<HTMLButtonElement>('.load-error button')!.click();
      await waitUntil(() => root(el).querySelector('.receipt'), 'no receipt after retry', { timeout: 5000 });
      expect(keys).to.have.length(2);
      expect(keys[0]).to.equal(keys[1]);
    } finally {
      window.fetch = realFetch;
    }
  });

  it('a network failure says so in German and English and loses nothing', async () => {
    const el = await mountAssistant('en', { attrs: { submitUrl: 'http://127.0.0.1:9/api/submissions' } });
    await choose(el, '/zweck', 'Studies');
    await next(el);
    await type(el, '/hochschule', 'Uni Köln');
    await next(el);
    await next(el);
    primary(el).click();
    await waitUntil(() => root(el).querySelector('.load-error'), 'no failure shown', { timeout: 5000 });
    expect(text(el, '.load-error')).to.contain('The connection to the server failed');
    expect(el.value).to.deep.equal({ zweck: 'studium', hochschule: 'Uni Köln' });
  });
});

describe('<ozg-consent> on its own', () => {
  it('works in any page: go on only when every box is ticked', async () => {
    const el = await fixture<OzgConsent>(
      html`<ozg-consent
        lang="en"
        text="We process your answers to decide on your application."
        privacy-href="https://example.org/privacy"
        .checkboxes=${[{ id: 'read', label: 'I have read the notice.' }]}
      ></ozg-consent>`,
    );
    const records: unknown[] = [];
    el.addEventListener('ozg-consent', (e) => records.push(e.detail));
    expect(el.shadowRoot!.querySelector('[part=heading]')!.textContent).to.equal('Data protection');
    expect(el.shadowRoot!.querySelector<HTMLAnchorElement>('a')!.href).to.equal('https://example.org/privacy');
    await expect(el).to.be.accessible();
    el.shadowRoot!.querySelector<HTMLInputElement>('#consent-read')!.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('button')!.getAttribute('aria-disabled')).to.equal('false');
    el.shadowRoot!.querySelector<HTMLButtonElement>('button')!.click();
    await waitUntil(() => records.length === 1, 'no ozg-consent', { timeout: 4000 });
    expect((records[0] as { confirmed: string[]; locale: string }).confirmed).to.deep.equal(['read']);
  });
});

describe('the assistant: axe on every page', () => {
  it('consent, each conditional step, the summary', async () => {
    const el = await mountAssistant('de', { consent: false });
    await expect(el).to.be.accessible();
    await giveConsent(el);
    for (const zweck of ['Erwerbstätigkeit', 'Studium', 'Familiennachzug']) {
      await choose(el, '/zweck', zweck);
      await next(el);
      await next(el); // with the step's errors shown
      await expect(el, zweck).to.be.accessible();
      backButton(el).click();
      await renderDone(el);
    }
    await choose(el, '/zweck', 'Studium');
    await next(el);
    await type(el, '/hochschule', 'Uni');
    await next(el);
    await expect(el, 'Kontakt').to.be.accessible();
  });
});

describe('Hausnummernvergabe: an either/or choice', () => {
  it('asks address or Flurstück, shows only the chosen fields, and sends only them', async () => {
    const el = await fixture<OzgAntrag>(
      html`<ozg-antrag service="hausnummernvergabe" tenant="gemeinde-lindenau" config-base=${EXAMPLES}></ozg-antrag>`,
    );
    await settled(el);
    await type(el, '/antragsteller/name', 'Bau GmbH');
    await type(el, '/antragsteller/email', 'bau@example.org');
    await next(el);
    expect(stepTitle(el)).to.equal('Grundstück');
    const alternatives = root(el).querySelector('.alternatives')!;
    expect(alternatives.querySelector('legend')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'Welche Angaben machen Sie zu „Lage des Grundstücks“?*',
    );
    expect(has(el, '/grundstueck/strasse') || has(el, '/grundstueck/flur')).to.equal(false);
    await next(el);
    expect(summaryLinks(el)).to.deep.equal(['Bitte wählen Sie bei „Lage des Grundstücks“ aus, welche Angaben Sie machen.']);
    await expect(el).to.be.accessible();
    root(el)
      .querySelector<HTMLInputElement>(`#${CSS.escape('ozg-grundstueck-alt-0')}`)!
      .click();
    await renderDone(el);
    await type(el, '/grundstueck/strasse', 'Lindenweg');
    root(el)
      .querySelector<HTMLInputElement>(`#${CSS.escape('ozg-grundstueck-alt-1')}`)!
      .click();
    await renderDone(el);
    expect(has(el, '/grundstueck/strasse')).to.equal(false);
    await type(el, '/grundstueck/gemarkung', 'Lindenau');
    await type(el, '/grundstueck/flur', '3');
    await type(el, '/grundstueck/flurstueck', '123/4');
    await next(el);
    await choose(el, '/vorhaben/art', 'Wohngebäude');
    // Gemeinde Lindenau switched the summary off for this service: the last step sends.
    expect(progress(el).at(-1)).to.equal('3 Bauvorhaben');
    // Lindenau words its own submit text (else it would inherit the Landkreis's "Antrag an den Landkreis senden").
    expect(primary(el).textContent!.trim()).to.equal('An die Gemeinde senden');
    const sent: unknown[] = [];
    el.addEventListener('ozg-submit', (e) => sent.push(e.detail));
    primary(el).click();
    await waitUntil(() => root(el).querySelector('.receipt'), 'no receipt', { timeout: 5000 });
    const labels = [...root(el).querySelectorAll('.receipt .summary-row dt')].map((d) => d.textContent!.trim());
    expect(labels).to.include('Flurstück');
    expect(labels).to.not.include('Straße');
    expect(sent[0]).to.deep.equal({
      antragsteller: { name: 'Bau GmbH', email: 'bau@example.org' },
      grundstueck: { gemarkung: 'Lindenau', flur: 3, flurstueck: '123/4' },
      vorhaben: { art: 'Wohngebäude' },
    });
  });
});

describe('Hundeanmeldung: a short service on one page', () => {
  it('is filled, submitted and receipted like the longer ones', async () => {
    const el = await fixture<OzgAntrag>(
      html`<ozg-antrag service="hundeanmeldung" tenant="landkreis-nordheide" config-base=${EXAMPLES}></ozg-antrag>`,
    );
    await settled(el);
    for (const [pointer, value] of [
      ['/halter/vorname', 'Erika'],
      ['/halter/familienname', 'Mustermann'],
      ['/halter/anschrift/strasse', 'Heideweg'],
      ['/halter/anschrift/hausnummer', '3'],
      ['/halter/anschrift/plz', '21271'],
      ['/halter/anschrift/ort', 'Nordheide'],
      ['/hund/name', 'Bello'],
      ['/hund/rasse', 'Mischling'],
      ['/haltungBeginn', '01.12.2026'],
    ] as const) {
      await type(el, pointer, value);
    }
    await choose(el, '/hund/geschlecht', 'Hündin');
    await choose(el, '/gefaehrlich', 'Nein');
    root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    await waitUntil(() => root(el).querySelector('.receipt'), 'no receipt', { timeout: 5000 });
    expect(text(el, '.receipt-number')).to.match(/^OZG-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const answers = [...root(el).querySelectorAll('.receipt .summary-row')].map((r) => [
      r.querySelector('dt')!.textContent!.trim(),
      r.querySelector('dd')!.textContent!.trim(),
    ]);
    expect(answers).to.deep.include(['Beginn der Hundehaltung in der Gemeinde', '01.12.2026']);
    expect(answers).to.deep.include(['Geschlecht', 'Hündin']);
    await expect(el).to.be.accessible();
  });
});

describe('the summary on a phone (375 px)', () => {
  it('keeps answers readable and the Ändern buttons compact', async () => {
    const phone = document.createElement('div');
    phone.style.width = '375px';
    document.body.append(phone);
    const el = await fixture<OzgAntrag>(
      html`<ozg-antrag service="aufenthalt-assistent" tenant="stadt-musterstadt" config-base=${EXAMPLES}></ozg-antrag>`,
      { parentNode: phone },
    );
    await settled(el);
    await giveConsent(el);
    await choose(el, '/zweck', 'Erwerbstätigkeit');
    await next(el);
    await type(el, '/arbeitgeber', 'Beispiel Pflege gGmbH');
    await type(el, '/gehalt', '48500');
    await choose(el, '/blaueKarte', 'Nein');
    await next(el);
    await next(el);
    const answer = [...root(el).querySelectorAll<HTMLElement>('.summary-answer')].find((d) => d.textContent!.includes('Beispiel'))!;
    // One line for a short answer (not "Beispi / el / Pflege …"), and a button no wider than its word.
    const text = document.createRange();
    text.selectNodeContents(answer);
    expect([...text.getClientRects()].filter((r) => r.width > 0).length, 'line boxes of the answer').to.equal(1);
    const change = root(el).querySelector<HTMLElement>('.summary-change button')!;
    expect(change.getBoundingClientRect().width).to.be.lessThan(120);
  });
});
