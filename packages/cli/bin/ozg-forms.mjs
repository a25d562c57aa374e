#!/usr/bin/env node
// The authoring CLI, runnable without a build step: TypeScript through tsx.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
