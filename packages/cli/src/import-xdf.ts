/**
 * `ozg-forms import-xdf`: an XDatenfelder 2.0 or 3.0 Stammdatenschema → a JSON Schema 2020-12
 * data schema (in the shape of FIM's own JSON Schemas: `$defs` keyed by element id and
 * version) plus a service-definition skeleton carrying what FIM's JSON Schemas lack: the
 * citizen-facing labels (bezeichnungEingabe) and help texts (hilfetextEingabe), and a step per
 * top-level group. Regeln (German prose) are kept as notes for the author.
 *
 * Field for field: every input or select Datenfeld of the XML, at every place a group uses it,
 * is either a question in the data schema at that place or — a file field — a Nachweis asked for
 * there (`x-fim-nachweise` on the group, one upload slot per file field in the service). Only
 * label fields (text to show) carry no answer. `counts` says how many of each.
 */
import { XMLParser } from 'fast-xml-parser';

export interface CodeList {
  uri: string;
  version?: string;
  values: Array<{ code: string; name: string }>;
}

export interface ImportNote {
  severity: 'warning' | 'info';
  element: string;
  message: string;
}

export interface ImportResult {
  schema: Record<string, unknown>;
  service: Record<string, unknown>;
  notes: ImportNote[];
  /** XDatenfelder 2 or 3. */
  version: 2 | 3;
  /** Input and select Datenfelder at every place the Stammdatenschema uses them: questions, and places a Nachweis is asked for. */
  counts: { places: number; questions: number; nachweisPlaces: number };
}

type Node = Record<string, unknown>;

const ARRAYS = new Set(['struktur', 'regel', 'wert', 'Row', 'Value', 'bezug']);
const parser = new XMLParser({
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Numeric character references (FIM texts carry &#13; line ends) decoded, not left as text.
  htmlEntities: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => ARRAYS.has(name),
});

const text = (v: unknown): string => {
  if (typeof v === 'string') return v.replace(/\r\n?/g, '\n').trim();
  if (v && typeof v === 'object' && '#text' in v) return text((v as Node)['#text']);
  return '';
};
const code = (v: unknown): string => (v && typeof v === 'object' ? text((v as Node).code) : '');
const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : v && typeof v === 'object' ? [v as Node] : []);

/** xdf2 ids (F00000463, version 1.0) in the normalised form of xdf3 and FIM's JSON (F00000000463, 1.0.0). */
function elementKey(ident: Node, xdf: 2 | 3): { id: string; version: string; key: string } {
  let id = text(ident.id);
  let version = text(ident.version) || '1.0.0';
  if (xdf === 2) {
    // xdf3 widened ids from 8 to 11 digits by inserting 000 after the first two (F60000319 → F60000000319).
    const m = /^([A-Z])(\d{2})(\d{6})$/.exec(id);
    if (m) id = `${m[1]}${m[2]}000${m[3]}`;
    const parts = version.split('.');
    while (parts.length < 3) parts.push('0');
    version = parts.join('.');
  }
  return { id, version, key: `${id}V${version}` };
}

/** "0:1", "1:*", "2:5" → min and max (undefined: unbounded). */
function multiplicity(anzahl: string): { min: number; max: number | undefined } {
  const m = /^(\d+):(\d+|\*)$/.exec(anzahl.trim());
  if (!m) return { min: 1, max: 1 };
  return { min: Number(m[1]), max: m[2] === '*' ? undefined : Number(m[2]) };
}

/** FIM patterns are XSD patterns: implicitly anchored. */
const anchored = (pattern: string) => `^(?:${pattern})$`;

function precision(field: Node): Record<string, unknown> {
  const p = field.praezisierung;
  let values: Record<string, string> = {};
  if (p && typeof p === 'object') {
    // xdf3: attributes.
    for (const [k, v] of Object.entries(p as Node)) if (k.startsWith('@')) values[k.slice(1)] = String(v);
  } else if (typeof p === 'string' && p.trim().startsWith('{')) {
    // xdf2: a JSON object as text.
    try {
      values = JSON.parse(p) as Record<string, string>;
    } catch {
      values = {};
    }
  }
  const out: Record<string, unknown> = {};
  const num = (k: string) => (values[k] !== undefined && values[k] !== '' && !Number.isNaN(Number(values[k])) ? Number(values[k]) : undefined);
  if (num('minLength') !== undefined) out.minLength = num('minLength');
  if (num('maxLength') !== undefined) out.maxLength = num('maxLength');
  if (values.pattern) out.pattern = anchored(values.pattern);
  const min = num('minValue') ?? num('minimum');
  const max = num('maxValue') ?? num('maximum');
  if (min !== undefined) out.minimum = min;
  if (max !== undefined) out.maximum = max;
  return out;
}

