/**
 * Drafts: what the citizen typed, kept in the browser (per tenant and service) so that a
 * reload, a closed tab or a lost connection loses nothing. Nothing is kept in terminal mode
 * (public devices), and nothing survives a successful submission.
 */
import type { ConsentRecord } from './submission.js';

export interface Draft {
  version: 1;
  savedAt: string;
  data: Record<string, unknown>;
  /** Where the citizen was: a step index, 'summary', or 'payment'. */
  position?: number | 'summary' | 'payment';
  /**
   * The application was stored by the host to be paid for: the citizen went to a payment
   * provider. On return the form resumes at the payment step and asks the host how it went.
   */
  payment?: true;
  /** The citizen went to an identity provider to sign in: on return the form resumes where it was, without asking. */
  signingIn?: true;
  idempotencyKey: string;
  consent?: ConsentRecord;
}

/** The part of the Web Storage API a draft needs (localStorage in browsers; a Map-backed stand-in in tests). */
export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function draftKey(tenant: string | undefined, form: string): string {
  return `ozg-forms:draft:${tenant ?? '-'}:${form}`;
}

export class DraftStore {
  constructor(
    private readonly storage: DraftStorage | undefined,
    private readonly key: string,
  ) {}

  load(): Draft | undefined {
    try {
      const raw = this.storage?.getItem(this.key);
      if (!raw) return undefined;
      const draft = JSON.parse(raw) as Draft;
      return draft.version === 1 && typeof draft.data === 'object' && typeof draft.idempotencyKey === 'string' ? draft : undefined;
    } catch {
      return undefined;
    }
  }

  /** Returns whether the draft could be kept (storage may be full or forbidden). */
  save(draft: Omit<Draft, 'version' | 'savedAt'>): boolean {
    try {
      this.storage?.setItem(this.key, JSON.stringify({ version: 1, savedAt: new Date().toISOString(), ...draft }));
      return !!this.storage;
    } catch {
      return false;
    }
  }

  clear() {
    try {
      this.storage?.removeItem(this.key);
    } catch {
      // nothing to do: a storage we cannot write holds nothing of ours
    }
  }
}
