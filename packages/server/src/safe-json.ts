/**
 * The one JSON parse for everything a client sends (JSON bodies and the `submission` field of a
 * multipart form): refuses keys that reach an object's prototype (`__proto__`, `constructor`,
 * `prototype`) and bodies deeper, longer or wider than the limits, before anything reads them.
 */
import type { Limits } from './settings.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export type JsonProblem = 'syntax' | 'forbidden-key' | 'too-deep' | 'string-too-long' | 'array-too-long';

export class UnsafeJson extends Error {
  constructor(
    readonly problem: JsonProblem,
    readonly detail: string,
  ) {
    super(`${problem}: ${detail}`);
    this.name = 'UnsafeJson';
  }
}

type Caps = Pick<Limits, 'jsonDepth' | 'stringLength' | 'arrayLength'>;

function check(value: unknown, caps: Caps, depth: number, path: string): void {
  if (typeof value === 'string') {
    if (value.length > caps.stringLength) throw new UnsafeJson('string-too-long', path || '/');
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (depth >= caps.jsonDepth) throw new UnsafeJson('too-deep', path || '/');
  if (Array.isArray(value)) {
    if (value.length > caps.arrayLength) throw new UnsafeJson('array-too-long', path || '/');
    for (let i = 0; i < value.length; i++) check(value[i], caps, depth + 1, `${path}/${i}`);
    return;
  }
  for (const key of Object.keys(value)) {
    if (key.length > caps.stringLength) throw new UnsafeJson('string-too-long', path || '/');
    check((value as Record<string, unknown>)[key], caps, depth + 1, `${path}/${key.slice(0, 60)}`);
  }
}

/** Parses and checks; throws `UnsafeJson` saying why not. */
export function parseSafeJson(text: string, caps: Caps): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text, (key, v: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw new UnsafeJson('forbidden-key', key);
      return v;
    });
  } catch (err) {
    if (err instanceof UnsafeJson) throw err;
    throw new UnsafeJson('syntax', (err as Error).message.slice(0, 200));
  }
  check(value, caps, 0, '');
  return value;
}

/** What the citizen (and the developer) is told about a body `parseSafeJson` refused. */
export function unsafeJsonMessage(e: UnsafeJson, caps: Caps): { de: string; en: string } {
  switch (e.problem) {
    case 'syntax':
      return { de: 'Die Anfrage ist kein gültiges JSON.', en: `The request is not valid JSON (${e.detail}).` };
    case 'forbidden-key':
      return { de: `Der Name „${e.detail}“ ist in einem Antrag nicht erlaubt.`, en: `The name "${e.detail}" is not allowed in a submission.` };
    case 'too-deep':
      return {
        de: `Der Antrag ist zu tief verschachtelt (höchstens ${caps.jsonDepth} Ebenen).`,
        en: `The submission is nested too deeply (at most ${caps.jsonDepth} levels) at ${e.detail}.`,
      };
    case 'string-too-long':
      return {
        de: `Eine Angabe ist zu lang (höchstens ${caps.stringLength} Zeichen).`,
        en: `An answer is too long (at most ${caps.stringLength} characters) at ${e.detail}.`,
      };
    case 'array-too-long':
      return {
        de: `Eine Liste hat zu viele Einträge (höchstens ${caps.arrayLength}).`,
        en: `A list has too many entries (at most ${caps.arrayLength}) at ${e.detail}.`,
      };
  }
}
