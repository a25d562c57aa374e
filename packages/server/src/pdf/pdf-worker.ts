/** A PDF worker thread (pool.ts): renders each document it is sent and sends the bytes back. */
import { parentPort } from 'node:worker_threads';
import type { ApplicationDocument } from './application-pdf.js';
import { renderApplication } from './render.js';

parentPort!.on('message', (message: { id: number; doc: ApplicationDocument }) => {
  renderApplication(message.doc).then(
    (pdf) => parentPort!.postMessage({ id: message.id, pdf }, [pdf.buffer as ArrayBuffer]),
    (err: unknown) => parentPort!.postMessage({ id: message.id, error: (err as Error).message }),
  );
});
