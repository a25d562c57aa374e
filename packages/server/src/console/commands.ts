/**
 * The console's command line (`ozg-forms-host config …`, `ozg-forms-host users …`), for operators
 * who automate or keep their configuration in git. Works on the database directly (with SQLite
 * while no host runs on the same data folder; with PostgreSQL at any time).
 */
import { openStore } from '../index.js';
import type { HostSettings } from '../settings.js';
import { Accounts, NAME } from './accounts.js';
import { exportLayers, importLayers } from './layers.js';
import { invitationUrl } from './routes.js';

const USAGE = `usage:
  ozg-forms-host config import <folder>     publish the layers of <folder>/tenants/ that differ from the database's
  ozg-forms-host config export <folder>     write the published layers (and uploaded logos) to <folder>/tenants/
  ozg-forms-host users add --name <name> --tenant <id> [--tenant <id> …]    invite an editor of these layers
  ozg-forms-host users add --name <name> --role operator                    invite an operator
  ozg-forms-host users list`;

export async function consoleCommand(args: string[], settings: HostSettings, print: (line: string) => void): Promise<void> {
  const [topic, verb, ...rest] = args;
  const option = (name: string) => rest.flatMap((a, i) => (a === `--${name}` && rest[i + 1] ? [rest[i + 1]!] : []));
  const store = await openStore(settings);
  try {
    if (topic === 'config' && (verb === 'import' || verb === 'export') && rest[0]) {
      if (verb === 'export') {
        const written = await exportLayers(store, rest[0]);
        print(`exported ${written.length} layers to ${rest[0]}/tenants/: ${written.join(', ')}`);
        return;
      }
      const { published, unchanged, problems } = await importLayers(store, rest[0]);
      for (const p of problems) print(`skipped ${p.file}: ${p.en}`);
      print(`published: ${published.join(', ') || 'none'}; unchanged: ${unchanged.join(', ') || 'none'}`);
      print('running hosts serve the new layers within OZG_CONFIG_POLL_SECONDS (default 5 s)');
      return;
    }
    if (topic === 'users' && verb === 'list') {
      for (const u of await store.console.users())
        print(`${u.name}\t${u.role}\t${u.role === 'operator' ? '*' : u.tenants.join(',')}\t${u.passwordHash ? 'active' : 'invited'}`);
      return;
    }
    if (topic === 'users' && verb === 'add') {
      const name = option('name')[0];
      const role = option('role')[0] === 'operator' ? 'operator' : 'editor';
      const tenants = option('tenant');
      if (!name || !NAME.test(name)) throw new Error(`--name: letters, digits, ".", "_", "@", "-" (2–64)\n${USAGE}`);
      if (role === 'editor' && tenants.length === 0) throw new Error(`an editor needs --tenant <id>\n${USAGE}`);
      const known = new Set((await store.console.currentLayers()).map((l) => l.tenant));
      const unknown = tenants.filter((t) => !known.has(t));
      if (unknown.length) throw new Error(`no such layers: ${unknown.join(', ')}`);
      const invited = await new Accounts(store.console, settings.console).invite({ name, role, tenants }, 'command line');
      if (!invited) throw new Error(`the name "${name}" is taken`);
      await store.audit({
        at: new Date().toISOString(),
        tenant: tenants[0] ?? '*',
        actor: 'command line',
        action: 'user-invite',
        detail: `${name} (${role})`,
      });
      const base = settings.publicUrl ?? `http://localhost:${settings.port}`;
      print(`Invitation for ${name} (${role}${tenants.length ? `: ${tenants.join(', ')}` : ''}), valid until ${invited.user.invitationExpiresAt}.`);
      print('Give the link to its holder once; it sets their password:');
      print('');
      print(`  ${invitationUrl(base, invited.token)}`);
      return;
    }
    throw new Error(USAGE);
  } finally {
    await store.close();
  }
}
