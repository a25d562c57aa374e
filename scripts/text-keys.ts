// Writes docs/text-keys.md from the message catalogs: the stable, documented list of text keys.
// `npm run docs:text-keys`; a test fails when the document and the catalogs disagree.
import { writeFileSync } from 'node:fs';
import en from '../packages/core/src/catalogs/en.js';
import { MESSAGE_CATALOGS, MESSAGE_KEYS } from '../packages/core/src/messages.js';

export function renderTextKeys(): string {
  const rows = MESSAGE_KEYS.map((k) => `| \`${k}\` | ${MESSAGE_CATALOGS.de[k].replace(/\|/g, '\\|')} | ${en[k].replace(/\|/g, '\\|')} |`);
  return [
    '# Text keys',
    '',
    'Every user-facing default text of ozg-forms has a stable key. Tenants will override texts by these keys',
    '(issue 4); removing or renaming a key is a breaking change, and `packages/core/test/text-keys.test.ts`',
    'fails when this list and the catalogs disagree. `{name}` placeholders are filled with plain text.',
    'Regenerate with `npm run docs:text-keys`.',
    '',
    '| key | Deutsch (default) | English |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('text-keys.ts')) writeFileSync(new URL('../docs/text-keys.md', import.meta.url), renderTextKeys());
