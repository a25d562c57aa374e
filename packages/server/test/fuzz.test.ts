/**
 * Property-based fuzzing (fast-check) of everything the host reads from outside: 1,000 malformed
 * JSON bodies and 200 multipart forms against a running host, 200 tenant layers and 200 service
 * definitions through the configuration loader. What must hold for every one: no answer ≥ 500,
 * no crash, the host still answers, and every refusal says why in German and in English.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { loadCatalog } from '../src/catalog.js';
import { hundeanmeldung, ROOT, startHost, VALID_DOG, type RunningHost } from './harness.js';
import { SUPPORTED_LOCALES } from '@ozg-forms/core';

const CMS = 'https://www.musterstadt.example';
/** Fixed seeds: a failure is reproducible from the test's output (fast-check prints the seed and path). */
const SEED = 20261202;
/** A request the host does not answer within this is a failure ("the host still answers"), not a hang of the suite. */
const ANSWER_WITHIN = 20_000;

/** Keys an attacker tries: prototype pollution, markup, path tricks, huge and empty names. */
const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  '<img src=x onerror=alert(1)>',
  '../../etc',
  '',
  'a'.repeat(300),
  'halter',
);
const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom('<script>alert(1)</script>', '"><svg onload=alert(1)>', 'javascript:alert(1)', '\u202Egnp.exe', '\u0000', '%00', '${7*7}'),
);
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue(),
    hostileString,
    fc.dictionary(fc.oneof(hostileKey, fc.string()), tie('value'), { maxKeys: 6 }),
    fc.array(tie('value'), { maxLength: 6 }),
  ),
})).value;

/** Submissions that are nearly right: each field replaced by something else now and then. */
const nearlySubmission = fc
  .record({
    tenant: fc.oneof(fc.constant('stadt-musterstadt'), fc.constant('gemeinde-lindenau'), hostileString, jsonish),
    service: fc.oneof(fc.constantFrom('hundeanmeldung', 'geburtsurkunde', 'aufenthalt-assistent', 'hausnummernvergabe'), hostileString),
    idempotencyKey: fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{8,40}$/), hostileString, jsonish),
    locale: fc.oneof(fc.constantFrom('de', 'en', 'ar', 'xx'), jsonish),
    data: fc.oneof(fc.constant(VALID_DOG as unknown), jsonish, fc.record({ halter: jsonish, hund: jsonish, gefaehrlich: jsonish })),
    consent: fc.option(jsonish),
    payment: fc.option(fc.oneof(jsonish, fc.record({ provider: hostileString, returnUrl: hostileString }))),
    schemaId: fc.option(hostileString),
  })
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)));

/** Raw bodies: broken JSON, other JSON, prototype keys written as text, deep nesting. */
const rawBody = fc.oneof(
  nearlySubmission.map((v) => JSON.stringify(v)),
  jsonish.map((v) => JSON.stringify(v) ?? 'null'),
  fc.string(),
  nearlySubmission.map((v) => JSON.stringify(v).replace('"data":', '"__proto__":{"x":1},"data":')),
  fc.integer({ min: 1, max: 60 }).map((n) => `${'['.repeat(n)}1${']'.repeat(n)}`),
  nearlySubmission.map((v) => JSON.stringify(v).slice(0, -3)),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
);

type Refusal = { error?: unknown; message?: Record<string, unknown> };

async function expectClearAnswer(res: Response, what: string) {
  assert.ok(res.status < 500 || res.status === 503, `${what}: answered ${res.status}`);
  const text = await res.text();
  if (res.status < 400) return;
  let body: Refusal;
  try {
    body = JSON.parse(text) as Refusal;
  } catch {
    assert.fail(`${what}: refusal ${res.status} is not JSON: ${text.slice(0, 200)}`);
  }
  assert.equal(typeof body.error, 'string', `${what}: refusal without error code`);
  for (const locale of SUPPORTED_LOCALES) {
    const message = body.message?.[locale];
    assert.ok(typeof message === 'string' && message.length > 0, `${what}: no message in ${locale}`);
  }
}

