/**
 * The ozg-forms CLI as authors run it (the bin script, in a child process): each validation
 * rule with a passing fixture (test/fixtures/gut) and a failing variant of it, exit codes,
 * --json, --help; types that compile with tsc; a compiled validator that validates.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { main } from '../src/main.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const GOOD = join(ROOT, 'packages/cli/test/fixtures/gut');

/**
 * The CLI's `main` run in this process, as `ozg-forms <args>` would run in `cwd`: exit code and what
 * it printed. (Spawning it costs a second or two per call; the installed bin has its own test below.)
 */
async function cli(args: string[], cwd = ROOT) {
  const out: string[] = [];
  const err: string[] = [];
  // Only console: process.stdout also carries the test runner's own report.
  const saved = { log: console.log, error: console.error, warn: console.warn, dir: process.cwd() };
  console.log = (...a: unknown[]) => void out.push(`${format(...a)}\n`);
  console.error = console.warn = (...a: unknown[]) => void err.push(`${format(...a)}\n`);
  process.chdir(cwd);
  try {
    const code = await main(args);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    Object.assign(console, { log: saved.log, error: saved.error, warn: saved.warn });
    process.chdir(saved.dir);
  }
}

/** A copy of the good fixture with one mistake made in it. */
function broken(change: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'ozg-cli-'));
  cpSync(GOOD, dir, { recursive: true });
  change(dir);
  return dir;
}

function edit(file: string, fn: (v: Record<string, any>) => void) {
  const v = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
  fn(v);
  writeFileSync(file, JSON.stringify(v, null, 2));
}

interface Report {
  errors: number;
  warnings: number;
  findings: Array<{ severity: string; file: string; path: string; message: string; fix?: string }>;
}

async function validateJson(dir: string): Promise<{ code: number | null; report: Report }> {
  const r = await cli(['validate', dir, '--json'], dir);
  return { code: r.code, report: JSON.parse(r.out) as Report };
}

