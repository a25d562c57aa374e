// npm run compile-validator -- <schema.json> <out.js>
// Writes the precompiled, CSP-safe validator module a page gives to <ozg-antrag validator-src="…">.
// (The authoring CLI and the central host will do the same; see issues 6 and 8.)
import { readFileSync, writeFileSync } from 'node:fs';
import { compileValidatorModule } from '../packages/server/src/compile-validator.js';

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('Usage: npm run compile-validator -- <schema.json> <out.js>');
  process.exit(2);
}
const code = await compileValidatorModule(JSON.parse(readFileSync(input, 'utf8')) as Record<string, unknown>);
writeFileSync(output, code);
console.log(`${output}: ${(code.length / 1024).toFixed(1)} KB`);
