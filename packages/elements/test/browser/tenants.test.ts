import { expect, fixture, html } from '@open-wc/testing';
import { control, has, labelText, root, settled, submit, type } from './helpers.js';
import type { OzgAntrag, OzgErrorDetail } from '../../src/index.js';

/** The example tenants and services (examples/), as the central host will serve them. */
const EXAMPLES = new URL('../../../../examples/', import.meta.url).href;
const FIXTURES = new URL('./fixtures/config/', import.meta.url).href;

async function mountTenant(tenant: string, options: { service?: string; base?: string; lang?: string; debug?: boolean } = {}) {
  const errors: OzgErrorDetail[] = [];
  const el = await fixture<OzgAntrag>(
    html`<ozg-antrag
      service=${options.service ?? 'hundeanmeldung'}
      tenant=${tenant}
      config-base=${options.base ?? EXAMPLES}
      lang=${options.lang ?? 'de'}
      ?debug=${options.debug ?? false}
      @ozg-error=${(e: CustomEvent<OzgErrorDetail>) => errors.push(e.detail)}
    ></ozg-antrag>`,
  );
  await settled(el);
  return { el, errors };
}

const text = (el: OzgAntrag, selector: string) => root(el).querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim();
const submitButton = (el: OzgAntrag) => root(el).querySelector<HTMLButtonElement>('button[type=submit]')!;
const problem = (el: OzgAntrag) => text(el, '.load-error') ?? '';

describe('tenants: the same service, three municipalities', () => {
  const expected = {
    'gemeinde-lindenau': { logoAlt: 'Wappen der Gemeinde Lindenau', primary: 'rgb(138, 43, 15)', submit: 'Absenden an die Gemeinde', radius: '0px' },
    '09999001': { logoAlt: 'Logo der Stadt Musterstadt', primary: 'rgb(0, 80, 158)', submit: 'Hund anmelden', radius: '8px' },
    'landkreis-nordheide': {
      logoAlt: 'Wappen des Landkreises Nordheide',
      primary: 'rgb(29, 94, 32)',
      submit: 'Antrag an den Landkreis senden',
      radius: '0px',
    },
  };
  for (const [tenant, want] of Object.entries(expected)) {
    it(`${tenant}: logo, computed colours, texts`, async () => {
      const { el } = await mountTenant(tenant);
      const logo = root(el).querySelector<HTMLImageElement>('[part=logo]')!;
      expect(logo.alt).to.equal(want.logoAlt);
      expect(logo.src).to.match(/\/examples\/tenants\/logos\/.+\.svg$/);
      const style = getComputedStyle(submitButton(el));
      expect(style.backgroundColor).to.equal(want.primary);
      expect(style.borderTopLeftRadius).to.equal(want.radius);
      expect(submitButton(el).textContent!.trim()).to.equal(want.submit);
      expect(text(el, '[part=title]')).to.equal('Hund zur Hundesteuer anmelden');
      expect(root(el).querySelector('header, footer, nav, main'), "no landmarks that would compete with the CMS page's own").to.equal(null);
      await expect(el).to.be.accessible();
    });
  }

  it('gemeinde-lindenau hides its intro, contact link and two optional fields, and relabels one', async () => {
    const { el } = await mountTenant('gemeinde-lindenau');
    expect(root(el).querySelector('.intro')).to.equal(null);
    expect(has(el, '/halter/telefon')).to.equal(false);
    expect(root(el).querySelector('ozg-repeat')).to.equal(null);
    expect([...root(el).querySelectorAll('[part=footer] a')].map((a) => a.textContent)).to.deep.equal([
      'Datenschutz',
      'Impressum',
      'Barrierefreiheit',
    ]);
    expect(labelText(el, '/halter/email')).to.equal('E-Mail (für die Steuermarke)');
    expect(getComputedStyle(el).fontFamily, 'inheritFont: the page font').to.equal(getComputedStyle(el.parentElement!).fontFamily);
  });

  it('stadt-musterstadt, by AGS: its service field help and its required legend, and the Land layer below it', async () => {
    const { el } = await mountTenant('09999001');
    expect(text(el, '.required-legend')).to.equal('* Pflichtfeld');
    expect(text(el, '.tenant-name')).to.equal('Stadt Musterstadt');
    expect(root(el).querySelector('.intro')).to.not.equal(null);
    const help = control(el, '/hund/chipnummer').getAttribute('aria-describedby')!;
    expect(root(el).getElementById(help)!.textContent).to.equal('Steht im Heimtierausweis, Seite 3.');
    const links = Object.fromEntries([...root(el).querySelectorAll<HTMLAnchorElement>('[part=footer] a')].map((a) => [a.textContent, a.href]));
    expect(links.Datenschutz, 'from the Land layer').to.equal('https://musterland.example/datenschutz');
    expect(links.Barrierefreiheit, 'from the operator layer').to.equal('https://example.org/barrierefreiheit');
    expect(getComputedStyle(el).fontFamily, 'from the Land layer').to.contain('Segoe UI');
  });

  it('the same tenant reads in English, with its English overrides', async () => {
    const { el } = await mountTenant('stadt-musterstadt', { lang: 'en' });
    expect(submitButton(el).textContent!.trim()).to.equal('Register the dog');
    expect(text(el, '[part=title]')).to.equal('Register a dog for dog tax');
    expect(labelText(el, '/hund/name')).to.equal("Dog's name*");
  });

  it('a hidden field is not submitted', async () => {
    const { el } = await mountTenant('gemeinde-lindenau');
    el.data = { halter: { telefon: '0228 1' } };
    await settled(el);
    expect((el.value as { halter?: Record<string, unknown> }).halter?.telefon).to.equal(undefined);
  });

  it('debug shows the resolved configuration and where each value came from', async () => {
    const { el } = await mountTenant('gemeinde-lindenau', { debug: true });
    const debug = text(el, '.tenant-debug')!;
    expect(debug).to.contain('betreiber.json → ');
    expect(debug).to.contain('/theme/colorPrimary gemeinde-lindenau.json');
    expect(debug).to.contain('/theme/radius landkreis-nordheide.json');
    expect(el.resolvedTenant!.provenance['/links/barrierefreiheit']).to.match(/betreiber\.json$/);
  });
});

