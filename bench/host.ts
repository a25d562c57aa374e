// npm run bench (second part): the central host as a process on loopback — start time, submission
// latency and throughput (SQLite, and PostgreSQL where its binaries are), a 100 KB attachment,
// and the time from acknowledgement to webhook delivery. Figures, not pass/fail.
import { join } from 'node:path';
import { editJson, exampleConfig, hundeanmeldung, json, listen, post, startHost, type RunningHost } from '../packages/server/test/harness.js';
import { postgresAvailable, startPostgres } from '../packages/server/test/postgres.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function timed(fn: () => Promise<unknown>) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

async function submissions(label: string, env: Record<string, string>) {
  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const h = await startHost({ env });
    starts.push(performance.now() - t);
    await h.stop();
  }
  const host = await startHost({ env });
  for (let i = 0; i < 20; i++) await post(host.base, hundeanmeldung()); // warm-up
  const sequential: number[] = [];
  for (let i = 0; i < 300; i++) sequential.push(await timed(() => post(host.base, hundeanmeldung()).then((r) => r.arrayBuffer())));
  const total = 400;
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next++ < total) await post(host.base, hundeanmeldung()).then((r) => r.arrayBuffer());
    }),
  );
  const throughput = total / ((performance.now() - t) / 1000);
  const replay = hundeanmeldung();
  await post(host.base, replay);
  const replays: number[] = [];
  for (let i = 0; i < 100; i++) replays.push(await timed(() => post(host.base, replay).then((r) => r.arrayBuffer())));
  await host.stop();
  console.log(
    `${label.padEnd(10)} start ${ms(median(starts))} · POST median ${ms(median(sequential))}, p95 ${ms(p95(sequential))} · ` +
      `${throughput.toFixed(0)} submissions/s with 8 clients · idempotent replay median ${ms(median(replays))}`,
  );
}

console.log('\nCentral host (loopback, 2 cores; each submission re-validated and committed before the answer)');
await submissions('SQLite', {});
if (postgresAvailable() === false) {
  const pg = await startPostgres();
  await submissions('PostgreSQL', { DATABASE_URL: await pg.createDatabase() });
  await pg.stop();
} else console.log('PostgreSQL skipped: no server binaries');

// Scale-out: 1 host on SQLite, 1 and 3 hosts on one PostgreSQL, 32 clients spread over the
// hosts; every submission validated and committed before its answer, then delivered by webhook.
// Throughput, p50/p99 latency, and how long the outbox takes to drain after the last answer.
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.99)]!;
async function scaleOut(label: string, hostCount: number, env: Record<string, string>) {
  const total = 2000;
  const delivered = new Set<string>();
  let drained: () => void = () => undefined;
  let expecting = Number.POSITIVE_INFINITY;
  const receiver = await listen((_req, res, body) => {
    delivered.add((JSON.parse(body.toString()) as { vorgangsnummer: string }).vorgangsnummer);
    json(res, 200, {});
    if (delivered.size >= expecting) drained();
  });
  const configDir = exampleConfig((dir) =>
    editJson(join(dir, 'host.json'), (h) => {
      (h.tenants as Record<string, Record<string, unknown>>)['stadt-musterstadt']!.delivery = {
        '*': { type: 'webhook', url: `${receiver.base}/in`, secret: 'bench-secret-of-16-chars' },
      };
    }),
  );
  const hosts: RunningHost[] = [];
  for (let i = 0; i < hostCount; i++) hosts.push(await startHost({ configDir, env: { ...env, LOG_LEVEL: 'info' } }));
  for (const h of hosts) for (let i = 0; i < 20; i++) await post(h.base, hundeanmeldung()).then((r) => r.arrayBuffer()); // warm-up
  const warm = 20 * hostCount;
  const latencies: number[] = [];
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let i = next++; i < total; i = next++) {
        const started = performance.now();
        const res = await post(hosts[i % hostCount]!.base, hundeanmeldung());
        await res.arrayBuffer();
        latencies.push(performance.now() - started);
      }
    }),
  );
  const lastAnswer = performance.now();
  const perSecond = total / ((lastAnswer - t) / 1000);
  await new Promise<void>((r) => {
    drained = r;
    expecting = total + warm;
    if (delivered.size >= expecting) r();
  });
  const drain = performance.now() - lastAnswer;
  for (const h of hosts) await h.stop();
  await receiver.close();
  return { label, perSecond, p50: median(latencies), p99: p99(latencies), drain };
}
{
  console.log('\nScale-out: 2,000 submissions from 32 clients spread over the hosts, each delivered by webhook');
  const rows = [await scaleOut('1 host, SQLite', 1, {})];
  if (postgresAvailable() === false) {
    const pg = await startPostgres();
    rows.push(await scaleOut('1 host, PostgreSQL', 1, { DATABASE_URL: await pg.createDatabase() }));
    rows.push(await scaleOut('3 hosts, PostgreSQL', 3, { DATABASE_URL: await pg.createDatabase() }));
    await pg.stop();
  } else console.log('PostgreSQL skipped: no server binaries');
  const base = rows[0]!;
  for (const r of rows)
    console.log(
      `${r.label.padEnd(20)} ${r.perSecond.toFixed(0).padStart(5)} submissions/s (×${(r.perSecond / base.perSecond).toFixed(2)}) · ` +
        `p50 ${ms(r.p50)}, p99 ${ms(r.p99)} · outbox drained ${ms(r.drain)} after the last answer`,
    );
}

