#!/usr/bin/env node
/**
 * `npm run release`: the host as an operator installs it, outside any clone.
 *
 *   dist/release/ozg-forms-<version>/
 *     server/main.js   the host, compiled to one JavaScript file (core inside, npm packages outside)
 *     server/pdf-worker.js  the thread the host makes application PDFs in
 *     cli/main.js      the authoring CLI, likewise
 *     bundle/          the browser bundle (ozg-forms.js and its chunks)
 *     console/         the self-service console's bundle (served at /admin/)
 *     fonts/           DejaVu Sans (regular, bold) for the application PDF
 *     examples/        the example configuration (OZG_CONFIG_DIR points elsewhere in production)
 *     schemas/         the JSON Schemas the host and CLI check configuration against
 *     package.json     the runtime dependencies at the versions this clone tested, and a lockfile
 *   dist/release/ozg-forms-<version>.tgz
 *
 * `npm ci --omit=dev` in that folder and `node server/main.js` start the host: no tsx, no dev
 * dependency, no path into the clone. Every npm package the compiled code imports must be a
 * declared dependency of the package that imports it, or the build fails.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const readJson = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'));
const { version } = readJson('package.json');
const out = join(root, 'dist/release', `ozg-forms-${version}`);
const skipBundle = process.argv.includes('--skip-bundle');

const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: 'inherit' });

if (!skipBundle) {
  run('npm', ['run', 'build']); // the bundle, its manifest and declarations
}
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

/** The package an import names ("@fastify/multipart/x" → "@fastify/multipart"). */
const packageOf = (spec) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');
const manifests = Object.fromEntries(['core', 'server', 'cli'].map((p) => [`packages/${p}/`, readJson(`packages/${p}/package.json`)]));

/** npm packages stay outside the compiled file; our own workspace packages are compiled in. */
const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || args.path.startsWith('@ozg-forms/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const undeclared = [];
const used = new Map();
// The PDF worker thread is started from a file beside server/main.js (packages/server/src/pdf/pool.ts).
for (const [name, entry] of [
  ['server/main.js', 'packages/server/src/main.ts'],
  ['server/pdf-worker.js', 'packages/server/src/pdf/pdf-worker.ts'],
  ['cli/main.js', 'packages/cli/src/main.ts'],
]) {
  const result = await build({
    entryPoints: [join(root, entry)],
    outfile: join(out, name),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
    plugins: [externals],
    define: { __OZG_RELEASE__: 'true' },
    banner: { js: '#!/usr/bin/env node' },
  });
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    const owner = Object.keys(manifests).find((dir) => file.startsWith(dir));
    for (const imported of input.imports) {
      if (!imported.external || imported.path.startsWith('node:')) continue;
      const pkg = packageOf(imported.path);
      if (!owner || !manifests[owner].dependencies?.[pkg])
        undeclared.push(`${file} imports ${pkg}, which ${owner ?? 'its package'}package.json does not declare`);
      // The version npm installed for that package (nested under it, or hoisted to the root).
      const installed = [join(owner ?? '', 'node_modules', pkg, 'package.json'), join('node_modules', pkg, 'package.json')].find((f) =>
        existsSync(join(root, f)),
      );
      used.set(pkg, readJson(installed).version);
    }
  }
}
if (undeclared.length) {
  console.error(`release: undeclared dependencies:\n  ${[...new Set(undeclared)].join('\n  ')}`);
  process.exit(1);
}
// The CLI's main is a module that exports `main`; its bin calls it.
writeFileSync(
  join(out, 'cli/ozg-forms.js'),
  "#!/usr/bin/env node\nconst { main } = await import('./main.js');\nprocess.exitCode = await main(process.argv.slice(2));\n",
  { mode: 0o755 },
);

const bundleDir = join(root, 'packages/elements/dist');
if (!existsSync(join(bundleDir, 'ozg-forms.js'))) throw new Error('no bundle: run npm run build');
cpSync(bundleDir, join(out, 'bundle'), { recursive: true, filter: (src) => !src.endsWith('.d.ts') && !src.includes('/types') });
const consoleDir = join(root, 'packages/console/dist');
if (!existsSync(join(consoleDir, 'console.js'))) throw new Error('no console bundle: run npm run build');
cpSync(consoleDir, join(out, 'console'), { recursive: true });
cpSync(join(root, 'examples'), join(out, 'examples'), { recursive: true });
mkdirSync(join(out, 'fonts'), { recursive: true });
for (const font of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'LICENSE'])
  cpSync(join(root, 'node_modules/dejavu-fonts-ttf', font === 'LICENSE' ? font : `ttf/${font}`), join(out, 'fonts', font));
cpSync(join(root, 'schemas'), join(out, 'schemas'), { recursive: true });
for (const file of ['LICENSE', 'publiccode.yml']) if (existsSync(join(root, file))) cpSync(join(root, file), join(out, file));
mkdirSync(join(out, 'docs'));
for (const doc of ['operators.md', 'host.md', 'security.md', 'operations.md', 'deployment.md', 'console.md', 'glossary.md'])
  if (existsSync(join(root, 'docs', doc))) cpSync(join(root, 'docs', doc), join(out, 'docs', doc));

const pkg = {
  name: 'ozg-forms-host',
  version,
  description: 'ozg-forms central host (release build): serves forms to municipalities, receives and delivers applications.',
  license: 'EUPL-1.2',
  private: true,
  type: 'module',
  engines: readJson('package.json').engines,
  bin: { 'ozg-forms-host': './server/main.js', 'ozg-forms': './cli/ozg-forms.js' },
  scripts: { start: 'node server/main.js' },
  dependencies: Object.fromEntries([...used].sort(([a], [b]) => a.localeCompare(b))),
  // The same pins as the clone (e.g. light-my-request, see the root package.json).
  overrides: readJson('package.json').overrides,
};
writeFileSync(join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(
  join(out, 'README.md'),
  `# ozg-forms host ${version} (release build)\n\n` +
    '```sh\nnpm ci --omit=dev\nnode server/main.js        # the host with the example configuration on http://localhost:8080\n```\n\n' +
    'Configuration by environment (OZG_CONFIG_DIR, OZG_DATA_DIR, DATABASE_URL, OZG_PUBLIC_URL, …): docs/host.md.\n' +
    'Going live: docs/security.md. Operations, backups, several hosts: docs/operations.md.\n',
);
// The lockfile npm ci needs, resolved for exactly these versions.
run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], out);
run('tar', ['-czf', `${out}.tgz`, '-C', dirname(out), relative(dirname(out), out)]);
console.log(`release: ${relative(root, out)} and ${relative(root, out)}.tgz (${used.size} runtime dependencies)`);