describe('ozg-forms validate', () => {
  it('passes the good fixture and the examples (exit 0)', async () => {
    assert.equal((await cli(['validate', GOOD])).code, 0);
    const examples = await cli(['validate', 'examples']);
    assert.equal(examples.code, 0, examples.out);
    assert.match(examples.out, /no problems found/);
  });

  const cases: Array<[string, (dir: string) => void, { file: string; path: string; message: RegExp; severity?: string }]> = [
    [
      'an unknown key in a service definition',
      (d) => edit(join(d, 'services/dienst.json'), (s) => (s.titel = 'Tippfehler')),
      { file: 'services/dienst.json', path: '/', message: /titel/ },
    ],
    [
      'a file that is not JSON',
      (d) => writeFileSync(join(d, 'services/dienst.json'), '{ "id": "dienst", '),
      { file: 'services/dienst.json', path: '/', message: /not valid JSON/ },
    ],
    [
      'a data schema that is not valid JSON Schema',
      (d) => edit(join(d, 'schemas/dienst.schema.json'), (s) => (s.properties.name.type = 'strnig')),
      { file: 'schemas/dienst.schema.json', path: '/', message: /not valid JSON Schema/ },
    ],
    [
      'a step naming a field the schema lacks',
      (d) => edit(join(d, 'services/dienst.json'), (s) => s.steps[0].fields.push('/nachname')),
      { file: 'services/dienst.json', path: '/steps/0/fields/2', message: /"\/nachname"/ },
    ],
    [
      'a required field on no step',
      (d) => edit(join(d, 'services/dienst.json'), (s) => (s.steps[0].fields = ['/name'])),
      { file: 'services/dienst.json', path: '/steps', message: /"\/art" may be required but no step shows it/ },
    ],
    [
      'a step condition reading a field the schema lacks',
      (d) => edit(join(d, 'services/dienst.json'), (s) => (s.steps[1].when = { properties: { typ: { const: 'b' } } })),
      { file: 'services/dienst.json', path: '/steps/1/when', message: /reads "\/typ"/ },
    ],
    [
      'a field hint for a field the schema lacks',
      (d) => edit(join(d, 'services/dienst.json'), (s) => (s.fields['/vorname'] = { autocomplete: 'given-name' })),
      { file: 'services/dienst.json', path: '/fields/~1vorname', message: /"\/vorname"/ },
    ],
    [
      'a sign-in prefill into a field the schema lacks',
      (d) =>
        edit(
          join(d, 'services/dienst.json'),
          (s) => (s.login = { mode: 'optional', providers: ['bundid'], prefill: { family_name: { pointer: '/nachname' } } }),
        ),
      { file: 'services/dienst.json', path: '/login/prefill/family_name/pointer', message: /"\/nachname", which the data schema does not have/ },
    ],
    [
      'a sign-in prefill into a field that is not text',
      (d) =>
        edit(
          join(d, 'services/dienst.json'),
          (s) => (s.login = { mode: 'required', providers: ['bundid'], prefill: { given_name: { pointer: '/art' } } }),
        ),
      { file: 'services/dienst.json', path: '/login/prefill/given_name/pointer', message: /not a text field/ },
    ],
    [
      'a tenant offering an identity provider the service does not',
      (d) => edit(join(d, 'tenants/gemeinde.json'), (t) => (t.services.dienst.loginProviders = ['elster'])),
      { file: 'tenants/gemeinde.json', path: '/services/dienst/loginProviders/0', message: /"elster" is not among the identity providers/ },
    ],
    [
      'a tenant colour without enough contrast',
      (d) => edit(join(d, 'tenants/gemeinde.json'), (t) => (t.theme.colorPrimary = '#ffff00')),
      { file: 'tenants/gemeinde.json', path: '/theme/colorPrimary', message: /contrast|Kontrast/i, severity: 'warning' },
    ],
    [
      'a tenant hiding a field the application needs',
      (d) => edit(join(d, 'tenants/gemeinde.json'), (t) => t.services.dienst.hidden.push('/art')),
      { file: 'tenants/gemeinde.json', path: '/services/dienst/hidden/1', message: /"\/art" is required/ },
    ],
    [
      'a tenant text key that does not exist',
      (d) => edit(join(d, 'tenants/gemeinde.json'), (t) => (t.texts = { de: { 'form.absenden': 'Los' } })),
      { file: 'tenants/gemeinde.json', path: '/texts/de/form.absenden', message: /form\.absenden/ },
    ],
    [
      'a tenant field override for a field the service lacks',
      (d) => edit(join(d, 'tenants/gemeinde.json'), (t) => (t.services.dienst.fields = { '/alter': { label: { de: 'Alter' } } })),
      { file: 'tenants/gemeinde.json', path: '/services/dienst/fields/~1alter', message: /"\/alter"/ },
    ],
    [
      'a field without a label in a language the service is offered in',
      (d) => edit(join(d, 'services/dienst.json'), (s) => delete s.fields['/details/bemerkung']),
      { file: 'services/dienst.json', path: '/fields/~1details~1bemerkung/label', message: /"\/details\/bemerkung" has no label in "en"/ },
    ],
    [
      'a field without any German label (neither a title nor a hint)',
      (d) => edit(join(d, 'schemas/dienst.schema.json'), (s) => delete s.properties.name.title),
      { file: 'schemas/dienst.schema.json', path: '/properties/name', message: /"\/name" has no label in "de"/ },
    ],
    [
      'choices without a translation in an offered language (a warning: exit 0)',
      (d) => edit(join(d, 'services/dienst.json'), (s) => (s.fields['/art'].options = { a: { en: 'A' } })),
      { file: 'services/dienst.json', path: '/fields/~1art/options', message: /1 of 2 choices of "\/art" have no "en" label/, severity: 'warning' },
    ],
    [
      'a tenant’s wording missing in a language it offers the service in',
      (d) =>
        edit(join(d, 'tenants/gemeinde.json'), (t) => {
          t.languages = ['de', 'en'];
          t.services.dienst.title = { de: 'Dienst der Gemeinde' };
        }),
      { file: 'tenants/gemeinde.json', path: '/services/dienst/title', message: /no "en" text, though .* offers dienst in de, en/ },
    ],
    [
      'a step title missing in an offered language',
      (d) => edit(join(d, 'services/dienst.json'), (s) => delete s.steps[1].title.en),
      { file: 'services/dienst.json', path: '/steps/1/title', message: /no "en" text/ },
    ],
  ];

  for (const [what, change, expected] of cases)
    it(`finds ${what}, naming file, path and a fix`, async () => {
      const dir = broken(change);
      const { code, report } = await validateJson(dir);
      const severity = expected.severity ?? 'error';
      assert.equal(code, severity === 'error' ? 1 : 0);
      const hit = report.findings.find((f) => f.file === expected.file && f.path === expected.path && expected.message.test(f.message));
      assert.ok(hit, `expected ${expected.file} ${expected.path} ${String(expected.message)} in:\n${JSON.stringify(report.findings, null, 2)}`);
      assert.equal(hit.severity, severity);
      if (severity === 'error') assert.ok(hit.fix, 'a fix is suggested');
      const text = await cli(['validate', dir], dir);
      assert.match(text.out, new RegExp(`^${expected.file.replace(/[.]/g, '\\.')}[ :]`, 'm'), 'the text output names the file first');
    });
});

