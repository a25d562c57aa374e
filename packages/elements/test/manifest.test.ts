// The public API as the generated custom-elements manifest describes it (npm run analyze writes it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

interface Declaration {
  tagName?: string;
  attributes?: Array<{ name: string }>;
  events?: Array<{ name: string }>;
  cssParts?: Array<{ name: string }>;
  cssProperties?: Array<{ name: string }>;
}

const manifest = JSON.parse(readFileSync(new URL('../custom-elements.json', import.meta.url), 'utf8')) as {
  modules: Array<{ declarations?: Declaration[] }>;
};
const antrag = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'ozg-antrag');

describe('custom-elements manifest', () => {
  it('documents <ozg-antrag> attributes and events', () => {
    assert.ok(antrag, 'ozg-antrag is in the manifest');
    const attributes = antrag.attributes!.map((a) => a.name);
    for (const name of [
      'service',
      'tenant',
      'config-base',
      'debug',
      'terminal',
      'submit-url',
      'schema-src',
      'validator-src',
      'lang',
      'heading-level',
    ]) {
      assert.ok(attributes.includes(name), `attribute ${name}`);
    }
    assert.deepEqual(antrag.events!.map((e) => e.name).sort(), [
      'ozg-change',
      'ozg-error',
      'ozg-language',
      'ozg-payment-state',
      'ozg-submit',
      'ozg-submitted',
    ]);
  });

  it('documents <ozg-consent>', () => {
    const consent = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'ozg-consent');
    assert.ok(consent, 'ozg-consent is in the manifest');
    assert.deepEqual(
      consent.events!.map((e) => e.name),
      ['ozg-consent'],
    );
    for (const name of ['text', 'privacy-href', 'checkboxes', 'heading-level'])
      assert.ok(consent.attributes!.map((a) => a.name).includes(name), name);
  });

  it('documents <ozg-payment>', () => {
    const payment = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'ozg-payment');
    assert.ok(payment, 'ozg-payment is in the manifest');
    assert.deepEqual(payment.events!.map((e) => e.name).sort(), ['ozg-error', 'ozg-payment-state', 'ozg-submitted']);
    for (const name of ['tenant', 'service', 'config-base', 'submit-url', 'lang', 'heading-level'])
      assert.ok(payment.attributes!.map((a) => a.name).includes(name), name);
  });

  it('documents the CSS parts and the theme tokens', () => {
    const parts = antrag!.cssParts!.map((p) => p.name);
    for (const name of ['form', 'label', 'hint', 'error', 'input', 'button', 'error-summary']) assert.ok(parts.includes(name), `part ${name}`);
    const tokens = antrag!.cssProperties!.map((p) => p.name);
    for (const name of ['--ozg-color-primary', '--ozg-color-error', '--ozg-color-focus', '--ozg-font-family'])
      assert.ok(tokens.includes(name), `token ${name}`);
  });
});
