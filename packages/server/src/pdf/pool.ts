/**
 * PDFs are made in a worker thread: embedding and subsetting the fonts costs some 60 ms of CPU per
 * document, which on the event loop would hold up every other request of the host for as long.
 * One worker, started at the first PDF and kept (it keeps the process alive only while it has work);
 * a worker that dies fails what it had in hand and the next PDF starts a new one. Where no
 * worker can be started, the PDF is made on the event loop instead (logged once).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ApplicationDocument } from './application-pdf.js';
import { renderApplication } from './render.js';

type Pending = { resolve: (pdf: Uint8Array) => void; reject: (err: Error) => void };

interface PdfWorker {
  thread: Worker;
  pending: Map<number, Pending>;
}

let worker: PdfWorker | undefined;
let nextId = 0;

/** Beside this module in a clone (through tsx: pdf-worker-dev.mjs), beside main.js in the release build. */
function workerFile(): URL | undefined {
  const file = new URL(import.meta.url.endsWith('.ts') ? './pdf-worker-dev.mjs' : './pdf-worker.js', import.meta.url);
  return existsSync(fileURLToPath(file)) ? file : undefined;
}

function start(): PdfWorker | undefined {
  const file = workerFile();
  if (!file) return undefined;
  const w: PdfWorker = { thread: new Worker(file), pending: new Map() };
  w.thread.unref();
  const fail = (err: Error) => {
    for (const p of w.pending.values()) p.reject(err);
    w.pending.clear();
    if (worker === w) worker = undefined;
  };
  w.thread.on('message', (m: { id: number; pdf?: Uint8Array; error?: string }) => {
    const p = w.pending.get(m.id);
    w.pending.delete(m.id);
    if (w.pending.size === 0) w.thread.unref();
    if (m.pdf) p?.resolve(m.pdf);
    else p?.reject(new Error(m.error ?? 'the PDF worker gave no PDF'));
  });
  w.thread.on('error', (err: Error) => fail(err));
  w.thread.on('exit', (code) => fail(new Error(`the PDF worker stopped (${code})`)));
  return w;
}

let warned = false;

export function renderInWorker(doc: ApplicationDocument): Promise<Uint8Array> {
  worker ??= start();
  const w = worker;
  if (!w) {
    if (!warned) console.warn('ozg-forms: no PDF worker file found; PDFs are made on the event loop');
    warned = true;
    return renderApplication(doc);
  }
  const id = nextId++;
  return new Promise<Uint8Array>((resolve, reject) => {
    w.pending.set(id, { resolve, reject });
    // Held while it has work: a process waiting only for a PDF must not end before it.
    w.thread.ref();
    w.thread.postMessage({ id, doc });
  });
}
