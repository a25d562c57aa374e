/**
 * `ozg-forms import-xdf` on the real FIM files in ../shared/samples (never copied into the repo:
 * their licence does not let the product ship them). Run through the bin script, as authors do.
 *
 * What the result must match is read from the XML here with plain regular expressions — a
 * second, independent reading — and from ../shared/samples/fim-json, the JSON Schemas an
 * independent converter (FIM-XSLT) made from the same files: field and group counts, labels
 * (bezeichnungEingabe) and help texts (hilfetextEingabe), required flags, lists and code lists.
 * Then the imported Aufenthaltstitel form is shown in Chromium with `ozg-forms preview`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { axeViolations, launchChromium } from '../../elements/test/e2e/harness.js';
import { startPreview, type RunningPreview } from './preview-harness.js';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const BIN = join(ROOT, 'packages/cli/bin/ozg-forms.mjs');
const SAMPLES = resolve(ROOT, '../shared/samples');
const XDF = join(SAMPLES, 'xdf');
const haveSamples = existsSync(XDF);
const SKIP = haveSamples ? false : `skipped: the FIM samples are not there (${SAMPLES}); CI has them beside the repo`;
if (!haveSamples) console.log(`# import-xdf tests ${SKIP}`);

type Json = Record<string, any>;

interface Imported {
  dir: string;
  schema: Json;
  service: Json;
  stdout: string;
}

function importXdf(file: string, codeLists: string[] = []): Imported {
  const out = mkdtempSync(join(tmpdir(), 'ozg-xdf-'));
  const r = spawnSync(process.execPath, [BIN, 'import-xdf', file, ...codeLists.flatMap((c) => ['--codelist', c]), '--out-dir', out], {
    cwd: out,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const [schemaFile] = readdirSync(join(out, 'schemas'));
  const [serviceFile] = readdirSync(join(out, 'services'));
  return {
    dir: out,
    schema: JSON.parse(readFileSync(join(out, 'schemas', schemaFile!), 'utf8')) as Json,
    service: JSON.parse(readFileSync(join(out, 'services', serviceFile!), 'utf8')) as Json,
    stdout: r.stdout,
  };
}

// --- An independent reading of the XML -------------------------------------------------------

const decode = (s: string) =>
  s
    .replace(/&#13;/g, '')
    .replace(/&#(x?)([0-9a-f]+);/gi, (_, hex: string, n: string) => String.fromCodePoint(parseInt(n, hex ? 16 : 10)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\r\n?/g, '\n')
    .trim();
const first = (block: string, tag: string) => {
  const m = new RegExp(`<(?:\\w+:)?${tag}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:\\w+:)?${tag}>`).exec(block);
  return m ? decode(m[1]!) : undefined;
};
/** xdf2 ids and versions in the form of xdf3 and FIM's JSON: F60000319 1.3 → F60000000319V1.3.0. */
function key(id: string, version: string): string {
  const wide = /^([A-Z]\d{2})(\d{6})$/.exec(id);
  const v = version.split('.');
  while (v.length < 3) v.push('0');
  return `${wide ? `${wide[1]}000${wide[2]}` : id}V${v.join('.')}`;
}

interface XmlField {
  key: string;
  name: string;
  label?: string;
  help?: string;
  feldart?: string;
  datentyp?: string;
  values: Array<{ code: string; name: string }>;
}

/** Every Datenfeld (they do not nest, so each block is whole), by key. */
function xmlFields(xml: string): Map<string, XmlField> {
  const out = new Map<string, XmlField>();
  for (const m of xml.matchAll(/<(\w+:)?datenfeld>([\s\S]*?)<\/\1?datenfeld>/g)) {
    const block = m[2]!;
    const k = key(first(block, 'id')!, first(block, 'version')!);
    const values = [...block.matchAll(/<(?:\w+:)?wert>([\s\S]*?)<\/(?:\w+:)?wert>/g)].map((w) => ({
      code: first(w[1]!, 'code')!,
      name: first(w[1]!, 'name')!,
    }));
    out.set(k, {
      key: k,
      name: first(block, 'name')!,
      label: first(block, 'bezeichnungEingabe') || undefined,
      help: first(block, 'hilfetextEingabe') || undefined,
      feldart: first(first(block, 'feldart') ?? '', 'code') ?? first(block, 'feldart'),
      datentyp: first(first(block, 'datentyp') ?? '', 'code') ?? first(block, 'datentyp'),
      values,
    });
  }
  return out;
}

