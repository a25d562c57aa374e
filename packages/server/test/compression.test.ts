/**
 * What a citizen's phone receives: the bundle, its chunks, validators and configuration files
 * compressed (brotli where accepted, else gzip, else as they are), each encoding with its own
 * ETag and `Vary: Accept-Encoding`, made once per file. Raw HTTP requests: fetch would
 * decompress and hide what travelled.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startHost, type RunningHost } from './harness.js';

const CMS = 'https://www.musterstadt.example';

function get(base: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(new URL(path, base), { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compressed assets', () => {
  let host: RunningHost;
  before(async () => {
    host = await startHost();
  });
  after(() => host.stop());

  it('sends the bundle as brotli or gzip, with an ETag per encoding and Vary: Accept-Encoding', async () => {
    const plain = await get(host.base, '/ozg-forms.js');
    assert.equal(plain.status, 200);
    assert.equal(plain.headers['content-encoding'], undefined);
    const br = await get(host.base, '/ozg-forms.js', { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.deepEqual(brotliDecompressSync(br.body), plain.body);
    assert.ok(br.body.length < plain.body.length / 2, `${br.body.length} of ${plain.body.length} bytes`);
    const gzip = await get(host.base, '/ozg-forms.js', { 'accept-encoding': 'gzip, br;q=0' });
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.deepEqual(gunzipSync(gzip.body), plain.body);
    const etags = new Set([plain.headers.etag, br.headers.etag, gzip.headers.etag]);
    assert.equal(etags.size, 3, 'one ETag per encoding');
    for (const r of [plain, br, gzip]) assert.match(String(r.headers.vary), /Accept-Encoding/);
    const again = await get(host.base, '/ozg-forms.js', { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
    assert.equal(again.status, 304);
    const other = await get(host.base, '/ozg-forms.js', { 'accept-encoding': 'gzip', 'if-none-match': String(br.headers.etag) });
    assert.equal(other.status, 200, 'the brotli ETag does not validate the gzip answer');
  });

  it('answers hostile Accept-Encoding headers with the file, never an error; many first asks at once all get it compressed', async () => {
    const plain = await get(host.base, '/ozg-forms.js');
    for (const header of ['br;q=abc', 'x'.repeat(8000), ',,;;q=,br;q=-1', '*;q=0', 'gzip;q=1e999, br;q=NaN', '\tbr ;  q = 1 \t']) {
      const r = await get(host.base, '/ozg-forms.js', { 'accept-encoding': header });
      assert.equal(r.status, 200, JSON.stringify(header).slice(0, 40));
      const body =
        r.headers['content-encoding'] === 'br'
          ? brotliDecompressSync(r.body)
          : r.headers['content-encoding'] === 'gzip'
            ? gunzipSync(r.body)
            : r.body;
      assert.deepEqual(body, plain.body);
    }
    // A chunk nobody asked for yet, asked for by many at once (they wait for the same compression): all get it, brotli'd alike.
    const chunk = [...plain.body.toString('utf8').matchAll(/import\(`\.\/(chunks\/[^`]+\.js)`\)/g)].map((m) => m[1]!)[0]!;
    const answers = await Promise.all(Array.from({ length: 8 }, () => get(host.base, `/${chunk}`, { 'accept-encoding': 'br' })));
    assert.equal(new Set(answers.map((a) => a.body.toString('base64'))).size, 1);
    assert.ok(answers.every((a) => a.status === 200 && a.headers['content-encoding'] === 'br'));
  });

  it('compresses configuration and validators too, keeping Vary: Origin beside it', async () => {
    const service = await get(host.base, '/services/aufenthalt-assistent.json', { 'accept-encoding': 'br', origin: CMS });
    assert.equal(service.status, 200);
    assert.equal(service.headers['content-encoding'], 'br');
    assert.match(String(service.headers.vary), /Origin/);
    assert.match(String(service.headers.vary), /Accept-Encoding/);
    const definition = JSON.parse(brotliDecompressSync(service.body).toString()) as { validator: string };
    const validator = await get(host.base, definition.validator.replace('..', ''), { 'accept-encoding': 'gzip', origin: CMS });
    assert.equal(validator.headers['content-encoding'], 'gzip');
    assert.match(gunzipSync(validator.body).toString(), /export/);
  });

  it('leaves small files and images as they are', async () => {
    const png = await get(host.base, '/tenants/logos/stadt-musterstadt.svg', { 'accept-encoding': 'br' });
    assert.equal(png.status, 200);
    // An SVG logo of a few hundred bytes is not worth it; whatever it is, it reads back.
    const body = png.headers['content-encoding'] === 'br' ? brotliDecompressSync(png.body) : png.body;
    assert.match(body.toString(), /<svg/);
  });
});

describe('earlier bundles kept for pinned snippets (OZG_BUNDLE_ARCHIVE)', () => {
  it('serves a kept version under /v/<version>/ immutable, and names the current one for a version it does not have', async () => {
    const archive = mkdtempSync(join(tmpdir(), 'ozg-archive-'));
    mkdirSync(join(archive, '0.0.9/chunks'), { recursive: true });
    writeFileSync(join(archive, '0.0.9/ozg-forms.js'), 'import "./chunks/a-1.js"; console.log("ozg-forms 0.0.9");');
    writeFileSync(join(archive, '0.0.9/chunks/a-1.js'), 'export const a = 1;');
    // Not a bundle folder: ignored.
    mkdirSync(join(archive, 'notes'));
    const host = await startHost({ env: { OZG_BUNDLE_ARCHIVE: archive } });
    try {
      const old = await fetch(`${host.base}/v/0.0.9/ozg-forms.js`);
      assert.equal(old.status, 200);
      assert.equal(await old.text(), 'import "./chunks/a-1.js"; console.log("ozg-forms 0.0.9");');
      assert.equal(old.headers.get('cache-control'), 'public, max-age=31536000, immutable');
      assert.match(old.headers.get('content-type') ?? '', /javascript/);
      assert.equal((await fetch(`${host.base}/v/0.0.9/chunks/a-1.js`)).status, 200);
      const { version } = (await (await fetch(`${host.base}/api/embed`)).json()) as { version: string };
      assert.notEqual(version, '0.0.9', 'the snippet names the current version');
      assert.equal((await fetch(`${host.base}/v/${version}/ozg-forms.js`)).status, 200);
      const missing = await fetch(`${host.base}/v/0.0.8/ozg-forms.js`);
      assert.equal(missing.status, 404);
      assert.equal((await fetch(`${host.base}/v/notes/ozg-forms.js`)).status, 404);
    } finally {
      await host.stop();
    }
  });
});