describe('ozg-forms types', () => {
  it('writes types with the field titles as doc comments, and they compile with tsc', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ozg-types-'));
    const out = join(dir, 'hund.ts');
    const r = await cli(['types', 'examples/schemas/hundeanmeldung.schema.json', '-o', out]);
    assert.equal(r.code, 0, r.err);
    const types = readFileSync(out, 'utf8');
    assert.match(types, /export interface Hundeanmeldung\b/);
    assert.match(types, /\* Name des Hundes/);
    assert.match(types, /geschlecht: \("w" \| "m"\)/);
    writeFileSync(
      join(dir, 'use.ts'),
      `import type { Hundeanmeldung } from './hund.js';
const ok: Hundeanmeldung = { halter: { vorname: 'E', familienname: 'M', anschrift: { strasse: 'a', hausnummer: '1', plz: '12345', ort: 'o' } }, hund: { name: 'B', rasse: 'M', geschlecht: 'm' }, gefaehrlich: false, haltungBeginn: '2026-01-01' };
// @ts-expect-error geschlecht is w or m
const wrong: Hundeanmeldung = { ...ok, hund: { ...ok.hund, geschlecht: 'x' } };
export { ok, wrong };\n`,
    );
    const tsc = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        // Only what the generated file needs, not every @types package the clone happens to have.
        '--types',
        'node',
        join(dir, 'use.ts'),
      ],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });

  it('says what is wrong with a file that is not a schema', async () => {
    const r = await cli(['types', 'README.md']);
    assert.equal(r.code, 1);
    assert.match(r.err, /ozg-forms types: /);
  });
});

describe('ozg-forms compile', () => {
  it('writes a self-contained validator module that validates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ozg-compile-'));
    const out = join(dir, 'v.mjs');
    assert.equal((await cli(['compile', 'examples/schemas/hundeanmeldung.schema.json', '-o', out])).code, 0);
    const code = readFileSync(out, 'utf8');
    assert.doesNotMatch(code, /new Function|\beval\(/);
    const { validate } = (await import(pathToFileURL(out).href)) as { validate: (d: unknown) => boolean };
    assert.equal(validate({}), false);
  });
});

describe('ozg-forms help', () => {
  it('has --help for every command and fails clearly on an unknown one', async () => {
    for (const command of ['validate', 'types', 'compile', 'preview', 'import-xdf']) {
      const r = await cli([command, '--help']);
      assert.equal(r.code, 0);
      assert.match(r.out, new RegExp(`^ozg-forms ${command} `));
    }
    assert.match((await cli(['--help'])).out, /Commands:/);
    const unknown = await cli(['publish']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /Unknown command "publish"/);
    assert.equal((await cli(['validate'])).code, 2);
  });
});

describe('ozg-forms from npx', () => {
  it('runs in a folder of the repository, and from any folder once installed with npm install -g ./packages/cli', () => {
    const inRepo = spawnSync('npx', ['--offline', 'ozg-forms', 'validate', '.'], { cwd: join(ROOT, 'examples'), encoding: 'utf8' });
    assert.equal(inRepo.status, 0, inRepo.stderr);
    assert.match(inRepo.stdout, /^\.: no problems found/m);

    // A global install of the folder is a link: no registry, no build; a private prefix here.
    const prefix = mkdtempSync(join(tmpdir(), 'ozg-global-'));
    const env = { ...process.env, npm_config_prefix: prefix };
    const install = spawnSync('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', join(ROOT, 'packages/cli')], {
      env,
      encoding: 'utf8',
    });
    assert.equal(install.status, 0, install.stderr);
    const elsewhere = mkdtempSync(join(tmpdir(), 'ozg-author-'));
    cpSync(GOOD, elsewhere, { recursive: true });
    const r = spawnSync('npx', ['--offline', 'ozg-forms', 'types', 'schemas/dienst.schema.json'], { cwd: elsewhere, env, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /export interface Dienst/);
  });
});
