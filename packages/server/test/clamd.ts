/**
 * A real clamd for the tests (Debian's clamav-daemon), with a signature database made here:
 * one content signature for the EICAR test file, so nothing is downloaded (freshclam cannot
 * reach its mirrors from here, and the tests must not depend on it). Started on a Unix socket in
 * a temporary folder; undefined when clamd is not installed (the tests say they skipped).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClamdScanner } from '../src/scan/clamd.js';

/** The EICAR anti-virus test file: harmless, and every scanner must report it. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

export const CLAMD = ['/usr/sbin/clamd', '/usr/bin/clamd'].find((p) => existsSync(p));

export interface RunningClamd {
  socket: string;
  stop(): Promise<void>;
}

export async function startClamd(): Promise<RunningClamd | undefined> {
  if (!CLAMD) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'ozg-clamd-'));
  const db = join(dir, 'db');
  spawnSync('mkdir', ['-p', db]);
  // An extended (.ndb) signature: the EICAR string anywhere in any file (also inside a PDF).
  writeFileSync(join(db, 'ozg-test.ndb'), `Ozg.Test.EICAR:0:*:${Buffer.from(EICAR).toString('hex')}\n`);
  const socket = join(dir, 'clamd.sock');
  const config = join(dir, 'clamd.conf');
  writeFileSync(
    config,
    [
      `LocalSocket ${socket}`,
      `DatabaseDirectory ${db}`,
      'Foreground yes',
      `PidFile ${join(dir, 'clamd.pid')}`,
      `LogFile ${join(dir, 'clamd.log')}`,
      'StreamMaxLength 50M',
      ...(process.getuid?.() === 0 ? ['User root'] : []),
    ].join('\n'),
  );
  const child = spawn(CLAMD, [`--config-file=${config}`], { stdio: 'ignore' });
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  const scanner = new ClamdScanner(socket, 2_000);
  // Loading signatures takes a moment: ask until it answers PONG (bounded: 60 s).
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await scanner.ping();
      break;
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`clamd did not start: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    socket,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
