// One minified ES module from a few lines of source resolved in bench/ (and the repository's
// node_modules): how the bench ships the plain-DOM floor and the validators it compares.
import { join } from 'node:path';
import { build } from 'esbuild';

export async function minifiedModule(contents: string): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: import.meta.dirname, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    nodePaths: [join(import.meta.dirname, '../node_modules')],
  });
  return result.outputFiles[0]!.text;
}
