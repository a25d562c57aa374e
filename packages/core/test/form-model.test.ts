import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildFormModel, hasBlockingIssues, nodeAtPointer, nodeHelp, nodeLabel, type FormNode, type GroupNode } from '../src/index.js';
import { loadCatalog } from '../src/messages.js';

// English loads on demand, as in the browser.
await loadCatalog('en');

const kinds = (g: GroupNode) => Object.fromEntries(g.children.map((c) => [c.key, c.kind]));

describe('buildFormModel', () => {
  it('maps types and keywords to node kinds', () => {
    const { root, issues } = buildFormModel({
      type: 'object',
      properties: {
        name: { type: 'string', title: 'Name' },
        age: { type: 'integer', minimum: 0 },
        ok: { type: 'boolean' },
        color: { enum: ['rot', 'grün'] },
        size: {
          type: 'string',
          oneOf: [
            { const: 's', title: 'Klein' },
            { const: 'l', title: 'Groß' },
          ],
        },
        tags: { type: 'array', items: { enum: ['a', 'b'] }, uniqueItems: true },
        people: { type: 'array', items: { type: 'object', properties: { n: { type: 'string' } } } },
        address: { type: 'object', properties: { street: { type: 'string' } } },
      },
    });
    assert.deepEqual(issues, []);
    assert.deepEqual(kinds(root), {
      name: 'field',
      age: 'field',
      ok: 'field',
      color: 'choice',
      size: 'choice',
      tags: 'multichoice',
      people: 'repeat',
      address: 'group',
    });
    const size = root.childByKey.get('size') as Extract<FormNode, { kind: 'choice' }>;
    assert.deepEqual(size.options, [
      { value: 's', label: 'Klein' },
      { value: 'l', label: 'Groß' },
    ]);
    assert.equal(root.childByKey.get('age')!.label, 'Age');
  });

  it('follows $ref into $defs and definitions, with sibling keywords winning', () => {
    const { root, issues } = buildFormModel({
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: { plz: { type: 'string', title: 'PLZ', pattern: '^[0-9]{5}$' } },
      type: 'object',
      properties: { a: { $ref: '#/definitions/plz' }, b: { $ref: '#/definitions/plz', title: 'Andere PLZ' } },
    });
    assert.deepEqual(issues, []);
    assert.equal(root.childByKey.get('a')!.label, 'PLZ');
    assert.equal(root.childByKey.get('a')!.location, '/definitions/plz');
    assert.equal(root.childByKey.get('b')!.label, 'Andere PLZ');
  });

  it('keeps recursive schemas finite: array items are built lazily, direct recursion is cut', () => {
    const model = buildFormModel({
      $defs: {
        person: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            children: { type: 'array', items: { $ref: '#/$defs/person' } },
            partner: { $ref: '#/$defs/person' },
          },
        },
      },
      type: 'object',
      properties: { person: { $ref: '#/$defs/person' } },
    });
    assert.equal(hasBlockingIssues(model), false);
    const person = model.root.childByKey.get('person') as GroupNode;
    assert.equal(person.childByKey.get('partner')!.kind, 'unsupported');
    const child = nodeAtPointer(model.root, '/person/children/0');
    assert.equal(child?.kind, 'group');
    assert.equal(nodeAtPointer(model.root, '/person/children/0/children/3/name')?.kind, 'field');
    assert.ok(model.issues.some((i) => i.key === 'schema.recursion'));
  });

  it('reports broken schemas as issues with locations, never throws', () => {
    assert.equal(buildFormModel('nope').issues[0]!.key, 'schema.notObject');
    assert.equal(buildFormModel({ type: 'string' }).issues[0]!.key, 'schema.rootNotObject');
    const dangling = buildFormModel({ type: 'object', properties: { a: { $ref: '#/$defs/missing' } } });
    assert.equal(hasBlockingIssues(dangling), true);
    assert.deepEqual(
      dangling.issues.map((i) => [i.location, i.key]),
      [['/properties/a/$ref', 'schema.refUnresolved']],
    );
    const badType = buildFormModel({ type: 'object', properties: { a: { type: 'text' } } });
    assert.deepEqual(
      badType.issues.map((i) => [i.severity, i.location]),
      [['error', '/properties/a/type']],
    );
    const unknown = buildFormModel({ type: 'object', properties: { a: { type: 'string', colour: 'red', 'x-ok': 1 } } });
    assert.deepEqual(
      unknown.issues.map((i) => [i.severity, i.location, i.key]),
      [['warning', '/properties/a/colour', 'schema.unknownKeyword']],
    );
  });

  it('collects properties of then/else/dependentSchemas as conditional children', () => {
    const { root } = buildFormModel({
      type: 'object',
      properties: { kind: { enum: ['a', 'b'] } },
      if: { properties: { kind: { const: 'a' } }, required: ['kind'] },
      then: { properties: { onlyA: { type: 'string' } }, required: ['onlyA'] },
      else: { properties: { notA: { type: 'string' } } },
      dependentSchemas: { onlyA: { properties: { extra: { type: 'string' } } } },
    });
    assert.deepEqual([...root.baseKeys], ['kind']);
    assert.deepEqual(
      root.children.map((c) => c.key),
      ['kind', 'onlyA', 'notA', 'extra'],
    );
  });

  it('infers a date field from FIM descriptions and hides FIM boilerplate descriptions', () => {
    const { root } = buildFormModel({
      type: 'object',
      properties: { d: { type: 'string', title: 'Entbindungstermin', description: 'Datenfeld: Entbindungstermin - Wertebereich: Datum' } },
    });
    const d = root.childByKey.get('d') as Extract<FormNode, { kind: 'field' }>;
    assert.equal(d.format, 'date');
    assert.equal(d.help, undefined);
  });

  it('applies UI hints by path without touching the schema', () => {
    const schema = {
      type: 'object',
      properties: { list: { type: 'array', items: { type: 'object', properties: { n: { type: 'string', title: 'intern' } } } } },
    };
    const model = buildFormModel(schema, { hints: { '/list/-/n': { label: { de: 'Vorname', en: 'Given name' }, help: 'Wie im Pass' } } });
    const n = nodeAtPointer(model.root, '/list/0/n')!;
    assert.equal(nodeLabel(n, 'de'), 'Vorname');
    assert.equal(nodeLabel(n, 'en'), 'Given name');
    assert.equal(nodeHelp(n, 'en'), 'Wie im Pass');
    assert.equal(n.label, 'intern', 'the schema title stays the fallback');
    assert.equal((schema.properties.list.items.properties.n as { title: string }).title, 'intern');
  });

  it('shows the German schema title, not an English-only hint, in German', () => {
    const schema = { type: 'object', properties: { n: { type: 'string', title: 'Name' } } };
    const n = nodeAtPointer(
      buildFormModel(schema, { hints: { '/n': { label: { en: 'Name (en)' }, help: { en: 'As in the passport' } } } }).root,
      '/n',
    )!;
    assert.equal(nodeLabel(n, 'de'), 'Name');
    assert.equal(nodeHelp(n, 'de'), undefined);
    assert.equal(nodeLabel(n, 'en'), 'Name (en)');
  });
});
