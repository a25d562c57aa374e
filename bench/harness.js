// Runs inside the benchmark page: the same three measurements for ozg-forms and the baseline.
const layout = () => document.body.offsetHeight;
const schema = await (await fetch('/bench/.out/schema.json')).json();
const kind = new URLSearchParams(location.search).get('kind');

async function settle(el) {
  for (let i = 0; i < 50; i++) {
    await el.updateComplete;
    const inner = [...el.shadowRoot.querySelectorAll('ozg-group, ozg-repeat, ozg-field')];
    if (el.shadowRoot.querySelector('form') && inner.every((x) => !x.isUpdatePending)) return;
    await Promise.all(inner.map((x) => x.updateComplete));
    if (!el.shadowRoot.querySelector('form')) await new Promise((r) => setTimeout(r, 0));
  }
}

async function runElement() {
  await import('/packages/elements/dist/ozg-forms.js');
  // Warm-up: load the ajv chunk once, as a page that shows any form has.
  const warm = document.createElement('ozg-antrag');
  warm.schema = { type: 'object', properties: { a: { type: 'string' } } };
  document.body.append(warm);
  await settle(warm);
  warm.remove();

  const t0 = performance.now();
  const el = document.createElement('ozg-antrag');
  el.schema = schema;
  document.body.append(el);
  await settle(el);
  layout();
  const firstRender = performance.now() - t0;
  const fields = el.shadowRoot.querySelectorAll('input, select, textarea').length;
  // The form is shown before its validator (render first): until it checks, ajv compiles beside it.
  await el.whenReady();
  const ready = performance.now() - t0;

  const t1 = performance.now();
  await el.reportValidity();
  await settle(el);
  layout();
  const fullValidation = performance.now() - t1;
  const errorsShown = el.shadowRoot.querySelectorAll('.error-message').length;

  // A field whose error stays while letters are typed (pattern ^[0-9]{5}$): every keystroke re-checks it.
  const input = el.shadowRoot.getElementById('ozg-g0--f0-1');
  const host = input.closest('ozg-field');
  await typingStarts();
  const firstKeystrokes = await typeKeys(input, 'y', () => host.updateComplete);
  const fieldProto = customElements.get('ozg-field').prototype;
  const groupProto = customElements.get('ozg-group').prototype;
  let renders = 0;
  for (const proto of [fieldProto, groupProto]) {
    const original = proto.render;
    proto.render = function (...args) {
      renders++;
      return original.apply(this, args);
    };
  }
  const keystroke = await typeKeys(input, 'x', () => host.updateComplete);
  return { firstRender, ready, fullValidation, firstKeystrokes, keystroke, fields, errorsShown, rendersPerKeystroke: renders / KEYSTROKES };
}

const KEYSTROKES = 60;
/**
 * A citizen types a moment after the form appears, not within the millisecond: right after ajv has
 * compiled and first run a large schema, V8 is still optimising that code and the main thread pays
 * for it — measured as typing, that was up to 0.15 ms per keystroke that is not typing's.
 */
const typingStarts = () => new Promise((resolve) => setTimeout(resolve, 1000));
/** Mean main-thread ms per keystroke while `input` holds an error (its pattern refuses letters). */
async function typeKeys(input, char, settled) {
  let total = 0;
  for (let i = 1; i <= KEYSTROKES; i++) {
    const t = performance.now();
    input.value = char.repeat(i);
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await settled();
    layout();
    total += performance.now() - t;
  }
  return total / KEYSTROKES;
}

async function runBaseline() {
  const { renderBaseline } = await import('/bench/baseline.js');
  const t0 = performance.now();
  const container = document.createElement('div');
  document.body.append(container);
  const form = renderBaseline(container, schema);
  layout();
  const firstRender = performance.now() - t0;
  const fields = container.querySelectorAll('input, select, textarea').length;

  const t1 = performance.now();
  form.validateAll();
  layout();
  const fullValidation = performance.now() - t1;
  const errorsShown = container.querySelectorAll('.err').length;

  const input = form.inputs.get('/g0/f0-1').input;
  await typingStarts();
  const firstKeystrokes = await typeKeys(input, 'y', () => undefined);
  const keystroke = await typeKeys(input, 'x', () => undefined);
  // The baseline compiles before it renders: it checks as soon as it is shown.
  return { firstRender, ready: firstRender, fullValidation, firstKeystrokes, keystroke, fields, errorsShown, rendersPerKeystroke: NaN };
}

/** ajv compiling the schema alone, in a page of its own (a second compile in the same page is faster). */
async function runCompile() {
  const { Ajv2020, addFormats } = await import('/bench/ajv-bundle.js');
  const t = performance.now();
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.compile(schema);
  return { ajvCompile: performance.now() - t };
}

const runs = { element: runElement, baseline: runBaseline, compile: runCompile };
window.benchResult = runs[kind]().catch((e) => ({ error: String(e?.stack ?? e) }));
