/**
 * The published element package (issue 17): `npm pack` of @ozg-forms/elements carries the
 * built bundle, its declarations, the custom-elements manifest and the JSX typings — nothing
 * from sources, tests or stories — and a TypeScript project outside the clone that installs the
 * tarball type-checks against it (a wrong attribute type is an error there).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const PKG = join(ROOT, 'packages/elements');
const built = existsSync(join(PKG, 'dist/jsx.d.ts')) && existsSync(join(PKG, 'custom-elements.json'));

describe('the @ozg-forms/elements package', { skip: built ? false : 'run npm run build first' }, () => {
  let place: string;
  let files: string[];
  let tarball: string;

  before(() => {
    place = mkdtempSync(join(tmpdir(), 'ozg-pack-'));
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', place], { cwd: PKG, encoding: 'utf8' })) as Array<{
      filename: string;
      files: Array<{ path: string }>;
    }>;
    files = packed!.files.map((f) => f.path);
    tarball = join(place, packed!.filename);
  });
  after(() => rmSync(place, { recursive: true, force: true }));

  it('contains what a consumer needs and nothing else', () => {
    const manifest = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8')) as Record<string, unknown>;
    for (const required of [
      'package.json',
      'LICENSE',
      'CHANGELOG.md',
      'custom-elements.json',
      'dist/ozg-forms.js',
      'dist/types/elements/src/index.d.ts',
      'dist/types/core/src/index.d.ts',
      'dist/jsx.d.ts',
      'dist/jsx-react.d.ts',
    ])
      assert.ok(files.includes(required), `${required} is in the package`);
    assert.ok(
      files.some((f) => /^dist\/chunks\/views-[\w-]+\.js$/.test(f)),
      'the lazy chunks are in the package',
    );
    assert.deepEqual(
      files.filter((f) => /(^src\/|^test\/|\.stories\.|\.test\.|tsconfig|\.ts$)/.test(f) && !f.endsWith('.d.ts')),
      [],
      'no sources, tests or stories',
    );
    assert.equal(manifest.customElements, 'custom-elements.json');
    assert.ok(Array.isArray(manifest.sideEffects), 'sideEffects declared');
    const exported = (manifest.exports as Record<string, Record<string, string>>)['.']!;
    assert.ok(files.includes(exported.default!.replace(/^\.\//, '')) && files.includes(exported.types!.replace(/^\.\//, '')));
  });

  it('loads the first view without chains: the entry and the views chunk import no further chunk', () => {
    // A chunk imported statically is found only once its importer has arrived: a round trip each
    // before the form shows (issue 22; vite.config.ts keeps such shared modules in the entry).
    const dist = join(PKG, 'dist');
    const staticImports = (file: string) => [...readFileSync(join(dist, file), 'utf8').matchAll(/from\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(staticImports('ozg-forms.js'), []);
    const views = files.find((f) => /^dist\/chunks\/views-[\w-]+\.js$/.test(f))!.slice('dist/'.length);
    assert.deepEqual(
      staticImports(views).filter((f) => f !== '../ozg-forms.js'),
      [],
    );
  });

  it('type-checks a framework project that uses the elements, and catches a wrong attribute', () => {
    const project = join(place, 'app');
    mkdirSync(join(project, 'node_modules/@ozg-forms'), { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', join(project, 'node_modules/@ozg-forms')]);
    execFileSync('mv', [join(project, 'node_modules/@ozg-forms/package'), join(project, 'node_modules/@ozg-forms/elements')]);
    // Its one dependency (for the declarations), as npm would install it.
    for (const dep of ['lit', 'lit-html', 'lit-element', '@lit/reactive-element']) {
      mkdirSync(dirname(join(project, 'node_modules', dep)), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', dep), join(project, 'node_modules', dep));
    }
    const tsc = (source: string) => {
      writeFileSync(join(project, 'app.tsx'), source);
      try {
        execFileSync(
          process.execPath,
          [
            join(ROOT, 'node_modules/typescript/bin/tsc'),
            '--noEmit',
            '--strict',
            '--jsx',
            'preserve',
            '--lib',
            'es2022,dom',
            '--module',
            'esnext',
            '--moduleResolution',
            'bundler',
            'app.tsx',
          ],
          { cwd: project, encoding: 'utf8' },
        );
        return '';
      } catch (err) {
        return String((err as { stdout?: string }).stdout);
      }
    };
    const app = (headingLevel: string) => `import { OzgAntrag } from '@ozg-forms/elements';
import type {} from '@ozg-forms/elements/jsx';
const form: OzgAntrag = document.createElement('ozg-antrag');
form.service = 'hundeanmeldung';
export const view = <ozg-antrag service="hundeanmeldung" tenant="stadt-musterstadt" heading-level=${headingLevel} onozg-submit={(e: CustomEvent) => e.detail} />;
`;
    assert.equal(tsc(app('{2}')), '');
    assert.match(tsc(app('"zwei"')), /heading-level/);
  });
});
