/**
 * OpenID Connect (a Land's account, newer integrations) with openid-client: authorization code
 * flow with PKCE (S256), state and nonce; the ID token's signature, issuer, audience, nonce and
 * times are checked by the library; claims from the ID token and the userinfo endpoint.
 */
import * as client from 'openid-client';
import { claimsFromOidc, EIDAS, atLeast, levelOf, type Level } from './levels.js';
import type { Asserted, ProtocolAdapter } from './protocol.js';
import type { OidcProviderConfig } from '../host-config.js';

/** An OpenID provider's settings from host.json (secrets resolved); `allowHttp` for an issuer on this machine only (the demo provider). */
export type OidcSettings = Omit<OidcProviderConfig, 'type' | 'label'> & { allowHttp?: boolean };

export class OidcAdapter implements ProtocolAdapter {
  readonly protocol = 'oidc';
  #config: Promise<client.Configuration> | undefined;

  constructor(
    private readonly s: OidcSettings,
    private readonly callbackUrl: () => string,
  ) {}

  /** Discovery once, on first use (a provider down at the host's start is asked again later). */
  private config(): Promise<client.Configuration> {
    this.#config ??= client
      .discovery(
        new URL(this.s.issuer),
        this.s.clientId,
        this.s.clientSecret,
        undefined,
        this.s.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        this.#config = undefined;
        throw err;
      });
    return this.#config;
  }

  /** Without a `level` no `acr_values` are asked for (the console's staff sign-in: no eIDAS level). */
  async start(flowId: string, options: { level?: Level; again: boolean }) {
    const config = await this.config();
    const verifier = client.randomPKCECodeVerifier();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.callbackUrl(),
      scope: `openid ${this.s.scope ?? 'profile email address'}`,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: flowId,
      nonce,
      ...(options.level
        ? {
            acr_values: atLeast(options.level)
              .map((l) => EIDAS[l])
              .join(' '),
          }
        : {}),
      ...(options.again ? { prompt: 'login' } : {}),
    });
    return { url: url.href, state: { verifier, nonce } };
  }

  /** `callback`: the URL the provider sent the browser to (code, state or error). */
  async finish(callback: URL, flowId: string, state: Record<string, unknown>): Promise<Asserted> {
    const config = await this.config();
    const tokens = await client.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: String(state.verifier),
      expectedState: flowId,
      expectedNonce: String(state.nonce),
      idTokenExpected: true,
    });
    const idToken = tokens.claims()!;
    const userinfo = tokens.access_token ? await client.fetchUserInfo(config, tokens.access_token, idToken.sub) : {};
    return {
      subject: idToken.sub,
      level: levelOf(idToken.acr),
      claims: claimsFromOidc({ ...userinfo, ...idToken }),
      authenticatedAt: typeof idToken.auth_time === 'number' ? new Date(idToken.auth_time * 1000).toISOString() : new Date().toISOString(),
    };
  }
}
