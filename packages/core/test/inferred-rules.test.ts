/**
 * Prose rules become keywords once, for the form model and every validator compiled by ajv.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AjvValidator } from '../src/ajv-validator.js';
import { buildFormModel } from '../src/form-model.js';
import { withInferredRules } from '../src/inferred-rules.js';
import type { SchemaObject } from '../src/schema.js';

const FIM: SchemaObject = {
  type: 'object',
  properties: {
    beginn: { type: 'string', title: 'Beginn', description: 'Datenfeld: Beginn - Wertebereich: Datum' },
    ende: { type: ['string', 'null'], description: 'Wertebereich: Datum' },
    notiz: { type: 'string', description: 'Freitext', default: { description: 'Wertebereich: Datum' } },
    art: { enum: [{ type: 'string', description: 'Wertebereich: Datum' }] },
    zeit: { type: 'string', format: 'date-time', description: 'Wertebereich: Datum' },
  },
};

describe('inferred rules', () => {
  it('give a FIM date field format "date", leave data and stated formats alone', () => {
    const inferred = withInferredRules(FIM) as { properties: Record<string, SchemaObject> };
    assert.equal(inferred.properties.beginn!.format, 'date');
    assert.equal(inferred.properties.ende!.format, 'date');
    assert.equal(inferred.properties.notiz!.format, undefined);
    assert.deepEqual(inferred.properties.notiz!.default, { description: 'Wertebereich: Datum' });
    assert.deepEqual(inferred.properties.art, (FIM.properties as Record<string, SchemaObject>).art);
    assert.equal(inferred.properties.zeit!.format, 'date-time');
    assert.equal((FIM.properties as Record<string, SchemaObject>).beginn!.format, undefined, 'the given schema is not changed');
    const plain: SchemaObject = { type: 'object', properties: { a: { type: 'string' } } };
    assert.equal(withInferredRules(plain), plain);
  });

  it('are what the form model and the validator both apply', () => {
    const model = buildFormModel(FIM);
    const beginn = model.root.kind === 'group' ? model.root.children.find((c) => c.key === 'beginn') : undefined;
    assert.equal(beginn?.kind === 'field' && beginn.format, 'date');
    const validator = new AjvValidator(FIM);
    assert.deepEqual(
      validator.validate({ beginn: '2001-02-31' }).map((i) => [i.pointer, i.keyword]),
      [['/beginn', 'format']],
    );
    assert.deepEqual(validator.validateAt('/properties/beginn', 'gestern').length, 1);
    assert.deepEqual(validator.validate({ beginn: '2001-02-28', ende: null }), []);
  });
});
