/**
 * The architecture, enforced (issue 18): which package and which folder may import which.
 * - core is the engine: it imports no element, host or CLI code, no Lit, nothing outside core.
 * - the host and the CLI import no element code.
 * - in packages/elements/src, every element's folder holds only that element; what several
 *   elements use lives in shared/, which imports no element folder; payment/ and consent/ do not
 *   reach into antrag/; and no two folders import each other, directly or around a loop.
 * Imports are read from the sources (static `from '…'` and dynamic `import('…')`).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const PACKAGES = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? (n === 'generated' ? [] : walk(p)) : /\.ts$/.test(n) && !/\.(stories|test)\.ts$/.test(n) ? [p] : [];
  });

/** Every module a source file imports. */
const importsOf = (file: string) =>
  [
    ...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|import\(\s*(?:\/\*[^*]*\*\/\s*)?'([^']+)'\s*\)/g),
  ].map((m) => (m[1] ?? m[2])!);

const sources = (pkg: string) => walk(join(PACKAGES, pkg, 'src'));

describe('package and folder boundaries', () => {
  it('core imports no element, host or CLI code, no Lit and nothing outside core', () => {
    const wrong = sources('core').flatMap((file) =>
      importsOf(file)
        .filter(
          (spec) =>
            /^@ozg-forms\/(elements|server|cli)|^lit|^@lit\//.test(spec) ||
            (spec.startsWith('.') && !resolve(dirname(file), spec).startsWith(join(PACKAGES, 'core/src'))),
        )
        .map((spec) => `${relative(PACKAGES, file)} imports ${spec}`),
    );
    assert.deepEqual(wrong, []);
  });

  it('the host and the CLI import no element code', () => {
    const wrong = ['server', 'cli'].flatMap((pkg) =>
      sources(pkg).flatMap((file) =>
        importsOf(file)
          .filter((spec) => /^@ozg-forms\/elements|packages\/elements|\.\.\/\.\.\/elements/.test(spec))
          .map((spec) => `${relative(PACKAGES, file)} imports ${spec}`),
      ),
    );
    assert.deepEqual(wrong, []);
  });

  /** packages/elements/src: folder → the folders its files import (files at the top count as "."). */
  function folderGraph() {
    const root = join(PACKAGES, 'elements/src');
    const folderOf = (file: string) => relative(root, file).split('/').slice(0, -1)[0] ?? '.';
    const graph = new Map<string, Set<string>>();
    for (const file of sources('elements')) {
      const from = folderOf(file);
      if (relative(root, file) === 'index.ts') continue; // the entry registers every element
      for (const spec of importsOf(file).filter((s) => s.startsWith('.'))) {
        const to = folderOf(resolve(dirname(file), spec));
        if (to !== from) (graph.get(from) ?? graph.set(from, new Set()).get(from)!).add(to);
      }
    }
    return graph;
  }

  it('shared/ holds what several elements use and imports no element folder', () => {
    const graph = folderGraph();
    assert.deepEqual([...(graph.get('shared') ?? [])], []);
    assert.deepEqual([...(graph.get('.') ?? [])], [], 'nothing but index.ts at the top of src/');
  });

  it('payment/ and consent/ do not reach into antrag/', () => {
    const graph = folderGraph();
    for (const element of ['payment', 'consent']) assert.equal(graph.get(element)?.has('antrag') ?? false, false, `${element}/ imports antrag/`);
  });

  it('no two folders import each other, directly or around a loop', () => {
    const graph = folderGraph();
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (path.includes(node)) return void cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of graph.keys()) visit(node, []);
    assert.deepEqual([...new Set(cycles)], []);
  });
});