// A 100 KB PDF as multipart, and the webhook's delay after the acknowledgement.
const received = new Map<string, number>();
const receiver = await listen((_req, res, body) => {
  received.set((JSON.parse(body.toString()) as { vorgangsnummer: string }).vorgangsnummer, performance.now());
  json(res, 200, {});
});
/** A host that delivers Stadt Musterstadt's applications to a webhook at `url`. */
const hostWithWebhook = (url: string, env: Record<string, string> = {}) =>
  startHost({
    configDir: exampleConfig((dir) =>
      editJson(join(dir, 'host.json'), (h) => {
        (h.tenants as Record<string, Record<string, unknown>>)['stadt-musterstadt']!.delivery = {
          '*': { type: 'webhook', url, secret: 'bench-secret-of-16-chars' },
        };
      }),
    ),
    env,
  });
const host = await hostWithWebhook(`${receiver.base}/in`);
const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(100_000, 32), Buffer.from('\n%%EOF\n')]);
const uploads: number[] = [];
const delays: number[] = [];
for (let i = 0; i < 50; i++) {
  const form = new FormData();
  form.set('submission', JSON.stringify(hundeanmeldung()));
  form.append('haftpflicht', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'police.pdf');
  const t = performance.now();
  const res = await fetch(`${host.base}/api/submissions`, { method: 'POST', body: form });
  const acked = performance.now();
  uploads.push(acked - t);
  const { vorgangsnummer } = (await res.json()) as { vorgangsnummer: string };
  await host.waitForLog((l) => l.msg === 'delivered' && l.vorgangsnummer === vorgangsnummer && l.target === 'authority');
  delays.push(received.get(vorgangsnummer)! - acked);
}
await host.stop();
await receiver.close();
console.log(`with a 100 KB PDF: POST median ${ms(median(uploads))} · webhook delivered ${ms(median(delays))} (median) after the acknowledgement`);

