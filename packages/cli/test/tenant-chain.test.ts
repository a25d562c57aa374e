/**
 * One tenant resolver (issue 18): `ozg-forms validate` refuses the broken `extends` layouts the
 * host refuses — a missing parent, a cycle, an id that is not its file's name — and the host,
 * started on the very same folder, serves none of those tenants.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { format } from 'node:util';
import { exampleConfig, startHost } from '../../server/test/harness.js';
import { main } from '../src/main.js';

const layer = (dir: string, file: string, value: Record<string, unknown>) =>
  writeFileSync(join(dir, 'tenants', `${file}.json`), JSON.stringify({ name: file, ...value }, null, 2));

const config = () =>
  exampleConfig((dir) => {
    layer(dir, 'ortsteil-ohne-eltern', { id: 'ortsteil-ohne-eltern', extends: 'gibt-es-nicht' });
    layer(dir, 'kreis-a', { id: 'kreis-a', extends: 'kreis-b' });
    layer(dir, 'kreis-b', { id: 'kreis-b', extends: 'kreis-a' });
    layer(dir, 'falsche-id', { id: 'richtige-id', extends: 'land-musterland' });
  });

async function validateJson(dir: string) {
  const out: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void out.push(format(...a));
  try {
    const code = await main(['validate', dir, '--json']);
    return { code, findings: (JSON.parse(out.join('\n')) as { findings: Array<{ file: string; path: string; message: string }> }).findings };
  } finally {
    console.log = log;
  }
}

describe('tenant chains: the CLI refuses what the host refuses', () => {
  it('names the missing parent, the cycle and the wrong id — and the host serves none of them', async () => {
    const dir = config();
    const { code, findings } = await validateJson(dir);
    assert.equal(code, 1);
    const said = findings.map((f) => `${f.file.replace(/^.*tenants\//, 'tenants/')} ${f.path} ${f.message}`);
    assert.ok(
      said.some((s) => /^tenants\/ortsteil-ohne-eltern\.json \/extends .*"gibt-es-nicht".*missing/.test(s)),
      said.join('\n'),
    );
    assert.ok(
      said.some((s) => /^tenants\/kreis-[ab]\.json \/extends .*cycle: kreis-[ab] → kreis-[ab] → kreis-[ab]/.test(s)),
      said.join('\n'),
    );
    assert.ok(
      said.some((s) => /^tenants\/falsche-id\.json \/id .*"richtige-id" does not match the file name/.test(s)),
      said.join('\n'),
    );

    const host = await startHost({ configDir: dir });
    try {
      for (const id of ['ortsteil-ohne-eltern', 'kreis-a', 'kreis-b', 'falsche-id', 'richtige-id'])
        assert.equal((await fetch(`${host.base}/tenants/${id}.json`, { headers: { origin: 'http://localhost:8080' } })).status, 404, id);
      assert.equal((await fetch(`${host.base}/tenants/stadt-musterstadt.json`, { headers: { origin: 'http://localhost:8080' } })).status, 200);
      const refused = host.logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('config refused')).map((l) => String(l.file));
      for (const file of ['tenants/ortsteil-ohne-eltern.json', 'tenants/kreis-a.json', 'tenants/kreis-b.json', 'tenants/falsche-id.json'])
        assert.ok(refused.includes(file), `${file} refused by the host: ${refused.join(', ')}`);
    } finally {
      await host.stop();
    }
  });
});
