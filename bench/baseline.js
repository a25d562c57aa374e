// The baseline of the benchmark: a plain-DOM form builder with ajv, written the way a
// careful developer would hand-write it for this one schema shape (no framework, no
// conditions, no state). ozg-forms is measured against it in the same browser.
import { Ajv2020, addFormats } from './ajv-bundle.js';

export function renderBaseline(container, schema) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  const data = {};
  const errorsShown = new Map();
  const inputs = new Map();
  const form = document.createElement('form');
  form.noValidate = true;

  const setAt = (path, value) => {
    let o = data;
    path.slice(0, -1).forEach((k, i) => (o = o[k] ??= typeof path[i + 1] === 'number' ? [] : {}));
    if (value === '' || value === undefined) delete o[path.at(-1)];
    else o[path.at(-1)] = value;
  };
  const fieldFor = (parent, s, path, required) => {
    const id = `b-${path.join('-')}`;
    const wrap = document.createElement('div');
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = s.title + (required ? ' *' : '');
    wrap.append(label);
    let input;
    const options = s.enum ? s.enum.map((v) => ({ v, t: String(v) })) : s.oneOf ? s.oneOf.map((o) => ({ v: o.const, t: o.title })) : undefined;
    if (options) {
      input = document.createElement('select');
      input.append(new Option('Bitte auswählen', ''));
      for (const o of options) input.append(new Option(o.t, o.v));
    } else if (s.type === 'boolean') {
      input = document.createElement('input');
      input.type = 'checkbox';
    } else {
      input = document.createElement(s.maxLength >= 256 ? 'textarea' : 'input');
      if (input.tagName === 'INPUT') input.type = 'text';
    }
    input.id = id;
    const pointer = '/' + path.join('/');
    inputs.set(pointer, { input, wrap });
    input.addEventListener('input', () => {
      const v =
        input.type === 'checkbox' ? input.checked : s.type === 'integer' || s.type === 'number' ? Number(input.value.replace(',', '.')) : input.value;
      setAt(path, v);
      // A field in error is checked again as the citizen types; only its own message changes.
      if (errorsShown.has(pointer)) showFieldError(pointer, validate(data) ? [] : validate.errors);
    });
    // Leaving a field checks it, as ozg-forms does.
    input.addEventListener('blur', () => showFieldError(pointer, validate(data) ? [] : validate.errors));
    wrap.append(input);
    parent.append(wrap);
  };
  // Groups and list items exist in the data from the start, so ajv reports the fields inside them.
  const objectAt = (path) => path.reduce((o, k, i) => (o[k] ??= typeof path[i + 1] === 'number' ? [] : {}), data);
  const build = (parent, s, path) => {
    objectAt(path);
    for (const [key, sub] of Object.entries(s.properties)) {
      const required = (s.required ?? []).includes(key);
      if (sub.type === 'object') {
        const fs = document.createElement('fieldset');
        const legend = document.createElement('legend');
        legend.textContent = sub.title;
        fs.append(legend);
        build(fs, sub, [...path, key]);
        parent.append(fs);
      } else if (sub.type === 'array') {
        const fs = document.createElement('fieldset');
        const legend = document.createElement('legend');
        legend.textContent = sub.title;
        fs.append(legend);
        for (let i = 0; i < (sub.minItems ?? 0); i++) build(fs, sub.items, [...path, key, i]);
        parent.append(fs);
      } else fieldFor(parent, sub, [...path, key], required);
    }
  };
  const pointerOf = (e) => e.instancePath + (e.keyword === 'required' ? `/${e.params.missingProperty}` : '');
  const mark = (pointer, target, e) => {
    target.wrap.querySelector('.err')?.remove();
    if (!e) {
      target.input.removeAttribute('aria-invalid');
      target.input.removeAttribute('aria-describedby');
      errorsShown.delete(pointer);
      return;
    }
    const p = document.createElement('p');
    p.className = 'err';
    p.id = `${target.input.id}-error`;
    p.textContent = e.message;
    target.wrap.insertBefore(p, target.input);
    target.input.setAttribute('aria-invalid', 'true');
    target.input.setAttribute('aria-describedby', p.id);
    errorsShown.set(pointer, target);
  };
  const showFieldError = (pointer, errors) =>
    mark(
      pointer,
      inputs.get(pointer),
      errors.find((e) => pointerOf(e) === pointer),
    );
  const showErrors = (errors) => {
    for (const [pointer, target] of [...errorsShown]) mark(pointer, target, undefined);
    for (const e of errors) {
      const pointer = pointerOf(e);
      const target = inputs.get(pointer);
      if (target && !errorsShown.has(pointer)) mark(pointer, target, e);
    }
  };
  build(form, schema, []);
  container.append(form);
  return {
    inputs,
    validateAll: () => showErrors(validate(data) ? [] : validate.errors),
  };
}