// Paying (sandbox provider): the application stored and the attempt started (202), and the
// time from the provider's decision to the authority's delivery (notification → paid → outbox).
{
  const paid = new Map<string, number>();
  const authority = await listen((_req, res, body) => {
    paid.set((JSON.parse(body.toString()) as { vorgangsnummer: string }).vorgangsnummer, performance.now());
    json(res, 200, {});
  });
  const payHost = await hostWithWebhook(`${authority.base}/in`, { OZG_PAYMENT_RECONCILE: '0' });
  const starts: number[] = [];
  const confirmations: number[] = [];
  for (let i = 0; i < 50; i++) {
    const order = {
      tenant: 'stadt-musterstadt',
      service: 'geburtsurkunde',
      idempotencyKey: `bench-pay-${i}-${Date.now()}`,
      locale: 'de',
      data: { familienname: 'Muster', vornamen: 'Erika', geburtsdatum: '1990-01-02', anzahl: 2, zustellung: 'express' },
      payment: { provider: 'sandbox', returnUrl: `${payHost.base}/geburtsurkunde.html` },
    };
    const t = performance.now();
    const answer = (await (await post(payHost.base, order)).json()) as { vorgangsnummer: string; payment: { redirectUrl: string } };
    starts.push(performance.now() - t);
    const decided = performance.now();
    await fetch(`${answer.payment.redirectUrl}/paid`, { method: 'POST', redirect: 'manual' });
    await payHost.waitForLog((l) => l.msg === 'delivered' && l.vorgangsnummer === answer.vorgangsnummer && l.target === 'authority');
    confirmations.push(paid.get(answer.vorgangsnummer)! - decided);
  }
  await payHost.stop();
  await authority.close();
  console.log(
    `paying (sandbox): application stored + attempt started median ${ms(median(starts))}, p95 ${ms(p95(starts))} · ` +
      `provider's decision → delivered to the authority median ${ms(median(confirmations))}`,
  );
}