/**
 * Every place the XML asks an input or select Datenfeld: XDatenfelder writes an element out in
 * full wherever a group uses it, so each `<datenfeld>` is one place (a group used twice, twice).
 * Label fields (text to show) ask nothing.
 */
function xmlPlaces(xml: string): Array<{ key: string; file: boolean }> {
  return [...xml.matchAll(/<(\w+:)?datenfeld>([\s\S]*?)<\/\1?datenfeld>/g)]
    .map((m) => m[2]!)
    .map((block) => ({
      key: key(first(block, 'id')!, first(block, 'version')!),
      feldart: first(first(block, 'feldart') ?? '', 'code') ?? first(block, 'feldart'),
      datentyp: first(first(block, 'datentyp') ?? '', 'code') ?? first(block, 'datentyp'),
    }))
    .filter((f) => f.feldart === 'input' || f.feldart === 'select')
    .map((f) => ({ key: f.key, file: f.datentyp === 'file' }));
}

/** The same places in a JSON Schema, walked from its root through `$defs`: questions, and (ours) the Nachweise a group asks for. */
function schemaPlaces(schema: Json): { questions: string[]; nachweise: string[] } {
  const questions: string[] = [];
  const nachweise: string[] = [];
  const refKey = (p: Json) =>
    String(p.$ref ?? p.items?.$ref ?? '')
      .split('/')
      .at(-1)!;
  const walk = (group: Json, depth: number) => {
    assert.ok(depth < 32, 'no endless nesting');
    nachweise.push(...((group['x-fim-nachweise'] as string[] | undefined) ?? []));
    for (const p of Object.values((group.properties ?? {}) as Record<string, Json>)) {
      const k = refKey(p);
      if (k.startsWith('F')) questions.push(k);
      else if (k.startsWith('G')) walk(schema.$defs[k] as Json, depth + 1);
    }
  };
  walk(schema, 0);
  return { questions, nachweise };
}

/** Keys of every Datenfeldgruppe (the first id after each opening tag is the group's own). */
function xmlGroups(xml: string): Set<string> {
  const out = new Set<string>();
  for (const m of xml.matchAll(/<(?:\w+:)?datenfeldgruppe>\s*<(?:\w+:)?identifikation>([\s\S]*?)<\/(?:\w+:)?identifikation>/g))
    out.add(key(first(m[1]!, 'id')!, first(m[1]!, 'version')!));
  return out;
}

/** Label and help the service definition gives a key (at every place it occurs), or none. */
function hintsFor(service: Json, k: string): Array<{ label?: string; help?: string }> {
  return Object.entries((service.fields ?? {}) as Record<string, Json>)
    .filter(([pointer]) => pointer.split('/').at(-1) === k)
    .map(([, h]) => ({ label: h.label?.de as string | undefined, help: h.help?.de as string | undefined }));
}

const SAMPLES_246_LISTS = ['2692.xml', '2693.xml', '2696.xml'].map((f) => join(XDF, 'S00000246v1.1_xdf2', f));
/** `fields`, `groups`: distinct elements; `places`: input and select Datenfelder at every place they are used (FIM's converter writes as many). */
const CASES: Array<{ file: string; lists?: string[]; fields: number; groups: number; places: number; reference?: string }> = [
  { file: 'S00000094V1.0_xdf2.xml', fields: 29, groups: 13, places: 44, reference: 'S00000000094V1.0.0.schema.json' },
  { file: 'S00000186v1.0_xdf2.xml', fields: 100, groups: 36, places: 156 },
  { file: 'BlaueKarte.xml', fields: 71, groups: 23, places: 88, reference: 'S00000000121V1.0.0.schema.json' },
  { file: 'S00000246v1.1_xdf2.xml', lists: SAMPLES_246_LISTS, fields: 59, groups: 34, places: 134, reference: 'S00000000246V1.1.0.schema.json' },
  { file: 'S00000000246V1.1.0_xdf3.xml', fields: 59, groups: 34, places: 134, reference: 'S00000000246V1.1.0.schema.json' },
];

