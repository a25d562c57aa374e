#!/usr/bin/env node
// The central host, runnable without a build step: TypeScript through tsx.
import { register } from 'tsx/esm/api';
register();
await import('../src/main.ts');