// What a first view transfers: the Stadt Musterstadt page in a fresh Chromium, its resources as
// they travelled (brotli) against their decoded size.
{
  const { launchChromium } = await import('../packages/elements/test/e2e/harness.js');
  const viewHost = await startHost();
  const browser = await launchChromium();
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${viewHost.base}/stadt-musterstadt.html`);
  await page.locator('ozg-antrag form').waitFor();
  const resources = await page.evaluate(() =>
    (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({
      name: r.name,
      encoded: r.encodedBodySize,
      decoded: r.decodedBodySize,
    })),
  );
  await browser.close();
  await viewHost.stop();
  const js = resources.filter((r) => /\.js($|\?)/.test(r.name));
  const sum = (xs: typeof resources, k: 'encoded' | 'decoded') => xs.reduce((n, r) => n + r[k], 0);
  console.log(
    `first view (stadt-musterstadt.html): ${resources.length} requests, ${(sum(resources, 'encoded') / 1024).toFixed(1)} KiB transferred ` +
      `(${(sum(resources, 'decoded') / 1024).toFixed(1)} KiB decoded); JavaScript ${js.length} files, ` +
      `${(sum(js, 'encoded') / 1024).toFixed(1)} KiB transferred (${(sum(js, 'decoded') / 1024).toFixed(1)} KiB decoded)`,
  );
}

// A cold first view on a weak mobile network (issue 22): a fresh browser, no cache, 150 ms round
// trip and 1.6 Mbit/s each way, a 390 px phone. Time from navigation start to the first input the
// citizen can type into, and to the first blur that shows a check's result: the Stadt Musterstadt page served by the host, against a plain page that
// renders the same Hundeanmeldung schema with plain DOM and ajv (bench/baseline.js), served from
// a plain folder over the same emulated network. Median of 9 each (5 left ±100 ms between runs).
{
  const { launchChromium, serve } = await import('../packages/elements/test/e2e/harness.js');
  const { readFileSync } = await import('node:fs');
  const { gzipSync } = await import('node:zlib');
  const { fileURLToPath } = await import('node:url');
  const { minifiedModule } = await import('./minified.js');
  const repo = fileURLToPath(new URL('..', import.meta.url));
  // The baseline as a careful developer would ship it: one minified module (ajv inside), gzip on the wire.
  const bundled = await minifiedModule(`export { renderBaseline } from './baseline.js';`);
  const files: Record<string, [string, Buffer]> = {
    '/': [
      'text/html',
      Buffer.from(`<!doctype html><html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Baseline</title><script type="module">
import { renderBaseline } from '/baseline.js';
const schema = await (await fetch('/schema.json')).json();
renderBaseline(document.getElementById('form'), schema);
</script></head><body><h1>Hundeanmeldung</h1><div id="form"></div></body></html>`),
    ],
    '/baseline.js': ['text/javascript', Buffer.from(bundled)],
    '/schema.json': ['application/json', readFileSync(join(repo, 'examples/schemas/hundeanmeldung.schema.json'))],
  };
  const plain = await serve((req, res) => {
    const found = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!found) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': found[0], 'content-encoding': 'gzip' }).end(gzipSync(found[1]));
  });
  const viewHost = await startHost();
  const browser = await launchChromium();
  /**
   * Watches the page from its first script on, every frame: when the first input inside `scope` (through
   * shadow roots) is visible, and when an input there is first marked invalid. Timed in the page, because
   * Playwright's waiting polls at growing intervals (up to 500 ms) and made the figures bimodal.
   */
  // As text: tsx would wrap a function's inner functions in a helper the page does not have.
  const watch = (scope: string) => `(() => {
    const deep = (root, selector) => {
      const found = root.querySelector(selector);
      if (found) return found;
      for (const el of root.querySelectorAll('*')) {
        const inner = el.shadowRoot && deep(el.shadowRoot, selector);
        if (inner) return inner;
      }
      return null;
    };
    const frame = () => {
      const host = document.querySelector(${JSON.stringify(scope)});
      const root = host?.shadowRoot ?? host;
      if (root && window.firstInput === undefined) {
        const input = deep(root, 'input');
        const box = input?.getBoundingClientRect();
        if (input && box.width > 0 && box.height > 0 && input.checkVisibility()) window.firstInput = performance.now();
      }
      if (root && window.firstInvalid === undefined && deep(root, 'input[aria-invalid="true"]')) window.firstInvalid = performance.now();
      if (window.firstInvalid === undefined) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  })();`;
  /** One cold view: ms to the first visible input and to the first validated blur, requests, KiB transferred. */
  const coldView = async (url: string, scope: string) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    await page.addInitScript({ content: watch(scope) });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 150, downloadThroughput: 200_000, uploadThroughput: 200_000 });
    await page.goto(url, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as { firstInput?: number }).firstInput !== undefined, null, { timeout: 60_000 });
    // The first validated blur: type into the first field, empty it, leave it — its error shows once the
    // validator is there (ozg-forms renders before its validator arrives; the floor compiles first).
    const first = page.locator(`${scope} input`).first();
    await first.fill('x');
    await first.fill('');
    await first.press('Tab');
    await page.waitForFunction(() => (window as unknown as { firstInvalid?: number }).firstInvalid !== undefined, null, { timeout: 60_000 });
    const { at, blur, count, bytes } = await page.evaluate(() => {
      const w = window as unknown as { firstInput: number; firstInvalid: number };
      const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
      return { at: w.firstInput, blur: w.firstInvalid, count: entries.length + 1, bytes: entries.reduce((n, r) => n + r.transferSize, 0) };
    });
    await context.close();
    return { at, blur, count, bytes };
  };
  const runs = async (url: string, scope: string) => {
    const seen = [];
    for (let i = 0; i < 9; i++) seen.push(await coldView(url, scope));
    return { at: median(seen.map((s) => s.at)), blur: median(seen.map((s) => s.blur)), count: seen[0]!.count, kib: seen[0]!.bytes / 1024 };
  };
  // The four kinds of page: a schema only, a service with its tenant, a four-layer tenant, a strict CSP.
  const pages: Array<[string, string]> = [
    ['hundeanmeldung.html', 'schema only'],
    ['stadt-musterstadt.html', 'service + tenant'],
    ['gemeinde-lindenau.html', 'four-layer tenant'],
    ['strikte-csp.html', 'strict CSP'],
  ];
  const baseline = await runs(`${plain.base}/`, '#form');
  const views = [];
  for (const [page, kind] of pages) views.push({ page, kind, ...(await runs(`${viewHost.base}/${page}`, 'ozg-antrag')) });
  await browser.close();
  await viewHost.stop();
  plain.close();
  console.log(
    `cold first view, 150 ms RTT, 1.6 Mbit/s, 390 px — floor: plain DOM + ajv: first input ${ms(baseline.at)}, first validated blur ${ms(baseline.blur)} (${baseline.count} requests, ${baseline.kib.toFixed(1)} KiB)`,
  );
  for (const v of views)
    console.log(
      `  ${v.page.padEnd(24)} ${v.kind.padEnd(18)} first input after ${ms(v.at).padStart(10)} (${(v.at / baseline.at).toFixed(2)}×) · validated blur ${ms(v.blur).padStart(10)} (${(v.blur / baseline.blur).toFixed(2)}×) · ${v.count} requests, ${v.kib.toFixed(1)} KiB`,
    );
}

// ---- the application PDF (issue 21) --------------------------------------------------------
{
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const { applicationPdf } = await import('../packages/server/src/pdf/application-pdf.js');
  const { renderInWorker } = await import('../packages/server/src/pdf/pool.js');
  const rows = Array.from({ length: 24 }, (_, i) => ({
    pointer: `/f${i}`,
    label: `Frage ${i + 1} zum Antrag`,
    answer: `Antwort ${i + 1}: Größe, Straße`,
  }));
  const doc = {
    locale: 'de' as const,
    tenantName: 'Stadt Musterstadt',
    serviceTitle: 'Hund zur Hundesteuer anmelden',
    vorgangsnummer: 'OZG-2026-7K3M-QX9P',
    receivedAt: '2026-12-02T10:15:00.000Z',
    sections: [{ index: 0, step: { id: 'a', title: 'Angaben', fields: ['/f0'] as [string] }, title: 'Ihre Angaben', rows }],
    attachments: [{ filename: 'Haftpflicht.pdf', purpose: 'Nachweis der Haftpflichtversicherung' }],
  };
  // The floor: the same lines with a standard font pdf-lib does not embed (no subsetting, no shaping).
  const floor = async () => {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    const page = pdf.addPage();
    rows.forEach((r, i) => page.drawText(`${r.label}: Antwort ${i}`, { x: 50, y: 800 - i * 14, size: 10, font }));
    return pdf.save();
  };
  const runs = async (fn: () => Promise<unknown>, n = 15) => {
    await fn();
    const times: number[] = [];
    for (let i = 0; i < n; i++) times.push(await timed(fn));
    return median(times);
  };
  const base = await runs(floor);
  const ours = await runs(() => applicationPdf(doc));
  const arabic = await runs(() => applicationPdf({ ...doc, locale: 'ar' }));
  // What the event loop spends when the worker makes it: handing the document over and taking the bytes back.
  await renderInWorker(doc);
  const loop: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    const done = renderInWorker(doc);
    loop.push(performance.now() - t);
    await done;
  }
  const size = (await applicationPdf(doc)).length / 1024;
  console.log('\nApplication PDF (24 answers, two embedded DejaVu subsets; median of 15)');
  console.log(
    `  German ${ms(ours)} · Arabic ${ms(arabic)} · floor (Helvetica, not embedded) ${ms(base)} → ${(ours / base).toFixed(1)}× · ${size.toFixed(1)} KiB · ` +
      `on the event loop with the worker: ${ms(median(loop))} (${((median(loop) / ours) * 100).toFixed(1)} % of making it there)`,
  );
}
