// The ajv of the baseline, bundled once by bench/run.mjs (the same ajv 8 the core uses).
export { default as Ajv2020 } from 'ajv/dist/2020.js';
export { default as addFormats } from 'ajv-formats';