describe('ozg-forms import-xdf on the FIM samples', { skip: SKIP }, () => {
  for (const c of CASES) {
    describe(c.file, () => {
      let result: Imported;
      let xml: string;
      before(() => {
        xml = readFileSync(join(XDF, c.file), 'utf8');
        result = importXdf(join(XDF, c.file), c.lists);
      });

      it('has every Datenfeld and Datenfeldgruppe of the XML, keyed by FIM id and version', () => {
        const defs = Object.keys(result.schema.$defs as Json);
        const fields = [...xmlFields(xml).values()].filter((f) => f.feldart !== 'label').map((f) => f.key);
        assert.deepEqual(defs.filter((k) => k.startsWith('F')).sort(), fields.sort());
        assert.deepEqual(defs.filter((k) => k.startsWith('G')).sort(), [...xmlGroups(xml)].sort());
        assert.equal(fields.length, c.fields, 'the count SOURCES.md gives');
        assert.equal(xmlGroups(xml).size, c.groups);
        assert.match(result.stdout, new RegExp(`${c.fields} fields, ${c.groups} groups`));
      });

      it('asks every input and select Datenfeld at every place the XML does: as a question, or a file as a Nachweis', () => {
        const reading = xmlPlaces(xml);
        const imported = schemaPlaces(result.schema);
        assert.equal(reading.length, c.places);
        assert.deepEqual(
          imported.questions.sort(),
          reading
            .filter((f) => !f.file)
            .map((f) => f.key)
            .sort(),
          'questions, place for place',
        );
        assert.deepEqual(
          imported.nachweise.sort(),
          reading
            .filter((f) => f.file)
            .map((f) => f.key)
            .sort(),
          'Nachweise, place for place',
        );
        // One upload slot per file field, wherever FIM asks for it.
        const slots = ((result.service.submission?.attachments?.slots ?? []) as Json[]).map((slot) => slot.id as string);
        assert.deepEqual(slots.sort(), [...new Set(imported.nachweise)].map((k) => k.toLowerCase().replace(/[^a-z0-9-]/g, '-')).sort());
        if (c.reference) {
          // FIM's own converter, reading the same file, writes as many places (files as base64 properties).
          const fim = JSON.parse(readFileSync(join(SAMPLES, 'fim-json', c.reference), 'utf8')) as Json;
          const places = schemaPlaces(fim);
          assert.equal(places.questions.length, c.places);
        }
        const questions = reading.filter((f) => !f.file).length;
        assert.match(
          result.stdout,
          new RegExp(`${c.places} input and select places: ${questions} questions, ${c.places - questions} where a Nachweis is asked`),
        );
      });

      it('carries bezeichnungEingabe and hilfetextEingabe into the service definition', () => {
        let checked = 0;
        for (const f of xmlFields(xml).values()) {
          if (f.feldart === 'label') continue;
          const def = (result.schema.$defs as Json)[f.key] as Json;
          assert.equal(def.title, f.name, `${f.key}: the schema keeps FIM's name as title`);
          const shown = f.label ?? f.name;
          if (f.datentyp === 'file') {
            // A file is asked for as a Nachweis: a slot, not a data field.
            const slot = (result.service.submission.attachments.slots as Json[]).find((sl) => sl.id === def['x-ozg-nachweis']);
            assert.ok(slot, `${f.key} is a Nachweis slot`);
            assert.equal(slot.label.de, shown, `${f.key}: the slot is labelled with bezeichnungEingabe`);
            assert.equal(slot.help?.de, f.help, `${f.key}: hilfetextEingabe`);
            assert.deepEqual(hintsFor(result.service, f.key), [], `${f.key} is no data field`);
            checked++;
            continue;
          }
          const hints = hintsFor(result.service, f.key);
          if (shown !== f.name || f.help) assert.ok(hints.length > 0, `${f.key} has a hint`);
          for (const h of hints) {
            assert.equal(h.label ?? def.title, shown, `${f.key}: the citizen sees bezeichnungEingabe`);
            assert.equal(h.help, f.help, `${f.key}: hilfetextEingabe`);
          }
          checked++;
        }
        assert.equal(checked, c.fields);
      });

      it('makes inline values (xdf3) and supplied genericode lists choices with titles; warns about the others', () => {
        const defs = result.schema.$defs as Record<string, Json>;
        for (const f of xmlFields(xml).values()) {
          if (f.feldart !== 'select') continue;
          const def = defs[f.key]!;
          if (f.values.length)
            assert.deepEqual(
              def.oneOf,
              f.values.map((v) => ({ const: v.code, title: v.name })),
            );
          else if (!def.oneOf) assert.match(result.stdout, new RegExp(`${f.key}: warning: code list .* was not supplied`));
        }
        const selects = [...xmlFields(xml).values()].filter((f) => f.feldart === 'select').length;
        assert.ok(selects > 0);
      });

      if (c.reference)
        it('agrees with the FIM-XSLT reference on required elements, lists and code-list values', () => {
          const reference = JSON.parse(readFileSync(join(SAMPLES, 'fim-json', c.reference!), 'utf8')) as Json;
          const ours = result.schema;
          const refDefs = reference.$defs as Record<string, Json>;
          // Files become Nachweis slots, and groups of nothing but files go with them: the data
          // schema has neither (the $defs entry stays, marked x-ozg-nachweis).
          const isNachweis = (k: string): boolean => {
            if ((ours.$defs as Record<string, Json>)[k]?.['x-ozg-nachweis']) return true;
            const props = Object.keys((refDefs[k]?.properties ?? {}) as Json);
            return k.startsWith('G') && props.length > 0 && props.every(isNachweis);
          };
          const data = (keys: string[] = []) => keys.filter((k) => !isNachweis(k)).sort();
          assert.deepEqual([...(ours.required as string[])].sort(), data(reference.required as string[]), 'root required');
          let enums = 0;
          for (const [k, ref] of Object.entries(reference.$defs as Record<string, Json>)) {
            const def = (ours.$defs as Record<string, Json>)[k]!;
            assert.ok(def, k);
            assert.deepEqual([...((def.required as string[]) ?? [])].sort(), data(ref.required as string[]), `${k} required`);
            for (const [p, refProp] of Object.entries((ref.properties ?? {}) as Record<string, Json>)) {
              const prop = (def.properties as Record<string, Json>)[p]!;
              if (isNachweis(p)) {
                assert.equal(prop, undefined, `${k}/${p} is a Nachweis, not data`);
                continue;
              }
              assert.equal(prop.type === 'array', refProp.type === 'array', `${k}/${p} is a list in both or in neither`);
              assert.equal(prop.minItems ?? 0, refProp.minItems ?? 0, `${k}/${p} minItems (0 when absent)`);
              assert.equal(prop.maxItems, refProp.maxItems, `${k}/${p} maxItems`);
            }
            if (ref.oneOf && def.oneOf) {
              enums++;
              assert.deepEqual(
                def.oneOf,
                (ref.oneOf as Json[]).map((o) => ({ const: o.const, title: (o.description as string).trim() })),
                `${k} values`,
              );
            } else if (ref.oneOf) assert.match(result.stdout, new RegExp(`${k}: warning: code list`), `${k}: a list not supplied is named`);
          }
          if (c.lists || c.file.includes('xdf3')) assert.ok(enums > 0, 'some code lists compared');
        });

      it('keeps every Regel on its element, and the result validates clean', () => {
        const inXml = new Set(
          [...xml.matchAll(/<(?:\w+:)?regel>\s*<(?:\w+:)?identifikation>([\s\S]*?)<\/(?:\w+:)?identifikation>/g)].map((m) =>
            key(first(m[1]!, 'id')!, first(m[1]!, 'version')!),
          ),
        );
        const kept = new Set<string>();
        const collect = (v: unknown) => {
          if (Array.isArray(v)) v.forEach(collect);
          else if (v && typeof v === 'object')
            for (const [k, x] of Object.entries(v)) {
              if (k === 'x-fim-regeln') for (const r of x as Json[]) kept.add(r.id as string);
              collect(x);
            }
        };
        collect(result.schema);
        assert.deepEqual([...kept].sort(), [...inXml].sort());
        for (const id of inXml) assert.match(result.stdout, new RegExp(`Regel ${id}`));
        const v = spawnSync(process.execPath, [BIN, 'validate', result.dir], { encoding: 'utf8' });
        assert.equal(v.status, 0, v.stdout);
      });
    });
  }
});