describe('tenants: element ids', () => {
  it('every documented element id hides its element', async () => {
    const shown = (el: OzgAntrag) => ({
      header: !!root(el).querySelector('[part=header]'),
      logo: !!root(el).querySelector('[part=logo]'),
      name: !!root(el).querySelector('.tenant-name'),
      title: !!root(el).querySelector('[part=title]'),
      intro: !!root(el).querySelector('.intro'),
      legend: !!root(el).querySelector('.required-legend'),
      help: !!root(el).getElementById(`${control(el, '/name').id}-hint`),
      links: [...root(el).querySelectorAll('[part=footer] a')].map((a) => a.textContent),
      languageSwitch: !!root(el).querySelector('[part=language-switch]'),
    });
    const all = await mountTenant('alles-aus', { service: 'hund', base: FIXTURES });
    expect(shown(all.el)).to.deep.equal({
      header: false,
      logo: false,
      name: false,
      title: false,
      intro: false,
      legend: false,
      help: false,
      links: [],
      languageSwitch: false,
    });
    // A child layer replaces the list: it names what it hides itself.
    const some = await mountTenant('nur-links', { service: 'hund', base: FIXTURES });
    expect(shown(some.el)).to.deep.equal({
      header: true,
      logo: false,
      name: false,
      title: true,
      intro: true,
      legend: true,
      help: true,
      links: ['Datenschutz', 'Barrierefreiheit', 'Kontakt'],
      languageSwitch: true,
    });
  });
});