/** A genericode file (the code lists FIM references) → its URI, version and code/name rows. */
export function parseGenericode(xml: string): CodeList {
  const doc = parser.parse(xml) as Node;
  const root = doc.CodeList as Node | undefined;
  if (!root) throw new Error('not a genericode CodeList');
  const ident = (root.Identification ?? {}) as Node;
  const rows = list((root.SimpleCodeList as Node | undefined)?.Row);
  const keyColumn = text(list(((root.ColumnSet as Node | undefined)?.Key as Node | undefined)?.ColumnRef)[0]?.['@Ref']) || 'code';
  const values = rows.map((row) => {
    const cells = Object.fromEntries(list(row.Value).map((v) => [String(v['@ColumnRef']), text(v.SimpleValue)]));
    const codeValue = cells[keyColumn] ?? cells.code ?? Object.values(cells)[0] ?? '';
    const name = cells.name ?? cells.Name ?? Object.entries(cells).find(([k]) => k !== keyColumn)?.[1] ?? codeValue;
    return { code: codeValue, name };
  });
  return { uri: text(ident.CanonicalUri), version: text(ident.Version) || undefined, values };
}

/** Datentyp → JSON Schema (text and anything unknown: a string). */
const DATENTYP: Partial<Record<string, Record<string, unknown>>> = {
  bool: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  num: { type: 'number' },
  num_currency: { type: 'number' },
  num_int: { type: 'integer' },
  file: { type: 'string', contentEncoding: 'base64' },
  obj: { type: 'object' },
};

/** A slot, step or service id from an element key: F00000003019V1.0.0 → f00000003019v1-0-0. */
const idOf = (key: string) => key.toLowerCase().replace(/[^a-z0-9-]/g, '-');

interface Built {
  key: string;
  label: string;
  name: string;
  help: string;
  kind: 'group' | 'field' | 'label' | 'file';
  children: Array<{ key: string; min: number; max: number | undefined }>;
  /** A group's file fields: the Nachweise it asks for, in order. */
  files: string[];
}

