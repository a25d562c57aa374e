/** The browser's localStorage (or sessionStorage), or nothing where the page may not use it (privacy settings, sandboxed frames). */
export function browserStorage(kind: 'localStorage' | 'sessionStorage' = 'localStorage'): Storage | undefined {
  try {
    return window[kind];
  } catch {
    return undefined;
  }
}
