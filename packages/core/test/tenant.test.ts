import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { checkServiceDefinition, checkTenantLayer } from '../src/config-check.js';
import { contrastRatio, ensureContrast, mergeTenantLayers, tenantHidden, tenantTexts, themeTokens, type TenantConfig } from '../src/index.js';
import { loadCatalog } from '../src/messages.js';
import { generate } from '../../../scripts/generate-schema-code.js';

// English loads on demand, as in the browser.
await loadCatalog('en');

const example = (id: string) => JSON.parse(readFileSync(new URL(`../../../examples/tenants/${id}.json`, import.meta.url), 'utf8')) as TenantConfig;

describe('tenant layers', () => {
  it('the example layers are valid', () => {
    for (const id of ['betreiber', 'land-musterland', 'landkreis-nordheide', 'stadt-musterstadt', 'gemeinde-lindenau']) {
      assert.deepEqual(checkTenantLayer(example(id), `${id}.json`), [], id);
    }
  });

  it('reports unknown keys, ids, text keys and malformed values with their paths', () => {
    const issues = checkTenantLayer(
      {
        id: 'x',
        farbe: 'rot',
        theme: { colorPrimary: 'red' },
        hidden: ['kopf', '/ok'],
        texts: { de: { 'form.submit': 'Los', 'gibt.es.nicht': 'x' } },
      },
      'x.json',
    );
    assert.deepEqual(
      issues.map((i) => [i.path, i.key]),
      [
        ['/', 'config.unknownKey'],
        ['/theme/colorPrimary', 'config.pattern'],
        ['/hidden/0', 'config.unknownId'],
        ['/texts/de/gibt.es.nicht', 'config.unknownTextKey'],
      ],
    );
    assert.ok(issues.every((i) => i.file === 'x.json'));
  });

  it('merges parent first: objects by key, lists replaced; provenance names the layer of each value', () => {
    const resolved = mergeTenantLayers([
      { file: 'betreiber.json', config: example('betreiber') },
      { file: 'land.json', config: example('land-musterland') },
      { file: 'kreis.json', config: example('landkreis-nordheide') },
      { file: 'gemeinde.json', config: example('gemeinde-lindenau') },
    ]);
    assert.equal(resolved.id, 'gemeinde-lindenau');
    assert.equal(resolved.config.theme?.radius, '0px');
    assert.equal(resolved.config.theme?.colorPrimary, '#8a2b0f');
    assert.equal(resolved.config.links?.datenschutz, 'https://musterland.example/datenschutz');
    assert.equal(resolved.provenance['/theme/radius'], 'kreis.json');
    assert.equal(resolved.provenance['/links/barrierefreiheit'], 'betreiber.json');
    assert.equal(resolved.provenance['/name'], 'gemeinde.json');
    assert.equal('extends' in resolved.config, false);
    assert.deepEqual([...tenantHidden(resolved.config, 'hundeanmeldung')], ['intro', 'link-kontakt', '/halter/telefon', '/weitereHunde']);
    assert.equal(tenantTexts(resolved.config, 'hundeanmeldung', 'de')['form.submit'], 'Absenden an die Gemeinde');
    assert.equal(
      tenantTexts(resolved.config, 'hundeanmeldung', 'en')['form.submit'],
      'Send to the municipality',
      'the Gemeinde layer replaces the Landkreis text',
    );
    assert.equal(tenantTexts(resolved.config, 'anderer-dienst', 'de')['form.submit'], 'An die Gemeinde senden');
  });
});

describe('service definitions', () => {
  it('the example services are valid; a faulty one is described like a tenant layer', () => {
    for (const id of ['hundeanmeldung', 'aufenthalt-zweck', 'aufenthalt-assistent', 'hausnummernvergabe']) {
      const definition = JSON.parse(readFileSync(new URL(`../../../examples/services/${id}.json`, import.meta.url), 'utf8')) as unknown;
      assert.deepEqual(checkServiceDefinition(definition, `${id}.json`), [], id);
    }
    const issues = checkServiceDefinition({ id: 'Hund!', title: 'T', schema: 'x.json', farbe: 'rot' }, 's.json');
    assert.deepEqual(
      issues.map((i) => [i.path, i.key]),
      [
        ['/', 'config.unknownKey'],
        ['/id', 'config.pattern'],
      ],
    );
  });
});

describe('theme tokens', () => {
  it('computes WCAG contrast', () => {
    assert.equal(contrastRatio('#000000', '#ffffff').toFixed(1), '21.0');
    assert.equal(contrastRatio('#767676', '#ffffff').toFixed(2), '4.54');
    const fixed = ensureContrast('#9ec5fe', '#ffffff', 4.5);
    assert.ok(contrastRatio(fixed, '#ffffff') >= 4.5);
  });

  it('turns a theme into custom properties and adjusts failing colours with a warning', () => {
    const { properties, issues } = themeTokens(
      { colorPrimary: '#9ec5fe', radius: '4px', fontFamily: 'Arial, sans-serif' },
      (path) => `t.json${path}`,
    );
    assert.equal(properties['--ozg-radius'], '4px');
    assert.equal(properties['--ozg-font-family'], 'Arial, sans-serif');
    assert.notEqual(properties['--ozg-color-primary'], '#9ec5fe');
    assert.deepEqual(
      issues.map((i) => [i.params.pair, i.file]),
      [['colorPrimary/colorBackground', 't.json/theme/colorPrimary']],
    );
  });

  it('lets nothing but colours, lengths and font lists reach CSS', () => {
    const { properties } = themeTokens({ colorPrimary: 'red; } * { display: none', fontFamily: 'x}body{color:red' } as never);
    assert.equal(properties['--ozg-color-primary'], undefined);
    assert.equal(properties['--ozg-font-family'], undefined);
  });
});

describe('generated code', () => {
  it('types and validators in packages/core/src/generated are what npm run generate writes', async () => {
    for (const [name, text] of Object.entries(await generate())) {
      assert.equal(readFileSync(new URL(`../src/generated/${name}`, import.meta.url), 'utf8'), text, `${name} is out of date: run npm run generate`);
    }
  });
});

describe('service overrides of a tenant', () => {
  it('replace title, intro, step titles/intros and consent text; keep the rest', async () => {
    const { serviceAsTenantShowsIt } = await import('../src/index.js');
    const definition = {
      id: 's',
      title: 'T',
      schema: 'x.json',
      steps: [{ id: 'a', title: 'A', fields: ['/a'] }] as [{ id: string; title: string; fields: [string] }],
      consent: { text: 'Text', checkboxes: [{ id: 'ok', label: 'OK' }] as [{ id: string; label: string }] },
    };
    const shown = serviceAsTenantShowsIt(definition, {
      id: 't',
      services: { s: { title: 'Eigener Titel', steps: { a: { intro: 'Hallo' } }, consent: { text: 'Eigener Text' } } },
    });
    assert.equal(shown.title, 'Eigener Titel');
    assert.deepEqual(shown.steps, [{ id: 'a', title: 'A', fields: ['/a'], intro: 'Hallo' }]);
    assert.deepEqual(shown.consent, { text: 'Eigener Text', checkboxes: [{ id: 'ok', label: 'OK' }] });
    assert.equal(serviceAsTenantShowsIt(definition, undefined), definition);
  });
});
