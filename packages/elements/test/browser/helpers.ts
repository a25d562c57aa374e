/**
 * Test helpers that act as a citizen would: focus a field by its label, type with the
 * real keyboard (Chromium key events through the test runner), press Tab, click.
 */
import { fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { fieldIdOf } from '@ozg-forms/core';
import '../../src/index.js';
import type { OzgAntrag } from '../../src/index.js';

/** A Storage for one test: test files run side by side in one browser and would share localStorage. */
export class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  keys() {
    return [...this.items.keys()];
  }
}

export let drafts = new MemoryStorage();
beforeEach(async () => {
  const { OzgAntrag } = await import('../../src/index.js');
  drafts = new MemoryStorage();
  OzgAntrag.draftStorage = drafts;
});

export async function mount(schema: unknown, options: { lang?: string; data?: Record<string, unknown> } = {}): Promise<OzgAntrag> {
  const el = await fixture<OzgAntrag>(html`<ozg-antrag .schema=${schema} .data=${options.data} lang=${options.lang ?? 'de'}></ozg-antrag>`);
  await settled(el);
  return el;
}

/** Waits until the element shows its form or a problem (never a blank element). */
export async function settled(el: OzgAntrag) {
  await waitUntil(
    () => el.shadowRoot?.querySelector('form, .load-error, ozg-consent, .draft-offer, .receipt'),
    'the element shows neither a form nor a problem',
    { timeout: 5000 },
  );
  // The form shows before its validator (render first): tests that check rules right away wait for it.
  await el.whenReady();
  await renderDone(el);
}

/** Waits for every pending Lit update inside the form. */
export async function renderDone(el: OzgAntrag) {
  for (let i = 0; i < 5; i++) {
    await el.updateComplete;
    const inner = [...el.shadowRoot!.querySelectorAll('ozg-group, ozg-repeat, ozg-field')] as unknown as Array<{ updateComplete: Promise<unknown> }>;
    await Promise.all(inner.map((x) => x.updateComplete));
  }
}

export const root = (el: OzgAntrag) => el.shadowRoot!;

export function control<T extends HTMLElement = HTMLInputElement>(el: OzgAntrag, pointer: string): T {
  const found = root(el).getElementById(fieldIdOf(pointer));
  if (!found) throw new Error(`no control for ${pointer}`);
  return found as T;
}

export const has = (el: OzgAntrag, pointer: string) => root(el).getElementById(fieldIdOf(pointer)) !== null;

/** The text of the label (or legend) that names the control at `pointer`. */
export function labelText(el: OzgAntrag, pointer: string): string {
  const input = control(el, pointer);
  const fieldset = input.closest('fieldset.field');
  const label = fieldset ? fieldset.querySelector('legend') : root(el).querySelector(`label[for="${input.id}"]`);
  return (label?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

export function errorText(el: OzgAntrag, pointer: string): string | undefined {
  const input = control(el, pointer);
  const ids = (input.closest('fieldset.field')?.getAttribute('aria-describedby') ?? input.getAttribute('aria-describedby') ?? '').split(' ');
  const error = ids.map((id) => root(el).getElementById(id)).find((n) => n?.classList.contains('error-message'));
  return error?.textContent?.replace(/\s+/g, ' ').trim();
}

/** Focuses the field and types like a person, then leaves it with Tab (which validates it). */
export async function type(el: OzgAntrag, pointer: string, text: string, leave = true) {
  const input = control(el, pointer);
  input.focus();
  if ((input as HTMLInputElement).value) {
    (input as HTMLInputElement).select();
    await sendKeys({ press: 'Backspace' });
  }
  if (text) await sendKeys({ type: text });
  if (leave) await sendKeys({ press: 'Tab' });
  await renderDone(el);
}

export async function press(el: OzgAntrag, key: string) {
  await sendKeys({ press: key });
  await renderDone(el);
}

/** Clicks the control at `pointer` (or, with `index`, the n-th radio/checkbox of its group). */
export async function click(el: OzgAntrag, pointer: string, index = 0) {
  const first = control(el, pointer);
  const target = index === 0 ? first : root(el).getElementById(`${first.id}-${index}`);
  (target as HTMLElement).click();
  await renderDone(el);
}

export async function choose(el: OzgAntrag, pointer: string, label: string) {
  const first = control(el, pointer);
  if (first instanceof HTMLSelectElement) {
    const option = [...first.options].find((o) => o.textContent?.trim() === label);
    if (!option) throw new Error(`no option "${label}" for ${pointer}`);
    first.focus();
    first.value = option.value;
    first.dispatchEvent(new Event('change', { bubbles: true }));
  } else {
    const group = first.closest('fieldset')!;
    const lbl = [...group.querySelectorAll('label')].find((l) => l.textContent?.trim() === label);
    if (!lbl) throw new Error(`no option "${label}" for ${pointer}`);
    (lbl as HTMLLabelElement).click();
  }
  await renderDone(el);
}

/** Clicks "Absenden"; resolves with the `ozg-submit` detail, or `undefined` when the form refused. */
export async function submit(el: OzgAntrag): Promise<Record<string, unknown> | undefined> {
  let detail: Record<string, unknown> | undefined;
  const listener = (e: CustomEvent<Record<string, unknown>>) => (detail = e.detail);
  el.addEventListener('ozg-submit', listener);
  const summaryBefore = root(el).querySelector('.error-summary');
  root(el).querySelector<HTMLButtonElement>('button[type=submit]')!.click();
  // Either the event arrives or an error summary is (re)shown and focused.
  await waitUntil(
    () =>
      detail !== undefined ||
      (root(el).querySelector('.error-summary') && root(el).activeElement?.classList.contains('error-summary')) ||
      (summaryBefore && root(el).querySelector('.error-summary') !== summaryBefore),
    'submit had no visible outcome',
    { timeout: 5000 },
  );
  await renderDone(el);
  el.removeEventListener('ozg-submit', listener);
  return detail;
}

export function summaryLinks(el: OzgAntrag): string[] {
  return [...root(el).querySelectorAll('.error-summary a')].map((a) => a.textContent!.trim());
}

export async function samplesInfo(): Promise<{ available: boolean; base: string }> {
  return (await (await fetch('/__ozg/samples.json')).json()) as { available: boolean; base: string };
}
