/**
 * An honest runtime range: every production dependency (what `npm ci --omit=dev` installs for
 * the host) supports the Node version the tests run on, and `engines` of the root and the host
 * package says that range. A new dependency (or an update) that wants a newer Node fails here,
 * not on an operator's machine.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from './harness.js';

const require = createRequire(import.meta.url);
const semver = require('semver') as { satisfies(version: string, range: string): boolean };

describe('runtime range', () => {
  it('every production dependency supports the tested Node, and engines says so', () => {
    const dirs = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
    const wanting: string[] = [];
    for (const dir of new Set(dirs)) {
      let pkg: { name?: string; version?: string; engines?: { node?: string } };
      try {
        pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as typeof pkg;
      } catch {
        continue;
      }
      const range = pkg.engines?.node;
      if (range && !semver.satisfies(process.versions.node, range)) wanting.push(`${pkg.name}@${pkg.version} wants node ${range}`);
    }
    assert.deepEqual(wanting, [], `tested on Node ${process.versions.node}`);
    for (const file of ['package.json', 'packages/server/package.json']) {
      const engines = (JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { engines?: { node?: string } }).engines?.node;
      assert.ok(engines && semver.satisfies(process.versions.node, engines), `${file}: engines.node ${engines}`);
    }
  });
});
