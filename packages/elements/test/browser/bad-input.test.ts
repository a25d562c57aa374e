import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { control, labelText, mount, root, settled, submit } from './helpers.js';
import type { OzgAntrag, OzgErrorDetail } from '../../src/index.js';

const fixtureUrl = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).href;

async function mountSrc(src: string, lang = 'de') {
  const errors: OzgErrorDetail[] = [];
  const el = await fixture<OzgAntrag>(
    html`<ozg-antrag schema-src=${src} lang=${lang} @ozg-error=${(e: CustomEvent<OzgErrorDetail>) => errors.push(e.detail)}></ozg-antrag>`,
  );
  await settled(el);
  return { el, errors };
}

const problemText = (el: OzgAntrag) => root(el).querySelector('.load-error')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('<ozg-antrag> loading and bad input', () => {
  it('loads a schema from schema-src', async () => {
    const { el } = await mountSrc(fixtureUrl('hund.schema.json'));
    expect(labelText(el, '/name')).to.equal('Name des Hundes*');
    expect(root(el).querySelector('[part=title]')!.textContent).to.equal('Hundeanmeldung');
  });

  it('shows a loading state, never a blank element', async () => {
    const el = await fixture<OzgAntrag>(html`<ozg-antrag schema-src=${fixtureUrl('hund.schema.json')}></ozg-antrag>`);
    expect(root(el).textContent!.trim()).to.equal('Formular wird geladen …');
    await settled(el);
  });

  it('an unreachable schema-src (HTTP 404) says so, with the address, and offers a retry', async () => {
    const { el, errors } = await mountSrc(fixtureUrl('missing.json'));
    expect(problemText(el)).to.contain('Das Formular kann nicht angezeigt werden');
    expect(problemText(el)).to.contain('antwortete mit HTTP 404');
    expect(problemText(el)).to.contain('missing.json');
    expect(root(el).querySelector('.load-error button')!.textContent).to.equal('Erneut versuchen');
    expect(errors.map((e) => e.kind)).to.deep.equal(['load']);
  });

  it('a network failure is explained in English too', async () => {
    const { el } = await mountSrc('http://127.0.0.1:9/schema.json', 'en');
    expect(problemText(el)).to.contain('The form cannot be shown');
    expect(problemText(el)).to.contain('could not be loaded from http://127.0.0.1:9/schema.json');
  });

  it('a schema that is not JSON is reported', async () => {
    const { el } = await mountSrc(fixtureUrl('broken.json'));
    expect(problemText(el)).to.contain('ist kein gültiges JSON');
  });

  it('an unexpected error (a bug) shows a plain message and a retry, never the raw error', async () => {
    const el = await mount({ type: 'object', properties: { a: { type: 'string' } } }, {});
    // A schema that throws when read stands in for a bug anywhere in the loading chain.
    el.schema = {
      get type(): never {
        throw new TypeError('Cannot read properties of undefined (reading x)');
      },
    } as never;
    await settled(el);
    expect(problemText(el)).to.contain('unerwarteter Fehler');
    expect(problemText(el)).to.not.contain('TypeError');
    expect(root(el).querySelector('.load-error button')!.textContent).to.equal('Erneut versuchen');
  });

  it('no schema at all is reported', async () => {
    const el = await fixture<OzgAntrag>(html`<ozg-antrag></ozg-antrag>`);
    await settled(el);
    expect(problemText(el)).to.contain('Es wurde kein Formular angegeben');
  });

  it('a dangling $ref names what is wrong and where', async () => {
    const el = await mount({ type: 'object', properties: { a: { $ref: '#/$defs/fehlt' } } });
    expect(problemText(el)).to.contain('Der Verweis „#/$defs/fehlt“ zeigt ins Leere.');
    expect(problemText(el)).to.contain('/properties/a/$ref');
  });

  it('an invalid keyword value is caught by the meta-schema, with its location', async () => {
    const el = await mount({ type: 'object', properties: { a: { type: 'string', minLength: 'fünf' } } });
    // The form shows first; ajv, compiling beside it, finds the broken keyword and the form gives way to the problem.
    await waitUntil(() => problemText(el), 'the compile error is not shown', { timeout: 5000 });
    expect(problemText(el)).to.contain('/properties/a/minLength');
  });

  it('an unknown type or a schema that is not an object is refused with a message', async () => {
    expect(problemText(await mount({ type: 'object', properties: { a: { type: 'text' } } }))).to.contain('Unbekannter Typ „text“');
    expect(problemText(await mount([1, 2]))).to.contain('Das Schema muss ein JSON-Objekt sein');
    expect(problemText(await mount({ type: 'string' }))).to.contain('„object“');
  });

  it('unknown keywords and unsupported constructs still render the form, with notes for authors', async () => {
    const el = await mount({
      type: 'object',
      properties: { a: { type: 'string', title: 'A', widget: 'fancy' }, t: { type: 'array', prefixItems: [{ type: 'string' }] } },
    });
    expect(labelText(el, '/a')).to.equal('A');
    const notes = root(el).querySelector('.schema-issues')!;
    expect(notes.querySelector('summary')!.textContent).to.equal('Hinweise für Formular-Autoren (2)');
    expect(notes.textContent).to.contain('Unbekanntes Schlüsselwort „widget“');
    expect(notes.textContent).to.contain('/properties/a/widget');
    expect(notes.textContent).to.contain('„prefixItems“ wird geprüft, aber nicht als Eingabe dargestellt.');
  });

  it('renders hostile strings from the schema as text, never as HTML', async () => {
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';
    const el = await mount({
      type: 'object',
      title: evil,
      required: ['a'],
      properties: {
        a: { type: 'string', title: evil, description: evil, enum: [evil, 'ok'] },
        b: { type: 'string', title: 'B', minLength: 3, errorMessage: evil },
      },
    });
    await submit(el);
    expect(root(el).querySelector('img, script')).to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    expect(root(el).querySelector('[part=title]')!.textContent).to.equal(evil);
    expect(labelText(el, '/a')).to.equal(`${evil}*`);
  });

  it('switches language with the lang attribute, keeping what was typed', async () => {
    const el = await mount({ type: 'object', required: ['n'], properties: { n: { type: 'string', title: 'Name', minLength: 3 } } });
    control(el, '/n').value = 'Al';
    control(el, '/n').dispatchEvent(new Event('input'));
    await submit(el);
    el.lang = 'en';
    await settled(el);
    expect(root(el).querySelector('.required-legend')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('* Required');
    expect(root(el).querySelector('.error-summary h2')!.textContent).to.equal('Please check your answers');
    expect(root(el).querySelector('.error-message')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'Error: "Name" must be at least 3 characters long.',
    );
    expect(root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.textContent!.trim()).to.equal('Submit');
    expect(control(el, '/n').value).to.equal('Al');
  });

  it('takes the language of the page when it has no lang attribute', async () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    // Mount the element itself (not a plain wrapper: open-wc waits on an animation frame for those,
    // which Chromium does not give a test page running in the background).
    const page = document.createElement('div');
    page.lang = 'en-GB';
    document.body.append(page);
    const el = await fixture<OzgAntrag>(html`<ozg-antrag .schema=${schema}></ozg-antrag>`, { parentNode: page });
    await settled(el);
    expect(root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.textContent!.trim()).to.equal('Submit');
  });
});
