// A local stand-in for the central host's submissions API (issue 6 builds the real one),
// used by `npm start` and the browser tests. POST /api/submissions answers with a
// Vorgangsnummer, the same one for the same Idempotency-Key. /api/flaky fails the first
// attempt of each key with 503. GET /api/submissions/count?key=K tells how many POSTs came.
const receipts = new Map();
const attempts = new Map();
let counter = 0;

/** Handles a request if it is ours; returns { status, body } or undefined. */
export function handleSubmission(method, url, headers, rawBody) {
  const { pathname, searchParams } = new URL(url, 'http://stand-in');
  if (method === 'GET' && pathname === '/api/submissions/count') {
    return { status: 200, body: { count: attempts.get(searchParams.get('key')) ?? 0 } };
  }
  if (method !== 'POST' || (pathname !== '/api/submissions' && pathname !== '/api/flaky')) return undefined;
  let payload;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    return { status: 400, body: { error: 'not JSON' } };
  }
  const key = headers['idempotency-key'] ?? payload.idempotencyKey;
  if (!key || typeof payload.data !== 'object') return { status: 422, body: { error: 'idempotency key and data required' } };
  attempts.set(key, (attempts.get(key) ?? 0) + 1);
  if (pathname === '/api/flaky' && attempts.get(key) === 1) return { status: 503, body: { error: 'try again' } };
  if (!receipts.has(key)) receipts.set(key, { vorgangsnummer: `VN-${new Date().getFullYear()}-${String(++counter).padStart(6, '0')}` });
  return { status: 201, body: receipts.get(key) };
}

/** Connect/Koa-style adapter: reads the body, answers JSON. */
export async function readBody(req) {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}
