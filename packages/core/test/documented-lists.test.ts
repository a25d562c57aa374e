import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { HIDEABLE_ELEMENT_IDS, MESSAGE_KEYS } from '../src/index.js';
import { renderTextKeys } from '../../../scripts/text-keys.js';
import { renderElementIds } from '../../../scripts/element-ids.js';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

describe('documented lists (public contract)', () => {
  it('docs/text-keys.md lists exactly the keys of the catalogs (run npm run docs:text-keys)', () => {
    const documented = read('docs/text-keys.md');
    const keys = [...documented.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    const missing = keys.filter((k) => !(MESSAGE_KEYS as string[]).includes(k!));
    assert.deepEqual(missing, [], 'documented keys that disappeared from the catalogs (a breaking change)');
    assert.equal(documented, renderTextKeys(), 'docs/text-keys.md is out of date');
  });

  it('docs/element-ids.md, the tenant schema and the code name the same element ids (run npm run docs:element-ids)', () => {
    const documented = read('docs/element-ids.md');
    const ids = [...documented.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    const missing = ids.filter((id) => !(HIDEABLE_ELEMENT_IDS as string[]).includes(id!));
    assert.deepEqual(missing, [], 'documented element ids that disappeared (a breaking change)');
    assert.equal(documented, renderElementIds(), 'docs/element-ids.md is out of date');
    const schema = JSON.parse(read('schemas/tenant.schema.json')) as { $defs: { hidden: { items: { anyOf: Array<{ enum?: string[] }> } } } };
    assert.deepEqual(schema.$defs.hidden.items.anyOf[0]!.enum, HIDEABLE_ELEMENT_IDS);
  });
});
