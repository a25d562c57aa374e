/**
 * The browser's side of signing in with a Nutzerkonto, framework-free: the host's sign-in routes
 * sit beside its submissions endpoint (…/api/login/…); the citizen leaves for the provider with
 * a full-page navigation and comes back with `?ozg-login=<one-time code>` (or
 * `?ozg-login-error=cancelled|failed|level`), which is exchanged once for the session.
 */
import type { HostAnswer, Notice, Send, SignIn } from './application.js';
import { isObject } from './json-pointer.js';
import type { Locale } from './messages.js';
import { hostMessage } from './submission.js';

export const SIGN_IN_CODE = 'ozg-login';
export const SIGN_IN_ERROR = 'ozg-login-error';
export const SIGN_IN_LEVEL = 'ozg-login-level';

/** A provider as the host offers it for a tenant and service. */
export interface OfferedProvider {
  id: string;
  protocol: 'oidc' | 'saml';
  label: Record<string, string>;
}

export interface SignInOffer {
  mode: 'required' | 'optional' | 'none';
  level?: string;
  providers: OfferedProvider[];
}

/** A sign-in route of the host whose submissions endpoint is `endpoint` (…/api/submissions → …/api/login/<path>). */
export const signInUrl = (endpoint: string, path: string) => new URL(`login/${path}`, endpoint).href;

/** Where the browser goes to sign in; `returnUrl` is the municipal page (the host checks it is the tenant's). */
export function signInStartUrl(
  endpoint: string,
  o: { tenant: string; service: string; provider: string; returnUrl: string; again?: boolean },
): string {
  const url = new URL(signInUrl(endpoint, 'start'));
  url.search = new URLSearchParams({
    tenant: o.tenant,
    service: o.service,
    provider: o.provider,
    returnUrl: o.returnUrl,
    ...(o.again ? { again: '1' } : {}),
  }).toString();
  return url.href;
}

/** What came back in the page's address: a code to exchange, or why there is none. */
export function signInReturn(search: string): { code?: string; error?: string; level?: string } | undefined {
  const params = new URLSearchParams(search);
  const code = params.get(SIGN_IN_CODE) ?? undefined;
  const error = params.get(SIGN_IN_ERROR) ?? undefined;
  if (!code && !error) return undefined;
  return { ...(code ? { code } : {}), ...(error ? { error } : {}), ...(params.get(SIGN_IN_LEVEL) ? { level: params.get(SIGN_IN_LEVEL)! } : {}) };
}

/** The page's address without the sign-in parameters (a reload must not exchange the code again). */
export function withoutSignInReturn(href: string): string {
  const url = new URL(href);
  for (const p of [SIGN_IN_CODE, SIGN_IN_ERROR, SIGN_IN_LEVEL]) url.searchParams.delete(p);
  return url.href;
}

const json = (body: unknown) => ({
  method: 'POST' as const,
  headers: { 'content-type': 'application/json', accept: 'application/json' },
  body: JSON.stringify(body),
});

/** Exchanges the one-time code: the session, or the host's refusal in the citizen's language. */
export async function exchangeSignIn(
  send: Send,
  endpoint: string,
  request: { tenant: string; service: string; code: string },
  locale: Locale,
): Promise<SignIn | Notice> {
  let answer: HostAnswer;
  try {
    answer = await send(signInUrl(endpoint, 'exchange'), json(request));
  } catch {
    return { key: 'signIn.unavailable' };
  }
  const body = await answer.json().catch(() => undefined);
  if (answer.ok && isSignIn(body)) return body;
  const text = hostMessage(body, locale);
  return text ? { text } : { key: 'signIn.failed' };
}

/** Ends the session at the host (best effort: an unreachable host lets it expire). */
export async function endSignIn(send: Send, endpoint: string, tenant: string, session: string): Promise<void> {
  await send(signInUrl(endpoint, 'logout'), json({ tenant, session })).catch(() => undefined);
}

export function isSignIn(value: unknown): value is SignIn {
  return (
    isObject(value) &&
    typeof value.session === 'string' &&
    typeof value.expiresAt === 'string' &&
    typeof value.provider === 'string' &&
    typeof value.level === 'string' &&
    isObject(value.prefill) &&
    Array.isArray(value.readOnly)
  );
}
