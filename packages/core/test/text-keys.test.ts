import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { MESSAGE_KEYS } from '../src/index.js';
import { renderTextKeys } from '../../../scripts/text-keys.js';

describe('text keys', () => {
  it('docs/text-keys.md lists exactly the keys of the catalogs (run npm run docs:text-keys)', () => {
    const documented = readFileSync(new URL('../../../docs/text-keys.md', import.meta.url), 'utf8');
    const keys = [...documented.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    const missing = keys.filter((k) => !(MESSAGE_KEYS as string[]).includes(k!));
    assert.deepEqual(missing, [], 'documented keys that disappeared from the catalogs (a breaking change)');
    assert.equal(documented, renderTextKeys(), 'docs/text-keys.md is out of date');
  });
});
