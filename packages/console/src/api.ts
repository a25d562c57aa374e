/**
 * The console's calls to the host: same origin, the session cookie, the CSRF token on every
 * change. Every failure becomes a message in German and English — a lost connection too.
 */
export interface Message {
  de: string;
  en: string;
}

export interface LayerIssue extends Message {
  severity: 'error' | 'warning';
  path: string;
}

export type Answer<T> = { ok: true; status: number; data: T } | { ok: false; status: number; error: string; message: Message; issues?: LayerIssue[] };

let csrf = '';
export const setCsrf = (token: string) => {
  csrf = token;
};

const NETWORK: Message = {
  de: 'Keine Verbindung zum Host. Ihre Eingaben sind noch da; bitte versuchen Sie es gleich noch einmal.',
  en: 'No connection to the host. Your input is still here; please try again in a moment.',
};

export async function api<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Answer<T>> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(method !== 'GET' ? { 'x-csrf-token': csrf } : {}),
        ...(body !== undefined ? { 'content-type': contentType } : {}),
      },
      ...(body !== undefined ? { body: body instanceof Blob ? body : JSON.stringify(body) } : {}),
    });
  } catch {
    return { ok: false, status: 0, error: 'network', message: NETWORK };
  }
  if (response.status === 204) return { ok: true, status: 204, data: undefined as T };
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    data = undefined;
  }
  if (response.ok) return { ok: true, status: response.status, data: data as T };
  const refusal = (data ?? {}) as { error?: string; message?: Partial<Message>; issues?: LayerIssue[] };
  return {
    ok: false,
    status: response.status,
    error: refusal.error ?? 'error',
    message: {
      de: refusal.message?.de ?? `Der Host hat die Anfrage abgelehnt (HTTP ${response.status}).`,
      en: refusal.message?.en ?? `The host refused the request (HTTP ${response.status}).`,
    },
    ...(refusal.issues ? { issues: refusal.issues } : {}),
  };
}