describe('tenants: field overrides and layout', () => {
  it("a tenant's label and error text for one field of a service, in both languages", async () => {
    const { el } = await mountTenant('nur-links', { service: 'hund', base: FIXTURES });
    expect(labelText(el, '/name')).to.equal('Rufname*');
    await submit(el);
    expect(text(el, '.error-summary a')).to.equal('Wie heißt Ihr Hund?');
    el.lang = 'en';
    await settled(el);
    expect(text(el, '.error-summary a')).to.equal("What is your dog's name?");
  });

  it('reflows to 320 px without horizontal scrolling', async () => {
    // (open-wc removes the fixture from this container after the test; the container stays, empty.)
    const page = document.createElement('div');
    page.style.width = '320px';
    document.body.append(page);
    {
      const el = await fixture<OzgAntrag>(
        html`<ozg-antrag service="hundeanmeldung" tenant="stadt-musterstadt" config-base=${EXAMPLES}></ozg-antrag>`,
        {
          parentNode: page,
        },
      );
      await settled(el);
      expect(el.getBoundingClientRect().width).to.be.at.most(320);
      const overflowing = [...root(el).querySelectorAll<HTMLElement>('input, select, button, legend, label, [part=logo]')].filter(
        (n) => n.getBoundingClientRect().right > el.getBoundingClientRect().right + 0.5,
      );
      expect(overflowing.map((n) => n.outerHTML.slice(0, 60))).to.deep.equal([]);
    }
  });
});

describe('tenants: isolation', () => {
  it('two tenants on one page do not influence each other', async () => {
    const { el: a } = await mountTenant('gemeinde-lindenau');
    const b = document.createElement('ozg-antrag');
    Object.assign(b, { service: 'hundeanmeldung', tenant: 'landkreis-nordheide', configBase: EXAMPLES });
    a.after(b);
    await settled(b);
    expect(getComputedStyle(submitButton(a)).backgroundColor).to.equal('rgb(138, 43, 15)');
    expect(getComputedStyle(submitButton(b)).backgroundColor).to.equal('rgb(29, 94, 32)');
    await type(a, '/hund/name', 'Bello');
    expect(control(b, '/hund/name').value).to.equal('');
    expect(has(b, '/halter/telefon')).to.equal(true);
    b.remove();
  });

  it("the page's own CSS still overrides a tenant token", async () => {
    const style = document.createElement('style');
    style.textContent = 'ozg-antrag.page-override { --ozg-color-primary: #333333; }';
    document.head.append(style);
    const el = await fixture<OzgAntrag>(
      html`<ozg-antrag class="page-override" service="hundeanmeldung" tenant="gemeinde-lindenau" config-base=${EXAMPLES}></ozg-antrag>`,
    );
    await settled(el);
    expect(getComputedStyle(submitButton(el)).backgroundColor).to.equal('rgb(51, 51, 51)');
    style.remove();
  });

  it('hostile global CSS does not break the form, and the form leaks no CSS', async () => {
    const style = document.createElement('style');
    style.textContent = `* { box-sizing: content-box !important; } html { font-size: 28px; line-height: 3; }
      body { color: #ff00ff !important; } input, select, textarea, button { display: none !important; }
      label { float: right; text-transform: uppercase; } fieldset { border: 10px dotted red; }`;
    document.head.append(style);
    const probe = document.createElement('input');
    document.body.append(probe);
    try {
      const el = await fixture<OzgAntrag>(
        html`<ozg-antrag service="hundeanmeldung" tenant="stadt-musterstadt" config-base=${EXAMPLES}></ozg-antrag>`,
      );
      await settled(el);
      const input = control(el, '/halter/vorname');
      const cs = getComputedStyle(input);
      expect(cs.display).to.equal('block');
      expect(cs.boxSizing).to.equal('border-box');
      expect(input.getBoundingClientRect().width).to.be.lessThanOrEqual(el.getBoundingClientRect().width);
      const label = root(el).querySelector(`label[for="${input.id}"]`)!;
      expect(getComputedStyle(label).float).to.equal('none');
      expect(getComputedStyle(label).textTransform).to.equal('none');
      expect(getComputedStyle(label).color).to.not.equal('rgb(255, 0, 255)');
      expect(getComputedStyle(el).lineHeight).to.not.equal(getComputedStyle(document.documentElement).lineHeight);
      expect(getComputedStyle(submitButton(el)).display).to.not.equal('none');
      expect(getComputedStyle(probe).display, "the page's own input keeps the page's rule").to.equal('none');
      await type(el, '/halter/vorname', 'Erika');
      expect(control(el, '/halter/vorname').value).to.equal('Erika');
    } finally {
      style.remove();
      probe.remove();
    }
  });

  it('loading the script a second time breaks nothing', async () => {
    const before = customElements.get('ozg-antrag');
    await import(/* @vite-ignore */ `${new URL('../../src/index.ts', import.meta.url).href}?second-copy`);
    expect(customElements.get('ozg-antrag')).to.equal(before);
    const { el } = await mountTenant('gemeinde-lindenau');
    expect(submitButton(el).textContent!.trim()).to.equal('Absenden an die Gemeinde');
  });
});