const built = existsSync(join(ROOT, 'packages/elements/dist/ozg-forms.js'));

describe('an imported FIM form in the browser', { skip: SKIP || (built ? false : 'run npm run build first') }, () => {
  let preview: RunningPreview;
  let browser: Browser;
  let schemaFile: string;

  before(async () => {
    const { dir } = importXdf(join(XDF, 'S00000000246V1.1.0_xdf3.xml'));
    const [serviceFile] = readdirSync(join(dir, 'services'));
    const [schemaName] = readdirSync(join(dir, 'schemas'));
    schemaFile = join(dir, 'schemas', schemaName!);
    preview = await startPreview(join(dir, 'services', serviceFile!));
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await preview?.stop();
  });

  it('shows the first step with the citizen-facing labels, help texts and code-list choices, and passes axe', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(preview.url);
    const form = page.locator('ozg-antrag');
    // Step 1 is the first top-level group; its heading is the group's bezeichnungEingabe.
    await form.getByRole('heading', { name: 'Gesetzliche Vertretung / Bevollmächtigung' }).waitFor();
    // F60000000352: name "Vertretung durch gesetzlichen Vertreter oder Bevollmächtigten
    // (Antragsteller)", bezeichnungEingabe "Wird die antragstellende Person vertreten?", with the
    // inline values of the xdf3 file as choices.
    const question = form.getByRole('group', { name: 'Wird die antragstellende Person vertreten?' });
    await question.waitFor();
    assert.equal(
      await form.getByText('Vertretung durch gesetzlichen Vertreter oder Bevollmächtigten').count(),
      0,
      'FIM’s internal name is not shown',
    );
    assert.equal(await question.getByRole('radio').count(), 5);
    await question.getByRole('radio', { name: 'Nein.', exact: true }).waitFor();
    // hilfetextEingabe of F60000000319 "Eingetragener Name", linked to its input.
    const name = form.getByRole('textbox', { name: 'Eingetragener Name' });
    await name.waitFor();
    const described = await name.evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '')
        .split(/\s+/)
        .map((id) => (el.getRootNode() as ShadowRoot).getElementById(id)?.textContent ?? '')
        .join(' '),
    );
    assert.match(described, /Geben Sie den im Handelsregister/);
    assert.deepEqual(await axeViolations(page), []);
    await page.close();
  });

  it('follows the worked example of docs/authoring.md: Regel R60000000056 modelled as a condition', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(preview.url);
    const form = page.locator('ozg-antrag');
    const question = form.getByRole('group', { name: 'Wird die antragstellende Person vertreten?' });
    await question.waitFor();

    const mark = preview.lines.length;
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as Json;
    const group = schema.$defs['G60000000220V1.1.0'] as Json;
    delete group.properties['G60000000223V1.1.0'];
    group.allOf = [
      {
        if: { properties: { 'F60000000352V1.0.0': { enum: ['003', '005'] } }, required: ['F60000000352V1.0.0'] },
        then: { properties: { 'G60000000223V1.1.0': { $ref: '#/$defs/G60000000223V1.1.0' } }, required: ['G60000000223V1.1.0'] },
      },
    ];
    const pageReloaded = page.waitForEvent('load');
    writeFileSync(schemaFile, JSON.stringify(schema, null, 2));
    await preview.waitFor(/^reloaded$/, mark);
    await pageReloaded; // the preview page reloads itself
    assert.ok(
      preview.lines.slice(mark).some((l) => /no problems found/.test(l)),
      preview.lines.slice(mark).join('\n'),
    );

    const legal = form.getByRole('group', { name: 'Gesetzlich vertretende juristische Person' });
    await question.getByRole('radio', { name: 'Nein.', exact: true }).check();
    assert.equal(await legal.count(), 0, 'hidden unless the answer is 003 or 005');
    await question.getByRole('radio', { name: 'Ja, durch eine gesetzliche Vertretung (juristische Person).', exact: true }).check();
    await legal.waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.close();
  });
});
