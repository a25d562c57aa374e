/**
 * A browser's part of a sign-in, for Node tests: follows redirects with a cookie jar, picks a
 * person on the demo provider's page and posts the SAML form back, until the municipal page is
 * reached again (with ?ozg-login=… or ?ozg-login-error=…).
 */
export class Browser {
  #jar = new Map<string, string>();

  private cookies(url: string) {
    const host = new URL(url).host;
    return [...this.#jar.entries()]
      .filter(([k]) => k.startsWith(`${host}|`))
      .map(([k, v]) => `${k.slice(host.length + 1)}=${v}`)
      .join('; ');
  }

  /** Follows redirects; stops at the municipal page (`home`) or a page to act on. */
  async go(url: string, init: RequestInit = {}, home?: string): Promise<{ url: string; status: number; text: string }> {
    for (let hop = 0; hop < 20; hop++) {
      if (home && url.startsWith(home)) return { url, status: 200, text: '' };
      const res = await fetch(url, {
        ...init,
        redirect: 'manual',
        headers: { ...(init.headers as Record<string, string>), cookie: this.cookies(url) },
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair] = c.split(';');
        const at = pair!.indexOf('=');
        this.#jar.set(`${new URL(url).host}|${pair!.slice(0, at).trim()}`, pair!.slice(at + 1));
      }
      if (res.status >= 300 && res.status < 400) {
        url = new URL(res.headers.get('location')!, url).href;
        init = {};
        continue;
      }
      return { url, status: res.status, text: await res.text() };
    }
    throw new Error('too many redirects');
  }

  /** From the provider's sign-in page: choose `person`, and for SAML post the answer on. */
  async choose(page: { url: string; text: string }, person: string, home: string) {
    const actions = [...page.text.matchAll(/action="([^"]+)"/g)].map((m) => decode(m[1]!));
    const action = person === 'cancel' ? actions.find((a) => /abort|cancel/.test(a)) : actions.find((a) => a.includes(`person=${person}`));
    if (!action) throw new Error(`no choice for ${person} on ${page.url}`);
    const next = await this.go(new URL(action, page.url).href, { method: 'POST' }, home);
    return next.text.includes('SAMLResponse') ? this.postSaml(next.text, home) : next;
  }

  /** Posts the form with SAMLResponse and RelayState a page carries (the provider's POST binding). */
  async postSaml(html: string, home: string) {
    const field = (name: string) => decode(new RegExp(`name="${name}" value="([^"]*)"`).exec(html)![1]!);
    const acs = decode(/action="([^"]+)"/.exec(html)![1]!);
    return this.go(
      acs,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ SAMLResponse: field('SAMLResponse'), RelayState: field('RelayState') }).toString(),
      },
      home,
    );
  }
}

const decode = (s: string) =>
  s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');
