/**
 * The citizen's status look-up (issue 21): the code on the receipt, the JSON API the element
 * uses, and the host's own page without script — in the citizen's language, refusing a wrong
 * code exactly as an unknown number, hostile input staying text. The authority's accept and
 * reject reaching it: fit-connect.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { normalizeCode, statusCode } from '../src/status.js';
import { hundeanmeldung, post, startHost, type RunningHost } from './harness.js';

describe('status code', () => {
  it('is 16 characters of Crockford base32 in groups of four; what a citizen types is read as meant', () => {
    const code = statusCode('secret', 'OZG-2026-AAAA-BBBB');
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    assert.equal(statusCode('secret', 'OZG-2026-AAAA-BBBB'), code, 'the same on every host with the same secret');
    assert.notEqual(statusCode('other', 'OZG-2026-AAAA-BBBB'), code);
    assert.notEqual(statusCode('secret', 'OZG-2026-AAAA-BBBC'), code);
    assert.equal(normalizeCode(code.toLowerCase().replace(/-/g, ' ')), code);
    assert.equal(normalizeCode('o1il-0000-0000-0000'), '0111-0000-0000-0000');
  });
});

describe('status look-up', () => {
  let host: RunningHost;
  let vn: string;
  let code: string;
  let page: string;
  const origin = { origin: 'http://localhost:8080' };
  const ask = (body: unknown, headers: Record<string, string> = origin) =>
    fetch(`${host.base}/api/status`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const form = (body: string, lang = 'de', headers: Record<string, string> = {}) =>
    fetch(`${host.base}/status?lang=${lang}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
      redirect: 'manual',
    });

  before(async () => {
    host = await startHost();
    const answer = (await (await post(host.base, hundeanmeldung())).json()) as {
      vorgangsnummer: string;
      status: { code: string; page: string; pdf: string };
    };
    vn = answer.vorgangsnummer;
    ({ code, page } = answer.status);
    assert.equal(answer.status.pdf, `${host.base}/api/status/pdf`);
  });
  after(() => host.stop());

  it('answers the state in every language for the right code, typed any way', async () => {
    const res = await ask({ vorgangsnummer: vn, code: code.toLowerCase().replace(/-/g, '') });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), origin.origin);
    const body = (await res.json()) as { state: string; message: Record<string, string> };
    assert.ok(['received', 'delivered'].includes(body.state), body.state);
    assert.match(body.message.de!, /^(Eingegangen|Zugestellt)/);
    assert.match(body.message.ar!, /تم/);
  });

  it('a wrong code and an unknown number get the same answer; hostile input is refused by the schema', async () => {
    const wrong = await ask({ vorgangsnummer: vn, code: 'AAAA-AAAA-AAAA-AAAA' });
    const unknown = await ask({ vorgangsnummer: 'OZG-0000-NONE-NONE', code });
    assert.equal(wrong.status, 404);
    assert.equal(unknown.status, 404);
    assert.deepEqual(await wrong.json(), await unknown.json());
    assert.equal((await ask({ vorgangsnummer: '<script>alert(1)</script>', code })).status, 400);
    assert.equal((await ask({ vorgangsnummer: vn, code: 'X'.repeat(41) })).status, 400);
    assert.equal((await ask({ vorgangsnummer: vn })).status, 400);
    // A page no tenant embeds on is refused before the body is read.
    assert.equal((await ask({ vorgangsnummer: vn, code }, { origin: 'https://evil.example' })).status, 403);
  });

  it('gives the citizen the application as PDF with the code', async () => {
    const res = await fetch(`${host.base}/api/status/pdf`, {
      method: 'POST',
      headers: { ...origin, 'content-type': 'application/json' },
      body: JSON.stringify({ vorgangsnummer: vn, code }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/pdf');
    assert.equal(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString(),
      '%PDF-',
    );
  });

  it('the page: a form in the citizen’s language, the state after asking, the PDF, errors linked to the field', async () => {
    assert.equal(page, `${host.base}/status?lang=de&vorgangsnummer=${vn}`);
    const empty = await (await fetch(`${host.base}/status?lang=ar&vorgangsnummer=${vn}`)).text();
    assert.match(empty, /<html lang="ar" dir="rtl">/);
    assert.match(empty, new RegExp(`value="${vn}"`));
    const shown = await form(`vorgangsnummer=${vn}&code=${code}&action=status`, 'en');
    assert.equal(shown.status, 200);
    assert.match(await shown.text(), /(Received|Delivered): /);
    const pdf = await form(`vorgangsnummer=${vn}&code=${code}&action=pdf`);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const wrong = await form(`vorgangsnummer=${vn}&code=ZZZZ`);
    assert.equal(wrong.status, 404);
    const text = await wrong.text();
    assert.match(text, /role="alert"[^>]*><p><a href="#vorgangsnummer">Zu dieser Vorgangsnummer/);
    assert.match(text, /aria-invalid="true"/);
    assert.equal((await form('vorgangsnummer=&code=')).status, 422);
    // Hostile text stays text; another site cannot post the form.
    const hostile = await (await fetch(`${host.base}/status?vorgangsnummer=${encodeURIComponent('"><script>x</script>')}`)).status;
    assert.equal(hostile, 400);
    const echoed = await (await form(`vorgangsnummer=${encodeURIComponent('"><img src=x onerror=alert(1)>')}&code=x`)).text();
    assert.doesNotMatch(echoed, /<img/);
    assert.match(echoed, /&#34;&#62;&#60;img/);
    assert.equal((await form(`vorgangsnummer=${vn}&code=${code}`, 'de', { origin: 'https://evil.example' })).status, 403);
  });
});