export function importXdf(xml: string, codeLists: CodeList[] = []): ImportResult {
  const xdf: 2 | 3 = xml.includes('xdatenfelder_3') ? 3 : 2;
  const doc = parser.parse(xml) as Node;
  const rootName = Object.keys(doc).find((k) => k.startsWith('xdatenfelder.stammdatenschema'));
  const message = rootName ? (doc[rootName] as Node) : undefined;
  const stamm = message?.stammdatenschema as Node | undefined;
  if (!stamm) throw new Error('not an XDatenfelder Stammdatenschema (xdatenfelder.stammdatenschema.0102)');

  const defs: Record<string, Record<string, unknown>> = {};
  const built = new Map<string, Built>();
  const notes: ImportNote[] = [];
  /** File fields (datentyp file), asked for as Nachweise: where FIM requires them, if it does. */
  const nachweise = new Map<string, { entry: Built; multiple: boolean; requiredIn: string[] }>();
  const fieldHints: Record<string, Record<string, unknown>> = {};
  const byUri = new Map(codeLists.flatMap((c) => [[c.uri, c] as const, ...(c.version ? [[`${c.uri}_${c.version}`, c] as const] : [])]));

  const rulesOf = (element: Node, key: string) => {
    const rules = list(element.regel).map((r) => ({
      id: elementKey((r.identifikation ?? {}) as Node, xdf).key,
      name: text(r.name),
      text: text(r.definition) || text(r.freitextRegel) || text(r.beschreibung),
    }));
    for (const r of rules)
      notes.push({
        severity: 'info',
        element: key,
        message: `Regel ${r.id} „${r.name}“: ${r.text.replace(/\s+/g, ' ') || '(ohne Text)'} — model it as a condition if the form should follow it`,
      });
    return rules;
  };

  const visit = (element: Node, kind: 'group' | 'field'): Built => {
    const { id, version, key } = elementKey((element.identifikation ?? {}) as Node, xdf);
    const existing = built.get(key);
    if (existing) return existing;
    const name = text(element.name);
    const label = text(element.bezeichnungEingabe) || name;
    const help = text(element.hilfetextEingabe);
    const rules = rulesOf(element, key);
    const base: Record<string, unknown> = {
      title: name,
      'x-fim': { id, version, ...(label !== name ? { bezeichnungEingabe: label } : {}) },
      ...(rules.length ? { 'x-fim-regeln': rules, $comment: rules.map((r) => `${r.id} ${r.name}: ${r.text}`).join('\n') } : {}),
    };
    if (kind === 'group') {
      const entry: Built = { key, label, name, help, kind: 'group', children: [], files: [] };
      built.set(key, entry);
      const properties: Record<string, unknown> = {};
      const required: string[] = [];
      for (const s of list(element.struktur)) {
        const { min, max } = multiplicity(text(s.anzahl));
        const contains = (s.enthaelt ?? {}) as Node;
        const childNode = (contains.datenfeldgruppe ?? contains.datenfeld) as Node | undefined;
        if (!childNode) continue;
        const child = visit(childNode, contains.datenfeldgruppe ? 'group' : 'field');
        if (child.kind === 'label') continue; // display text: no data
        if (child.kind === 'file') {
          // A file is a Nachweis: an upload beside the data, not a data field (see below).
          const slot = nachweise.get(child.key)!;
          slot.multiple ||= max !== 1;
          if (min > 0) slot.requiredIn.push(key);
          entry.files.push(child.key);
          continue;
        }
        if (child.kind === 'group' && !child.children.length) {
          // Its Nachweise are asked for here, in the group that uses it.
          entry.files.push(...child.files);
          notes.push({ severity: 'info', element: child.key, message: `group „${child.name}“ holds only Nachweise: no question of its own` });
          continue;
        }
        entry.children.push({ key: child.key, min, max });
        const ref = { $ref: `#/$defs/${child.key}` };
        properties[child.key] =
          max === 1
            ? ref
            : {
                type: 'array',
                title: child.name,
                items: ref,
                ...(min > 0 ? { minItems: min } : {}),
                ...(max !== undefined ? { maxItems: max } : {}),
              };
        if (min > 0) required.push(child.key);
      }
      // unevaluatedProperties (not additionalProperties): a property an author moves into an
      // if/then to model a Regel still counts as known.
      defs[key] = {
        ...base,
        type: 'object',
        properties,
        ...(required.length ? { required } : {}),
        unevaluatedProperties: false,
        // Where FIM asks for Nachweise (file fields): uploads beside the data, kept at their place for the author and the counts.
        ...(entry.files.length ? { 'x-fim-nachweise': entry.files } : {}),
      };
      return entry;
    }
    const feldart = code(element.feldart);
    const datentyp = code(element.datentyp);
    if (feldart === 'label') {
      const entry: Built = { key, label, name, help, kind: 'label', children: [], files: [] };
      built.set(key, entry);
      notes.push({
        severity: 'info',
        element: key,
        message: `label field „${name}“ (a text to show, no answer) — put it into a step's intro if the citizen needs it`,
      });
      return entry;
    }
    const schema: Record<string, unknown> = { ...base };
    Object.assign(schema, DATENTYP[datentyp] ?? { type: 'string' });
    if (datentyp === 'obj')
      notes.push({
        severity: 'warning',
        element: key,
        message: `object field „${name}“ has no structure in XDatenfelder; it cannot be rendered as a question`,
      });
    Object.assign(schema, schema.type === 'string' || schema.type === 'number' || schema.type === 'integer' ? precision(element) : {});
    if (schema.type !== 'string') {
      delete schema.minLength;
      delete schema.maxLength;
      delete schema.pattern;
    }
    if (feldart === 'select') {
      const inline = list((element.werte as Node | undefined)?.wert).map((w) => ({ code: text(w.code), name: text(w.name) }));
      const ref = (element.codelisteReferenz ?? {}) as Node;
      const gc = (ref.genericodeIdentification ?? {}) as Node;
      const uri = text(gc.canonicalIdentification) || text(ref.canonicalIdentification);
      const versionUri = text(gc.canonicalVersionUri) || text(ref.canonicalVersionUri);
      const supplied = byUri.get(versionUri) ?? byUri.get(uri);
      const values = inline.length ? inline : supplied?.values;
      if (values?.length) {
        delete schema.minLength;
        delete schema.maxLength;
        delete schema.pattern;
        schema.oneOf = values.map((v) => ({ const: v.code, title: v.name }));
      } else
        notes.push({
          severity: 'warning',
          element: key,
          message: `code list ${versionUri || uri || '(no reference)'} of „${name}“ was not supplied: the field stays free text (give the genericode file with --codelist)`,
        });
    }
    const content = text(element.inhalt) || text(element.vorbefuellung);
    if (content && schema.type === 'string') schema.default = content;
    defs[key] = schema;
    const entry: Built = { key, label, name, help, kind: datentyp === 'file' ? 'file' : 'field', children: [], files: [] };
    if (entry.kind === 'file') {
      schema['x-ozg-nachweis'] = idOf(key);
      nachweise.set(key, { entry, multiple: false, requiredIn: [] });
    }
    built.set(key, entry);
    return entry;
  };

  // The Stammdatenschema itself is the root group.
  const root = visit({ ...stamm, identifikation: stamm.identifikation }, 'group');
  const rootDef = defs[root.key]!;
  delete defs[root.key];
  const schemaId = `urn:fim:schema:${root.key}`;
  const schema: Record<string, unknown> = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: schemaId,
    ...rootDef,
    title: text(stamm.name),
    description: `Aus XDatenfelder ${xdf === 2 ? '2.0' : '3.0'} übernommen (ozg-forms import-xdf): ${root.key}`,
    $defs: defs,
  };

  // The service skeleton: labels and help texts by data pointer, a step per top-level group.
  const pointerOf = (path: string[]) => `/${path.join('/')}`;
  const walk = (entry: Built, path: string[]) => {
    for (const c of entry.children) {
      const child = built.get(c.key)!;
      const p = [...path, c.key];
      const isList = c.max !== 1;
      const hintPath = isList ? [...p, '-'] : p;
      const hint: Record<string, unknown> = {};
      if (child.label && child.label !== child.name) hint.label = { de: child.label };
      if (child.help) hint.help = { de: child.help };
      if (Object.keys(hint).length) fieldHints[pointerOf(p)] = hint;
      if (child.kind === 'group') walk(child, hintPath);
    }
  };
  walk(root, []);

  // Steps in the order of the Stammdatenschema: each top-level group its own, fields between
  // groups together ("Angaben").
  const steps: Array<{ id: string; title: { de: string }; fields: string[] }> = [];
  let loose: (typeof steps)[number] | undefined;
  for (const c of root.children) {
    const child = built.get(c.key)!;
    if (child.kind === 'group') {
      steps.push({ id: idOf(c.key), title: { de: child.label }, fields: [`/${c.key}`] });
      loose = undefined;
    } else {
      if (!loose) {
        const n = steps.filter((st) => st.id.startsWith('angaben')).length;
        loose = { id: n ? `angaben-${n + 1}` : 'angaben', title: { de: 'Angaben' }, fields: [] };
        steps.push(loose);
      }
      loose.fields.push(`/${c.key}`);
    }
  }
  const slots = [...nachweise.entries()].map(([k, n]) => {
    notes.push({
      severity: 'info',
      element: k,
      message:
        `file field „${n.entry.name}“ is asked for as a Nachweis (slot "${idOf(k)}" on the summary page), not as data` +
        (n.requiredIn.length
          ? `; FIM requires it in ${n.requiredIn.join(', ')} — set "required": true if every applicant must send it, or leave it optional`
          : ''),
    });
    return {
      id: idOf(k),
      label: { de: n.entry.label },
      ...(n.entry.help ? { help: { de: n.entry.help } } : {}),
      ...(n.multiple ? { multiple: true } : {}),
    };
  });
  const service: Record<string, unknown> = {
    id: idOf(root.key),
    title: { de: text(stamm.bezeichnungEingabe) || text(stamm.bezeichnung) || text(stamm.name) },
    ...(root.help ? { intro: { de: root.help } } : {}),
    schema: '',
    ...(Object.keys(fieldHints).length ? { fields: fieldHints } : {}),
    ...(steps.length > 1 ? { steps } : {}),
    submission: {
      endpoint: '/api/submissions',
      ...(slots.length ? { attachments: { types: ['application/pdf', 'image/jpeg', 'image/png'], slots } } : {}),
    },
  };
  // An element used in several groups is noted once.
  const unique = [...new Map(notes.map((n) => [`${n.element} ${n.message}`, n])).values()];
  return { schema, service, notes: unique, version: xdf, counts: countPlaces(root, built) };
}

/** Questions and Nachweis places at every place the tree uses them (a group used twice counts twice). */
function countPlaces(root: Built, built: Map<string, Built>): ImportResult['counts'] {
  let questions = 0;
  let nachweisPlaces = 0;
  const walk = (entry: Built) => {
    nachweisPlaces += entry.files.length;
    for (const c of entry.children) {
      const child = built.get(c.key)!;
      if (child.kind === 'group') walk(child);
      else questions++;
    }
  };
  walk(root);
  return { places: questions + nachweisPlaces, questions, nachweisPlaces };
}
