/** What the console's tests share: the bootstrapped operator, and a host whose staff may sign in through an OpenID provider. */
import { join } from 'node:path';
import { startDemoIdp, type DemoIdp } from '../src/identity/demo-idp.js';
import { editJson, exampleConfig, freePort, startHost, type RunningHost } from './harness.js';

export const OPERATOR = { name: 'betrieb', password: 'ein-langes-betriebs-passwort' };
export const BOOTSTRAP = { OZG_ADMIN_BOOTSTRAP: `${OPERATOR.name}:${OPERATOR.password}` };

/**
 * A host with `console.oidc` in host.json pointing at the embedded OpenID provider, started in this
 * process and configured as a real provider would be (its secret through env:). Both stop together.
 */
export async function hostWithStaffOidc(): Promise<{ host: RunningHost; idp: DemoIdp; stop: () => Promise<void> }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const idp = await startDemoIdp({ host: '127.0.0.1', port: 0, redirectUris: [`${base}/admin/api/oidc/callback`], spMetadata: () => '' });
  const configDir = exampleConfig((dir) =>
    editJson(join(dir, 'host.json'), (h) => {
      h.console = {
        oidc: {
          label: { de: 'Dienstkonto', en: 'work account' },
          issuer: idp.oidc.issuer,
          clientId: idp.oidc.clientId,
          clientSecret: 'env:STAFF_OIDC_SECRET',
        },
      };
    }),
  );
  const host = await startHost({ configDir, env: { ...BOOTSTRAP, PORT: String(port), STAFF_OIDC_SECRET: idp.oidc.clientSecret } });
  return {
    host,
    idp,
    stop: async () => {
      await host.stop();
      await idp.close();
    },
  };
}
