/**
 * The browser and the host apply the same rules: a FIM date field stated only in prose
 * ("Wertebereich: Datum", no `format`) is refused with a date that does not exist by the host's
 * validator and by the precompiled module the host serves to the browser, exactly as the form
 * refuses it while the citizen types (core/test/form-state.test.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { editJson, exampleConfig, hundeanmeldung, post, startHost, VALID_DOG, type RunningHost } from './harness.js';

describe('the same rules in the browser and on the host', () => {
  let host: RunningHost;
  before(async () => {
    const config = exampleConfig((dir) =>
      editJson(join(dir, 'schemas/hundeanmeldung.schema.json'), (schema) => {
        const field = (schema.properties as Record<string, Record<string, unknown>>).haltungBeginn!;
        delete field.format;
        field.description = 'Datenfeld: Beginn der Hundehaltung - Wertebereich: Datum';
      }),
    );
    host = await startHost({ configDir: config });
  });
  after(() => host.stop());

  it('the host refuses a date that does not exist in a FIM date field without format', async () => {
    const refused = await post(host.base, hundeanmeldung({ data: { ...VALID_DOG, haltungBeginn: '2026-02-31' } }));
    assert.equal(refused.status, 422);
    const body = (await refused.json()) as { error: string; errors: Array<{ pointer: string; keyword: string }> };
    assert.equal(body.error, 'invalid');
    assert.deepEqual(
      body.errors.map((e) => [e.pointer, e.keyword]),
      [['/haltungBeginn', 'format']],
    );
    assert.equal((await post(host.base, hundeanmeldung({ data: { ...VALID_DOG, haltungBeginn: '2026-02-28' } }))).status, 201);
  });

  it('the precompiled validator the browser gets refuses it too', async () => {
    const service = (await (await fetch(`${host.base}/services/hundeanmeldung.json`)).json()) as { validator: string };
    const code = await (await fetch(new URL(service.validator, `${host.base}/services/`))).text();
    const file = join(mkdtempSync(join(tmpdir(), 'ozg-validator-')), 'v.mjs');
    writeFileSync(file, code);
    const module = (await import(pathToFileURL(file).href)) as { validate: (d: unknown) => boolean };
    assert.equal(module.validate({ ...VALID_DOG, haltungBeginn: '2026-02-31' }), false);
    assert.equal(module.validate({ ...VALID_DOG, haltungBeginn: 'gestern' }), false);
    assert.equal(module.validate({ ...VALID_DOG, haltungBeginn: '2026-02-28' }), true);
  });
});