describe('fuzzing the host', () => {
  let host: RunningHost;
  before(async () => {
    host = await startHost();
  });
  after(() => host.stop());

  it('1,000 malformed JSON bodies: never 5xx, always a reason in German and English', async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, contentType, fc.boolean(), async (body, type, withOrigin) => {
        const res = await fetch(`${host.base}/api/submissions`, {
          method: 'POST',
          headers: { 'content-type': type, ...(withOrigin ? { origin: CMS } : {}) },
          body,
          signal: AbortSignal.timeout(ANSWER_WITHIN),
        });
        await expectClearAnswer(res, `body ${body.slice(0, 120)}`);
      }),
      { numRuns: 1000, seed: SEED },
    );
    assert.equal((await fetch(`${host.base}/api/health`)).status, 200);
  });

  it('200 malformed multipart forms: never 5xx, always a reason in German and English', async () => {
    const part = fc.record({
      kind: fc.constantFrom('field', 'file'),
      name: fc.oneof(fc.constantFrom('submission', 'nachweis', 'foto'), hostileString),
      value: fc.oneof(rawBody, fc.constant(JSON.stringify(hundeanmeldung()))),
      type: fc.constantFrom('application/pdf', 'image/png', 'text/html', 'application/octet-stream'),
      bytes: fc.uint8Array({ maxLength: 2048 }),
      filename: hostileString,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(part, { maxLength: 5 }), async (parts) => {
        const form = new FormData();
        for (const p of parts)
          if (p.kind === 'field') form.append(p.name, p.value);
          else form.append(p.name, new Blob([new Uint8Array([...Buffer.from('%PDF-1.4\n'), ...p.bytes])], { type: p.type }), p.filename || 'x');
        const res = await fetch(`${host.base}/api/submissions`, {
          method: 'POST',
          body: form,
          headers: { origin: CMS },
          signal: AbortSignal.timeout(ANSWER_WITHIN),
        });
        await expectClearAnswer(res, `form of ${parts.length} parts`);
      }),
      { numRuns: 200, seed: SEED },
    );
    assert.equal((await fetch(`${host.base}/api/health`)).status, 200);
  });

  it('payment and operator routes take hostile input the same way', async () => {
    await fc.assert(
      fc.asyncProperty(rawBody, fc.constantFrom('status', 'retry'), hostileString, async (body, action, segment) => {
        const pay = await fetch(`${host.base}/api/payments/${action}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(ANSWER_WITHIN),
        });
        await expectClearAnswer(pay, `payments/${action}`);
        const op = await fetch(`${host.base}/api/operator/${encodeURIComponent(segment)}/submissions/${encodeURIComponent(segment)}`, {
          headers: { authorization: `Bearer ${segment.replace(/[^\x20-\x7e]/g, '')}` },
          signal: AbortSignal.timeout(ANSWER_WITHIN),
        });
        await expectClearAnswer(op, 'operator');
      }),
      { numRuns: 200, seed: SEED },
    );
  });
});

describe('fuzzing the configuration loader', () => {
  /** A configuration folder; with the data schema a service may name only where one is needed (compiling it takes time). */
  const base = (withSchema: boolean): string => {
    const dir = mkdtempSync(join(tmpdir(), 'ozg-fuzz-config-'));
    for (const sub of ['tenants', 'services', 'schemas']) mkdirSync(join(dir, sub));
    if (withSchema) writeFileSync(join(dir, 'schemas/hund.schema.json'), readFileSync(join(ROOT, 'examples/schemas/hundeanmeldung.schema.json')));
    return dir;
  };
  const problemsAreClear = (problems: Array<{ de: string; en: string; file: string }>) => {
    for (const p of problems) {
      assert.ok(p.de.length > 0 && p.en.length > 0, `problem without text in ${p.file}`);
      assert.ok(p.file.length > 0);
    }
  };

  it('200 tenant layers: refused with a reason or served, never a crash', async () => {
    const layer = fc.oneof(
      jsonish,
      fc.record({
        id: fc.oneof(fc.constant('fuzz'), hostileString),
        name: hostileString,
        extends: fc.option(fc.oneof(fc.constant('fuzz'), hostileString)),
        origins: fc.oneof(fc.array(hostileString, { maxLength: 3 }), jsonish),
        theme: fc.oneof(fc.dictionary(fc.constantFrom('primary', 'text', 'background', 'radius'), hostileString), jsonish),
        texts: fc.oneof(fc.dictionary(fc.constantFrom('de', 'en', 'xx'), fc.dictionary(fc.string(), hostileString)), jsonish),
        hidden: fc.oneof(fc.array(hostileString, { maxLength: 3 }), jsonish),
        links: jsonish,
        services: jsonish,
      }),
    );
    await fc.assert(
      fc.asyncProperty(layer, async (value) => {
        const dir = base(false);
        writeFileSync(join(dir, 'tenants/fuzz.json'), JSON.stringify(value) ?? 'null');
        const catalog = await loadCatalog(dir);
        problemsAreClear(catalog.problems);
        if (catalog.tenants.has('fuzz')) assert.ok(catalog.files.has('/tenants/fuzz.json'));
      }),
      { numRuns: 200, seed: SEED },
    );
  });

  it('200 service definitions: refused with a reason or served, never a crash', async () => {
    const definition = fc.oneof(
      jsonish,
      fc.record({
        id: fc.oneof(fc.constant('fuzz'), hostileString),
        title: fc.oneof(hostileString, fc.dictionary(fc.constantFrom('de', 'en'), hostileString)),
        schema: fc.oneof(fc.constant('../schemas/hund.schema.json'), fc.constant('../../../etc/passwd'), hostileString),
        steps: jsonish,
        consent: jsonish,
        fees: jsonish,
        submission: jsonish,
        hints: jsonish,
      }),
    );
    await fc.assert(
      fc.asyncProperty(definition, async (value) => {
        const dir = base(true);
        writeFileSync(join(dir, 'services/fuzz.json'), JSON.stringify(value) ?? 'null');
        const catalog = await loadCatalog(dir);
        problemsAreClear(catalog.problems);
        for (const file of catalog.files.keys()) assert.doesNotMatch(file, /passwd/);
      }),
      { numRuns: 200, seed: SEED },
    );
  });
});
