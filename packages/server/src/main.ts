/**
 * `npm start` / `ozg-forms-host`: the central host on http://localhost:8080 (PORT, HOST and the
 * rest: docs/host.md). `ozg-forms-host token [label]` prints a new operator token (256 bits) and
 * the host.json entry that stores its SHA-256; `ozg-forms-host backup <file>` writes a consistent
 * copy of the database (docs/operations.md); `ozg-forms-host snippet [service] [tenant]` prints the
 * snippet a webmaster pastes (the pinned bundle with its integrity); `config import|export <folder>`
 * and `users add --name <n> (--tenant <id>… | --role operator)` manage the console's layers and
 * accounts in the database (docs/console.md).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { backup } from './backup.js';
import { embedSnippet, sri } from './embed.js';
import { settingsFromEnv, startHost } from './index.js';
import { VERSION } from './settings.js';
import { consoleCommand } from './console/commands.js';

if (process.argv[2] === 'token') {
  const label = process.argv.slice(3).join(' ') || 'default';
  const token = randomBytes(32).toString('base64url');
  const sha256 = createHash('sha256').update(token).digest('hex');
  process.stdout.write(
    `Operator token (give it to its holder once; the host keeps only its hash):\n\n  ${token}\n\n` +
      `host.json, under tenants.<tenant>:\n\n  "operatorTokens": [{ "label": ${JSON.stringify(label)}, "sha256": "${sha256}" }]\n`,
  );
  process.exit(0);
}

if (process.argv[2] === 'snippet') {
  const settings = settingsFromEnv();
  const entry = join(settings.bundleDir, 'ozg-forms.js');
  if (!existsSync(entry)) {
    console.error(`no bundle in ${settings.bundleDir} (npm run build)`);
    process.exit(1);
  }
  const base = settings.publicUrl ?? `http://localhost:${settings.port}`;
  const [service, tenant] = process.argv.slice(3);
  process.stdout.write(
    `${embedSnippet(base, VERSION, sri(readFileSync(entry)), { ...(service ? { service } : {}), ...(tenant ? { tenant } : {}) }).html}\n`,
  );
  process.exit(0);
}

// Everything the host writes (database, journal, mail copies, backups) is for its own user only.
process.umask(0o077);

if (process.argv[2] === 'backup') {
  try {
    if (!process.argv[3]) throw new Error('usage: ozg-forms-host backup <file>');
    process.stdout.write(`backup written: ${backup(settingsFromEnv(), process.argv[3])}\n`);
    process.exit(0);
  } catch (err) {
    console.error(`backup failed: ${(err as Error).message}`);
    process.exit(1);
  }
}
if (process.argv[2] === 'config' || process.argv[2] === 'users') {
  try {
    await consoleCommand(process.argv.slice(2), settingsFromEnv(), (line) => process.stdout.write(`${line}\n`));
    process.exit(0);
  } catch (err) {
    console.error(`ozg-forms-host ${process.argv[2]}: ${(err as Error).message}`);
    process.exit(1);
  }
}
try {
  const host = await startHost();
  const stop = async (signal: string) => {
    host.log.info({ signal }, 'stopping');
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
} catch (err) {
  console.error(`ozg-forms host could not start: ${(err as Error).message}`);
  process.exit(1);
}
