/**
 * The one JSON parse for everything a client sends (JSON bodies and the `submission` field of a
 * multipart form): refuses keys that reach an object's prototype (`__proto__`, `constructor`,
 * `prototype`) and bodies deeper, longer or wider than the limits, before anything reads them.
 */
import type { MessageParams } from '@ozg-forms/core';
import type { HostMessageKey } from '@ozg-forms/core/host-messages';
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
export function unsafeJsonMessage(e: UnsafeJson, caps: Caps): { key: HostMessageKey; params: MessageParams } {
  switch (e.problem) {
    case 'syntax':
      return { key: 'host.json.syntax', params: { detail: e.detail } };
    case 'forbidden-key':
      return { key: 'host.json.forbiddenKey', params: { name: e.detail } };
    case 'too-deep':
      return { key: 'host.json.tooDeep', params: { max: caps.jsonDepth, at: e.detail } };
    case 'string-too-long':
      return { key: 'host.json.stringTooLong', params: { max: caps.stringLength, at: e.detail } };
    case 'array-too-long':
      return { key: 'host.json.arrayTooLong', params: { max: caps.arrayLength, at: e.detail } };
  }
}
