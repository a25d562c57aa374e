import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFormModel, FormState, hasBlockingIssues, type FormNode } from '../src/index.js';
import { createAjvValidator } from '../src/ajv-validator.js';
import { FIM_SCHEMAS, readFimSchema, samplesAvailable, SKIP_REASON } from './shared-samples.js';
import { fillRequired } from './sample-data.js';

function countLeaves(node: FormNode, seen = new Set<string>()): number {
  if (node.kind === 'group') return node.children.reduce((n, c) => n + countLeaves(c, seen), 0);
  if (node.kind === 'repeat') return countLeaves(node.item, seen);
  return 1;
}

describe('FIM-shaped JSON Schemas from ../shared/samples', { skip: samplesAvailable ? false : SKIP_REASON }, () => {
  for (const file of FIM_SCHEMAS) {
    it(`${file}: builds without any edit, fills and validates`, () => {
      const schema = readFimSchema(file);
      const before = JSON.stringify(schema);
      const model = buildFormModel(schema);
      assert.equal(hasBlockingIssues(model), false, JSON.stringify(model.issues));
      assert.deepEqual(
        model.issues.filter((i) => i.severity === 'warning'),
        [],
      );
      assert.ok(countLeaves(model.root) > 10);
      const state = new FormState(model, { validator: createAjvValidator(schema) });
      const missing = state.validateAll();
      assert.ok(missing.length > 0, 'an empty FIM form reports required fields');
      assert.ok(fillRequired(state) > 0);
      assert.deepEqual(
        state.validateAll().map((e) => `${e.pointer} ${e.error.keyword}`),
        [],
      );
      assert.equal(JSON.stringify(schema), before, 'the schema is not changed');
    });
  }

  it('S00000000094: code lists become options labelled by their description', () => {
    const model = buildFormModel(readFimSchema('S00000000094V1.0.0.schema.json'));
    const status = model.root.childByKey.get('F00000000463V1.0.0');
    assert.equal(status?.kind, 'choice');
    assert.equal(status.label, 'Beschäftigungsverhältnis Frau');
    assert.equal(status.options.length, 9);
    assert.deepEqual(status.options[0], { value: '001', label: 'Arbeitnehmerin' });
  });
});
