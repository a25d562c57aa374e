/**
 * ozg-forms — the authoring CLI.
 *   ozg-forms validate <service.json | folder> [--json]
 *   ozg-forms types <schema.json> [-o out.d.ts] [--name Name]
 *   ozg-forms compile <schema.json> [-o out.js]
 *   ozg-forms preview <service.json> [--tenant id] [--port 8090]
 *   ozg-forms import-xdf <file.xml> [--codelist gc.xml …] [--out-dir dir]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog } from '@ozg-forms/core';
import { compileValidatorModule } from '@ozg-forms/server/compile-validator';
import { formatFinding } from './findings.js';
import { importXdf, parseGenericode } from './import-xdf.js';
import { preview } from './preview.js';
import { schemaTypes, typeName } from './types.js';
import { validate } from './validate.js';

const HELP: Record<string, string> = {
  main: `ozg-forms — check and build what ozg-forms serves

Usage: ozg-forms <command> [options]

Commands:
  validate <service.json | folder>   check service definitions, their data schemas and tenant configurations
  types <schema.json>                TypeScript types of the submission data
  compile <schema.json>              a CSP-safe validator module (the one the central host serves)
  preview <service.json>             the form in your browser, reloaded on every change
  import-xdf <file.xml>              XDatenfelder 2.0/3.0 → data schema + service definition skeleton
  help <command>                     help for one command

Run "ozg-forms <command> --help" for its options.`,
  validate: `ozg-forms validate <service.json | folder> [--json]

Checks a service definition, or a folder with services/ and tenants/ (as the central host reads it):
  - service definitions and tenant layers against schemas/service.schema.json and schemas/tenant.schema.json
    (unknown keys, wrong types, unknown text keys and element ids)
  - the data schema: valid JSON, valid JSON Schema (2020-12 or draft-07), no dangling $ref
  - every JSON pointer in steps, field hints and tenant overrides names an existing field
  - every field that may be required is on some step; step conditions read existing fields
  - tenant colours meet WCAG AA contrast; no tenant hides a field the application needs
Each finding names the file, the JSON path and a fix. Exit code 0 when there is no error, 1 otherwise.

Options:
  --json   findings as JSON (for CI)`,
  types: `ozg-forms types <schema.json> [-o out.d.ts] [--name Name]

Writes TypeScript types of the data a form with this schema submits (json-schema-to-typescript),
with each field's title (FIM: the field name) as its doc comment.

Options:
  -o, --out    file to write (default: standard output)
  --name       name of the root type (default: from the file name)`,
  compile: `ozg-forms compile <schema.json> [-o out.js]

Writes the precompiled validator of a data schema: one self-contained ES module without eval,
for pages with a strict Content-Security-Policy (<ozg-antrag validator-src="…">).

Options:
  -o, --out    file to write (default: standard output)`,
  'import-xdf': `ozg-forms import-xdf <file.xml> [--codelist list.xml …] [--out-dir dir]

Converts an XDatenfelder 2.0 or 3.0 Stammdatenschema into
  <dir>/schemas/<id>.schema.json   the data schema (JSON Schema 2020-12; $defs keyed by FIM id and version)
  <dir>/services/<id>.json         a service definition: labels (bezeichnungEingabe) and help texts
                                   (hilfetextEingabe) by field, a step per top-level group
Groups become objects, Multiplizität 0:1 / 1:1 / n:m optional, required and lists; Datentyp and
Präzisierung become type, format, length, pattern and range; code lists become choices — inline
values (xdf3) or genericode files given with --codelist; a list not supplied stays free text (with a
warning). Fields of Datentyp file become Nachweise (submission.attachments.slots). Regeln are
German prose: each is kept on its element (x-fim-regeln) and listed here, to be modelled as a
condition by the author. Then: ozg-forms validate <dir>, ozg-forms preview. Worked example:
docs/authoring.md.

Options:
  --codelist   a genericode file (repeat for several)
  --out-dir    where to write (default: the current folder)`,
  preview: `ozg-forms preview <service.json> [--tenant id] [--port 8090] [--host localhost]

Serves the service with a local central host and opens nothing: visit the address it prints.
The page reloads whenever the service definition, its data schema or (with --tenant) a file in
the tenants/ folder beside services/ changes; validate's findings are printed on every change.
Needs the browser bundle (npm run build; npm start builds it too).

Options:
  --tenant     show the service as this tenant does (id from ../tenants/ next to the service file)
  --port       port (default 8090; 0 picks a free one)
  --host       address to listen on (default localhost)`,
};

function readSchema(file: string): Record<string, unknown> {
  const value = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${file} is not a JSON object`);
  return value as Record<string, unknown>;
}

function output(text: string, out: string | undefined) {
  if (out) writeFileSync(out, text);
  else console.log(text.endsWith('\n') ? text.slice(0, -1) : text);
}

export async function main(argv: string[]): Promise<number> {
  // Findings are written in English too: its texts load on demand like every language but German.
  await loadCatalog('en');
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    console.log(HELP.main);
    return command ? 0 : 2;
  }
  if (command === 'help') {
    console.log(HELP[rest[0] ?? 'main'] ?? HELP.main);
    return 0;
  }
  if (!HELP[command] || command === 'main') {
    console.error(`Unknown command "${command}".\n\n${HELP.main}`);
    return 2;
  }
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        out: { type: 'string', short: 'o' },
        name: { type: 'string' },
        tenant: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        codelist: { type: 'string', multiple: true },
        'out-dir': { type: 'string' },
      },
    });
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${HELP[command]}`);
    return 2;
  }
  if (args.values.help) {
    console.log(HELP[command]);
    return 0;
  }
  const [target] = args.positionals;
  if (!target) {
    console.error(`Missing file.\n\n${HELP[command]}`);
    return 2;
  }
  const out = args.values.out as string | undefined;
  try {
    if (command === 'validate') {
      const findings = validate(target);
      const errors = findings.filter((f) => f.severity === 'error').length;
      if (args.values.json) console.log(JSON.stringify({ errors, warnings: findings.length - errors, findings }, null, 2));
      else {
        for (const f of findings) console.log(formatFinding(f));
        console.log(findings.length ? `${errors} error(s), ${findings.length - errors} warning(s)` : `${target}: no problems found`);
      }
      return errors ? 1 : 0;
    }
    if (command === 'preview') {
      const port = Number(args.values.port ?? 8090);
      if (!Number.isInteger(port) || port < 0) throw new Error(`--port must be a number, got "${String(args.values.port)}"`);
      const running = await preview({
        service: target,
        ...(args.values.tenant ? { tenant: args.values.tenant as string } : {}),
        port,
        host: (args.values.host as string | undefined) ?? 'localhost',
        log: (line) => console.log(line),
      });
      await new Promise<void>((done) => {
        const stop = () => void running.close().then(done);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      return 0;
    }
    if (command === 'import-xdf') {
      const codeLists = ((args.values.codelist as string[] | undefined) ?? []).map((f) => parseGenericode(readFileSync(f, 'utf8')));
      const result = importXdf(readFileSync(target, 'utf8'), codeLists);
      const dir = resolve((args.values['out-dir'] as string | undefined) ?? '.');
      const id = String(result.service.id);
      mkdirSync(join(dir, 'schemas'), { recursive: true });
      mkdirSync(join(dir, 'services'), { recursive: true });
      result.service.schema = `../schemas/${id}.schema.json`;
      writeFileSync(join(dir, 'schemas', `${id}.schema.json`), `${JSON.stringify(result.schema, null, 2)}\n`);
      writeFileSync(join(dir, 'services', `${id}.json`), `${JSON.stringify(result.service, null, 2)}\n`);
      for (const n of result.notes) console.log(`${n.element}: ${n.severity}: ${n.message}`);
      const defs = Object.keys(result.schema.$defs as object);
      console.log(
        `XDatenfelder ${result.version}: ${defs.filter((k) => k.startsWith('F')).length} fields, ${defs.filter((k) => k.startsWith('G')).length} groups; ` +
          `${result.counts.places} input and select places: ${result.counts.questions} questions, ${result.counts.nachweisPlaces} where a Nachweis is asked → ` +
          `${join(dir, 'schemas', `${id}.schema.json`)}, ${join(dir, 'services', `${id}.json`)}`,
      );
      return 0;
    }
    const schema = readSchema(target);
    if (command === 'types') output(await schemaTypes(schema, (args.values.name as string | undefined) ?? typeName(target)), out);
    else output(await compileValidatorModule(schema), out);
    if (out) console.error(`wrote ${out}`);
    return 0;
  } catch (err) {
    console.error(`ozg-forms ${command}: ${(err as Error).message}`);
    return 1;
  }
}
