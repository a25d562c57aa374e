import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
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
    assert.ok(code.length < rootOnly.length * 2.5, `fields add at most about the root's size again (${code.length} vs ${rootOnly.length})`);
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
