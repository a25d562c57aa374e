/**
 * Locates the real-world FIM samples in ../shared/samples (never copied into the repo:
 * their licence does not allow shipping them). Tests that need them skip, saying why,
 * where ../shared is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SAMPLES_DIR = process.env.OZG_SAMPLES_DIR ?? resolve(repoRoot, '../shared/samples');
export const samplesAvailable = existsSync(join(SAMPLES_DIR, 'fim-json'));
export const SKIP_REASON = `FIM samples not found at ${SAMPLES_DIR} (../shared absent): skipped`;

export function readFimSchema(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SAMPLES_DIR, 'fim-json', name), 'utf8')) as Record<string, unknown>;
}

export const FIM_SCHEMAS = ['S00000000094V1.0.0.schema.json', 'S00000000121V1.0.0.schema.json', 'S00000000246V1.1.0.schema.json'];
