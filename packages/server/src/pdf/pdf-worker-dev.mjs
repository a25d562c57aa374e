// In a clone the host runs its TypeScript through tsx, whose loader a worker thread does not
// inherit: this starts the PDF worker (pdf-worker.ts) with it. The release runs pdf-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./pdf-worker.ts');
