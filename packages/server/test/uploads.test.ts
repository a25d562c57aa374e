/**
 * Large uploads: streamed to a spool file while they arrive, stored in 256 KiB pieces and
 * downloaded piece by piece, so the host's memory does not grow with the files it receives.
 * The peak resident memory of the host process (Linux: VmHWM, reset through clear_refs) is
 * measured around three concurrent 60 MB uploads: it grows by about 50 MB whatever the file size
 * (buffers in flight and garbage not yet collected; 30 MB files gave the same), where holding the
 * files whole grew it by 212 MB for three 30 MB files.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { demoToken, editJson, exampleConfig, hundeanmeldung, operator, startHost, type RunningHost } from './harness.js';

const MB = 1_000_000;
const SIZE = 60 * MB;

/** A JPEG as far as any type sniffer is concerned: its magic number, then noise. */
const jpeg = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), randomBytes(SIZE - 11)]);

const peakKiB = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);

describe('large uploads', { skip: !existsSync('/proc/self/clear_refs') && 'needs Linux /proc to measure memory' }, () => {
  let host: RunningHost;
  before(async () => {
    const configDir = exampleConfig((dir) =>
      editJson(join(dir, 'services/hundeanmeldung.json'), (service) => {
        (service.submission as { attachments: { maxBytes: number } }).attachments.maxBytes = 80 * MB;
      }),
    );
    host = await startHost({ configDir, env: { OZG_MAX_FILE_BYTES: String(80 * MB) } });
  });
  after(() => host.stop());

  it('receives three 60 MB files at once without holding them in memory, and gives back the same bytes', async () => {
    const files = [jpeg(), jpeg(), jpeg()];
    const forms = files.map((content, i) => {
      const form = new FormData();
      form.append('submission', JSON.stringify(hundeanmeldung({ idempotencyKey: `large-upload-000${i}` })));
      form.append('haftpflicht', new Blob([new Uint8Array(content)], { type: 'image/jpeg' }), `scan-${i}.jpg`);
      return form;
    });
    // After start the host compresses its bundle in the background (brotli's buffers: ~15 MB): not the uploads' memory.
    await host.waitForLog((l) => l.msg === 'bundle compressed ahead');
    const baseline = rssKiB(host.pid);
    writeFileSync(`/proc/${host.pid}/clear_refs`, '5'); // peak := current
    const answers = await Promise.all(
      forms.map((body) => fetch(`${host.base}/api/submissions`, { method: 'POST', headers: { origin: 'http://localhost:8080' }, body })),
    );
    const growthMB = ((peakKiB(host.pid) - baseline) * 1024) / MB;
    const receipts = (await Promise.all(answers.map((a) => a.json()))) as Array<{ vorgangsnummer: string }>;
    assert.deepEqual(
      answers.map((a) => a.status),
      [201, 201, 201],
    );
    // Held whole, 180 MB of files would add at least 180 MB (twice that with the copies a buffer join makes).
    assert.ok(growthMB < (3 * SIZE) / MB / 3, `peak memory grew by ${growthMB.toFixed(1)} MB for ${(3 * SIZE) / MB} MB of uploads`);
    assert.deepEqual(readdirSync(join(host.dataDir, 'spool')), [], 'spool files are removed once answered');

    const stored = (await (
      await operator(host.base, `stadt-musterstadt/submissions/${receipts[1]!.vorgangsnummer}`, demoToken('stadt-musterstadt'))
    ).json()) as {
      attachments: Array<{ id: string; size: number; sha512: string }>;
    };
    const meta = stored.attachments[0]!;
    assert.equal(meta.size, SIZE);
    const download = await operator(
      host.base,
      `stadt-musterstadt/submissions/${receipts[1]!.vorgangsnummer}/attachments/${meta.id}`,
      demoToken('stadt-musterstadt'),
    );
    assert.equal(download.headers.get('content-length'), String(SIZE));
    const bytes = Buffer.from(await download.arrayBuffer());
    assert.equal(createHash('sha512').update(bytes).digest('hex'), createHash('sha512').update(files[1]!).digest('hex'));
    assert.equal(meta.sha512, createHash('sha512').update(files[1]!).digest('hex'));
  });

  it('names a file over the limit and keeps nothing of it', async () => {
    const form = new FormData();
    form.append('submission', JSON.stringify(hundeanmeldung({ idempotencyKey: 'large-upload-over' })));
    form.append('haftpflicht', new Blob([new Uint8Array(Buffer.concat([jpeg(), jpeg()]))], { type: 'image/jpeg' }), 'riesig.jpg');
    const answer = await fetch(`${host.base}/api/submissions`, { method: 'POST', headers: { origin: 'http://localhost:8080' }, body: form });
    assert.equal(answer.status, 413);
    const body = (await answer.json()) as { error: string; message: { de: string } };
    assert.equal(body.error, 'attachment-too-large');
    assert.match(body.message.de, /riesig\.jpg.*80 MB/);
    assert.deepEqual(readdirSync(join(host.dataDir, 'spool')), []);
  });
});
