export * from './json-pointer.js';
export * from './schema.js';
export * from './messages.js';
export * from './form-model.js';
export * from './schema-match.js';
export * from './validator.js';
export * from './error-messages.js';
export * from './form-state.js';
export * from './number-input.js';
export * from './date-input.js';
export * from './contrast.js';
export * from './tenant.js';
// checkTenantLayer, checkServiceDefinition: `@ozg-forms/core/config-check` (kept apart so pages without configs do not load their validators)
export type { ServiceDefinition, FieldHint } from './generated/service-definition.js';
export * from './steps.js';
export * from './fees.js';
export * from './submission.js';
export * from './draft.js';
