import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildFormModel, FormState, StandaloneValidator, type ValidatorModule } from '@ozg-forms/core';
import { AjvValidator } from '@ozg-forms/core/ajv';
import { compileValidatorModule } from '../src/compile-validator.js';
import { FIM_SCHEMAS, readFimSchema, samplesAvailable } from '../../core/test/shared-samples.js';
import { fillRequired } from '../../core/test/sample-data.js';

const dir = mkdtempSync(join(tmpdir(), 'ozg-standalone-'));
async function load(schema: Record<string, unknown>, name: string): Promise<{ code: string; validator: StandaloneValidator }> {
  const code = await compileValidatorModule(schema);
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, code);
  return { code, validator: new StandaloneValidator((await import(pathToFileURL(file).href)) as ValidatorModule) };
}

const hund = JSON.parse(readFileSync(new URL('../../../examples/schemas/hundeanmeldung.schema.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

describe('precompiled (standalone) validator', () => {
  it('is one self-contained module without eval or imports', async () => {
    const { code } = await load(hund, 'hund');
    assert.doesNotMatch(code, /new Function|\beval\(/);
    assert.doesNotMatch(code, /^import /m);
  });

  it('exports a function per field, list and condition, none per group: nesting does not multiply the code', async () => {
    // Three levels of groups around 40 fields: a group's function would hold its whole subtree again.
    const level = (depth: number): Record<string, unknown> =>
      depth === 0
        ? { type: 'object', properties: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, { type: 'string', maxLength: 20 }])) }
        : { type: 'object', properties: { a: level(depth - 1), b: level(depth - 1) } };
    const nested = { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: 'https://test.example/nested.json', ...level(2) };
    const { code, validator } = await load(nested, 'nested');
    const module = (await import(pathToFileURL(join(dir, 'nested.mjs')).href)) as ValidatorModule;
    const locations = Object.keys(module.locations);
    assert.equal(locations.length, 40, 'the 40 fields');
    assert.ok(!locations.includes('/properties/a') && !locations.includes('/properties/a/properties/b'), 'no group');
    assert.deepEqual(
      validator.validateAt('/properties/a/properties/b/properties/f3', 'x'.repeat(21)).map((i) => i.keyword),
      ['maxLength'],
    );
    const rootOnly = await compileValidatorModule(nested, []);
    // The whole-document function calls the exported field functions: each field's check is there once
    // (a call and a function's frame per field instead — for fields this small, about the field's own size).
    assert.equal(code.match(/keyword:"maxLength"/g)?.length, 40, "each field's check once");
    assert.equal(rootOnly.match(/keyword:"maxLength"/g)?.length, 40);
    const gzipped = (text: string) => gzipSync(text).length;
    assert.ok(gzipped(code) < gzipped(rootOnly) * 2.2, `exporting the fields costs little (${gzipped(code)} vs ${gzipped(rootOnly)} bytes gzip)`);
  });

  it('carries only the format checks its schema uses: its own date check, not ajv-formats’ table', async () => {
    const withDate = (format: string) => ({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { a: { type: 'string', format } },
    });
    const { code, validator } = await load(withDate('date'), 'date-only');
    assert.doesNotMatch(code, /fullFormats|ipv4|hostname/, 'no other format in the module');
    for (const [value, ok] of [
      ['2024-02-29', true],
      ['2023-02-29', false],
      ['0050-01-31', true],
      ['2026-04-31', false],
      ['2026-13-01', false],
      ['26-01-01', false],
    ] as const) {
      assert.equal(validator.validate({ a: value }).length === 0, ok, value);
      assert.equal(new AjvValidator(withDate('date')).validate({ a: value }).length === 0, ok, `${value} (host)`);
    }
    // A format ozg-forms does not write itself still comes from ajv-formats, checked the same way.
    const { validator: mail } = await load(withDate('email'), 'email-only');
    assert.deepEqual(
      mail.validate({ a: 'keine Adresse' }).map((i) => i.keyword),
      ['format'],
    );
    assert.deepEqual(mail.validate({ a: 'erika@example.org' }), []);
  });

  it('a FIM code list (oneOf of consts) is checked as the enum it means, by browser and host alike', async () => {
    const list = Array.from({ length: 200 }, (_, i) => ({ const: `C${i}`, title: `Land ${i}` }));
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { land: { type: 'string', oneOf: list }, doppelt: { oneOf: [{ const: 'x' }, { const: 'x' }] } },
    };
    const { code, validator } = await load(schema, 'code-list');
    const host = new AjvValidator(schema);
    for (const data of [{ land: 'C199' }, { land: 'C200' }, { land: 7 }, { doppelt: 'x' }]) {
      assert.deepEqual(
        validator.validate(data),
        host.validate(data).map(({ fallback: _f, ...rest }) => rest),
      );
    }
    assert.deepEqual(validator.validate({ land: 'C199' }), []);
    assert.deepEqual(
      validator.validateAt('/properties/land', 'C200').map((i) => i.keyword),
      ['enum'],
    );
    // Two branches with the same value: oneOf refuses it (both match) — not rewritten, still refused.
    assert.equal(validator.validate({ doppelt: 'x' }).length > 0, true);
    assert.ok(code.length < 20_000, `200 choices in a few KB (${code.length})`);
  });

  it('reports the same issues as ajv at run time, for the whole form and per field', async () => {
    const { validator } = await load(hund, 'hund2');
    const runtime = new AjvValidator(hund);
    const samples: unknown[] = [
      {},
      { halter: { anschrift: { plz: '123' } }, hund: { chipnummer: '12' }, gefaehrlich: true, haltungBeginn: 'morgen' },
      {
        halter: { vorname: 'E', familienname: 'M', anschrift: { strasse: 'A', hausnummer: '1', plz: '53111', ort: 'Bonn' } },
        hund: { name: 'B', rasse: 'M', geschlecht: 'x' },
        gefaehrlich: false,
        haltungBeginn: '2026-10-01',
      },
    ];
    for (const data of samples)
      assert.deepEqual(
        validator.validate(data),
        runtime.validate(data).map(({ fallback: _f, ...rest }) => rest),
      );
    const plz = '/$defs/anschrift/properties/plz';
    assert.deepEqual(
      validator.validateAt(plz, '12').map((i) => i.keyword),
      ['pattern'],
    );
    assert.deepEqual(
      validator.validateAt('/properties/haltungBeginn', '2026-02-31').map((i) => i.keyword),
      ['format'],
    );
    assert.deepEqual(validator.validateAt('/properties/haltungBeginn', '2026-02-28'), []);
  });

  for (const file of FIM_SCHEMAS) {
    it(
      `compiles the FIM sample ${file} and validates a filled form`,
      { skip: samplesAvailable ? false : 'FIM samples absent (../shared)' },
      async () => {
        const schema = readFimSchema(file);
        const { validator } = await load(schema, file.replace(/\W/g, '_'));
        const state = new FormState(buildFormModel(schema), { validator });
        assert.ok(state.validateAll().length > 0);
        fillRequired(state);
        assert.deepEqual(
          state.validateAll().map((e) => e.pointer),
          [],
        );
      },
    );
  }

  it('decides conditions with the same code it validates with; the form’s own matcher only without a module', async () => {
    // The matcher knows no `format`: only ajv's code tells an e-mail address from other text.
    const schema = {
      type: 'object',
      properties: { kontakt: { type: 'string' }, bestaetigung: { type: 'boolean' } },
      allOf: [{ if: { properties: { kontakt: { format: 'email' } }, required: ['kontakt'] }, then: { required: ['bestaetigung'] } }],
    };
    const { validator } = await load(schema, 'conditions');
    const model = buildFormModel(schema);
    const compiled = new FormState(model, { validator, data: { kontakt: 'keine Adresse' } });
    assert.equal(validator.matchesAt('/allOf/0/if', { kontakt: 'keine Adresse' }), false);
    assert.equal(compiled.evaluate('').required.has('bestaetigung'), false, 'not an e-mail address: the condition does not hold');
    compiled.setValue('/kontakt', 'erika@example.org');
    assert.equal(compiled.evaluate('').required.has('bestaetigung'), true);
    // What the host validates with says the same: without the confirmation an e-mail address is refused.
    assert.equal(validator.validate({ kontakt: 'erika@example.org' }).length, 1);
    assert.equal(validator.validate({ kontakt: 'keine Adresse' }).length, 0);
    // A bare schema without a module: the matcher decides (and does not look at formats).
    const bare = new FormState(model, { data: { kontakt: 'keine Adresse' } });
    assert.equal(bare.evaluate('').required.has('bestaetigung'), true);
  });
});