describe('tenants: faulty configurations', () => {
  it('unknown keys, ids, text keys and bad values are listed with file and path, and the form refuses', async () => {
    const { el, errors } = await mountTenant('kaputt-schluessel', { service: 'hund', base: FIXTURES });
    const message = problem(el);
    expect(message).to.contain('Die Konfiguration ist fehlerhaft');
    expect(message).to.contain('unbekannter Schlüssel „farbe“');
    expect(message).to.contain('unbekannte Element-Id „kopfzeile“');
    expect(message).to.contain('unbekannter Text-Schlüssel „form.absenden“');
    expect(message).to.contain('kaputt-schluessel.json /theme/colorPrimary');
    expect(root(el).querySelector('form'), 'never half-branded').to.equal(null);
    expect(errors[0]!.kind).to.equal('config');
    await expect(el).to.be.accessible();
  });

  it('an extends cycle, a missing parent, an unknown AGS and a disabled service are explained', async () => {
    expect(problem((await mountTenant('kreis-a', { service: 'hund', base: FIXTURES })).el)).to.contain(
      'bildet einen Kreis: kreis-a → kreis-b → kreis-a',
    );
    expect(problem((await mountTenant('waise', { service: 'hund', base: FIXTURES })).el)).to.match(
      /nicht gefunden \(HTTP 404\).*gibt-es-nicht\.json/,
    );
    expect(problem((await mountTenant('12345678')).el)).to.contain('zum Schlüssel „12345678“ ist keine Kommune eingetragen');
    expect(problem((await mountTenant('abgeschaltet', { service: 'hund', base: FIXTURES })).el)).to.contain(
      'Gemeinde Ohne bietet diesen Dienst nicht online an.',
    );
  });

  it('hiding a required field is refused: the field stays, a warning says why', async () => {
    const { el } = await mountTenant('versteckt-pflicht', { service: 'hund', base: FIXTURES, debug: true });
    expect(has(el, '/name'), 'required: stays').to.equal(true);
    expect(has(el, '/chip'), 'optional: hidden').to.equal(false);
    expect(text(el, '.tenant-debug')).to.contain('„/name“ ist ein Pflichtfeld und kann nicht ausgeblendet werden');
  });

  it('colours below WCAG AA contrast are adjusted, with a warning', async () => {
    const { el } = await mountTenant('kontrastarm', { service: 'hund', base: FIXTURES, debug: true });
    const button = submitButton(el);
    const bg = getComputedStyle(button).backgroundColor;
    expect(bg).to.not.equal('rgb(158, 197, 254)');
    expect(text(el, '.tenant-debug')).to.contain('Kontrast colorPrimary/colorBackground');
    await expect(el).to.be.accessible();
  });

  it('hostile strings in a tenant stay text; a javascript: link is dropped', async () => {
    const { el } = await mountTenant('boese-links', { service: 'hund', base: FIXTURES });
    expect(root(el).querySelector('img[src=x]')).to.equal(null);
    expect(text(el, '.tenant-name')).to.equal('<img src=x onerror=alert(1)>');
    expect(submitButton(el).textContent!.trim()).to.equal('<b>Los</b>');
    expect([...root(el).querySelectorAll<HTMLAnchorElement>('[part=footer] a')].map((a) => a.textContent)).to.deep.equal(['Impressum']);
    expect(await submit(el)).to.equal(undefined);
  });
});
