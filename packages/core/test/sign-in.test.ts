/** The browser's side of a sign-in without a browser: the host's addresses, what comes back in the page's address, the code exchange. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Send } from '../src/application.js';
import { exchangeSignIn, signInReturn, signInStartUrl, signInUrl, withoutSignInReturn } from '../src/sign-in.js';

const ENDPOINT = 'https://host.example/api/submissions';

describe('sign-in helpers', () => {
  it('finds the host’s sign-in routes beside its submissions endpoint', () => {
    assert.equal(signInUrl(ENDPOINT, 'exchange'), 'https://host.example/api/login/exchange');
    const start = new URL(
      signInStartUrl(ENDPOINT, { tenant: 't', service: 's', provider: 'bundid', returnUrl: 'https://www.stadt.example/a?b=1#x', again: true }),
    );
    assert.equal(start.pathname, '/api/login/start');
    assert.equal(start.searchParams.get('returnUrl'), 'https://www.stadt.example/a?b=1#x');
    assert.equal(start.searchParams.get('again'), '1');
  });

  it('reads the code or the reason from the page’s address, and takes them out again', () => {
    assert.deepEqual(signInReturn('?a=1&ozg-login=CODE'), { code: 'CODE' });
    assert.deepEqual(signInReturn('?ozg-login-error=level&ozg-login-level=niedrig'), { error: 'level', level: 'niedrig' });
    assert.equal(signInReturn('?a=1'), undefined);
    assert.equal(withoutSignInReturn('https://www.stadt.example/p?a=1&ozg-login=CODE#top'), 'https://www.stadt.example/p?a=1#top');
  });

  it('exchanges the code: the session, the host’s refusal in the citizen’s language, or unreachable', async () => {
    const reply =
      (status: number, body: unknown): Send =>
      async () =>
        new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    const session = { session: 'S'.repeat(43), expiresAt: '2099-01-01T00:00:00Z', provider: 'bundid', level: 'hoch', prefill: {}, readOnly: [] };
    assert.deepEqual(await exchangeSignIn(reply(200, session), ENDPOINT, { tenant: 't', service: 's', code: 'c' }, 'de'), session);
    assert.deepEqual(
      await exchangeSignIn(
        reply(401, { error: 'login-code', message: { de: 'Code ungültig', en: 'Code invalid' } }),
        ENDPOINT,
        { tenant: 't', service: 's', code: 'c' },
        'en',
      ),
      { text: 'Code invalid' },
    );
    const down: Send = async () => {
      throw new TypeError('fetch failed');
    };
    assert.deepEqual(await exchangeSignIn(down, ENDPOINT, { tenant: 't', service: 's', code: 'c' }, 'de'), { key: 'signIn.unavailable' });
  });
});
