// Writes docs/element-ids.md: the stable, documented list of element ids a tenant can hide.
// `npm run docs:element-ids`; a test fails when the document, the schema and the code disagree.
import { writeFileSync } from 'node:fs';
import { ELEMENT_IDS } from '../packages/core/src/tenant.js';

export function renderElementIds(): string {
  return [
    '# Element ids',
    '',
    'What a tenant can hide with `hidden` (for all services) or `services.<id>.hidden` (for one). Removing or',
    'renaming an id is a breaking change; `packages/core/test/documented-lists.test.ts` fails when this list,',
    '`schemas/tenant.schema.json` and the code disagree. Regenerate with `npm run docs:element-ids`.',
    '',
    '| id | what it hides |',
    '| --- | --- |',
    ...Object.entries(ELEMENT_IDS).map(([id, what]) => `| \`${id}\` | ${what} |`),
    '',
    'Besides these ids, a data pointer hides an optional field or group of the service, e.g. `/halter/telefon`; use',
    '`-` for entries of a list (`/kinder/-/zweitname`). A hidden field is neither shown nor submitted. A required',
    'field (or one a condition can make required) cannot be hidden: the form keeps it and warns in the console and',
    'in the `debug` view.',
    '',
    'The parts of the form these ids name carry the attribute `data-ozg-element="<id>"` inside the element (the',
    "console's preview marks a part by it while its box has the focus; not a styling hook — use `::part()`).",
    '',
  ].join('\n');
}

if (process.argv[1]?.endsWith('element-ids.ts')) writeFileSync(new URL('../docs/element-ids.md', import.meta.url), renderElementIds());
