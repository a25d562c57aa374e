/** `ozg-forms preview` in a child process, as an author starts it, with its output line by line. */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

export interface RunningPreview {
  url: string;
  /** Every line printed so far. */
  lines: string[];
  /** The first line from index `from` on that matches. */
  waitFor(pattern: RegExp, from?: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startPreview(serviceFile: string, args: string[] = []): Promise<RunningPreview> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'packages/cli/bin/ozg-forms.mjs'), 'preview', serviceFile, '--port', '0', '--host', '127.0.0.1', ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines: string[] = [];
  const waiters: Array<[RegExp, (line: string) => void]> = [];
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters])
      if (w[0].test(line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w[1](line);
      }
  });
  const waitFor = (pattern: RegExp, from = 0) =>
    new Promise<string>((done, fail) => {
      const seen = lines.slice(from).find((l) => pattern.test(l));
      if (seen) return done(seen);
      waiters.push([pattern, done]);
      void exited.then(() => fail(new Error(`preview exited before printing ${String(pattern)}:\n${lines.join('\n')}`)));
    });
  const url = (await waitFor(/^Preview: /)).slice('Preview: '.length);
  return {
    url,
    lines,
    waitFor,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      await exited;
    },
  };
}
