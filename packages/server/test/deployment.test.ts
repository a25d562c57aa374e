/**
 * What a container deployment relies on (issue 17). No image can be built on the development
 * machines, so the Dockerfile is held to the release build that release.test.ts runs, and to the
 * rules a hardened deployment needs (non-root, data volume, healthcheck); secrets come from files.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { settingsFromEnv } from '../src/settings.js';
import { ROOT } from './harness.js';

describe('container deployment', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('builds with the release script and starts what the release test starts', () => {
    assert.match(dockerfile, /RUN npm run release/);
    assert.match(dockerfile, /npm ci --omit=dev/);
    assert.match(runtime, /CMD \["node", "server\/main\.js"\]/);
    assert.match(runtime, /FROM node:20-/, 'the Node the engines field allows');
  });

  it('runs as a user without privileges, writes only to its data volume and says when it is ready', () => {
    assert.match(runtime, /\nUSER node\n/);
    assert.match(runtime, /OZG_DATA_DIR=\/data/);
    assert.match(runtime, /VOLUME \["\/data"\]/);
    assert.match(runtime, /HEALTHCHECK[\s\S]*\/api\/ready/);
  });

  it('reads secrets from files (NAME_FILE), and refuses both ways at once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ozg-secret-'));
    writeFileSync(join(dir, 'db'), 'postgres://ozg:s3cret@db/ozgforms\n');
    assert.equal(settingsFromEnv({ DATABASE_URL_FILE: join(dir, 'db') }).databaseUrl, 'postgres://ozg:s3cret@db/ozgforms');
    assert.throws(() => settingsFromEnv({ DATABASE_URL_FILE: join(dir, 'db'), DATABASE_URL: 'postgres://x' }), /both set/);
    assert.throws(() => settingsFromEnv({ DATABASE_URL_FILE: join(dir, 'missing') }), /DATABASE_URL_FILE: cannot read .*ENOENT/);
  });
});
