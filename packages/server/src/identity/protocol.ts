/** What each sign-in protocol does for the host, and what it hands back. */
import type { Claims, Level } from './levels.js';

/** What a provider asserted about the person, in the host's words. */
export interface Asserted {
  /** The provider's subject (OIDC `sub`, BundID's bPK2 or NameID): pseudonymised before it is stored. */
  subject: string;
  /** Undefined: below every level a service may ask for, or not stated. */
  level: Level | undefined;
  claims: Claims;
  authenticatedAt: string;
}

export interface ProtocolAdapter {
  readonly protocol: 'oidc' | 'saml';
  /** The provider's URL to send the browser to, and what the host must remember until it returns. */
  start(flowId: string, options: { level: Level; again: boolean }): Promise<{ url: string; state: Record<string, unknown> }>;
}
