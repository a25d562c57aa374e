/**
 * Signing in with a Nutzerkonto (BundID, a Land's account) in `<ozg-antrag>`, for services whose
 * definition has `login`: the offer (one button per provider the host offers this tenant), the
 * round trip (the answers are kept as a draft and come back at once), the exchange of the
 * one-time code for the session, the answers taken from the account ("Aus Ihrem Nutzerkonto",
 * read-only where the service says so), signing out and signing in with another account. Part
 * of the lazy views chunk.
 */
import {
  endSignIn,
  exchangeSignIn,
  signInReturn,
  signInStartUrl,
  signInUrl,
  withoutSignInReturn,
  type Application,
  type FormState,
  type Locale,
  type MessageKey,
  type MessageParams,
  type Notice,
  type SignIn,
  type SignInOffer,
} from '@ozg-forms/core';
import { html, nothing, type TemplateResult } from 'lit';
import { browserStorage } from '../shared/storage.js';

export interface SignInHost {
  app(): Application | undefined;
  form(): FormState | undefined;
  locale(): Locale;
  t(key: MessageKey, params?: MessageParams): string;
  say(notice: Notice | undefined): string | undefined;
  /** The host's submissions endpoint: the sign-in routes sit beside it. */
  endpoint(): string | undefined;
  tenant(): string | undefined;
  service(): string;
  /** Whether the tenant shows an element id (`sign-in`, `sign-in-other`). */
  shows(id: string): boolean;
  /** The account's answers changed what is shown (locked fields, marks). */
  changed(): void;
}

/** The session lives in the tab (sessionStorage): gone when it closes; never in localStorage with the draft. */
const storageKey = (tenant: string | undefined, service: string) => `ozg-forms:sign-in:${tenant ?? '-'}:${service}`;

export class AccountSignIn {
  offer?: SignInOffer;
  /** What to tell the citizen about the last sign-in (cancelled, failed, too low, signed out). */
  private notice?: { text: string; alert: boolean };
  private leaving = false;
  private started = false;
  /** After a refused or cancelled sign-in the provider is asked to sign in anew (its session may be the refused account). */
  private anew = false;

  constructor(private readonly h: SignInHost) {}

  /** The service this sign-in is for. */
  get service(): string {
    return this.h.service();
  }

  get signIn(): SignIn | undefined {
    return this.h.app()?.signIn;
  }

  /** Required and not signed in: the form waits behind the sign-in page. */
  get blocking(): boolean {
    return this.offer?.mode === 'required' && !this.signIn;
  }

  /** The pointers locked to the account's values, and every pointer the account filled. */
  get marks(): { locked: ReadonlySet<string>; fromAccount: ReadonlySet<string> } | undefined {
    const s = this.signIn;
    return s ? { locked: new Set(s.readOnly), fromAccount: new Set(Object.keys(s.prefill)) } : undefined;
  }

  /** Once per application: what the host offers, what came back in the address, or the session of this tab. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const endpoint = this.h.endpoint();
    const tenant = this.h.tenant();
    if (!endpoint || !tenant) return;
    const back = signInReturn(window.location.search);
    // A reload must not try the one-time code again, and the address should not keep it.
    if (back) history.replaceState(history.state, '', withoutSignInReturn(window.location.href));
    try {
      const answer = await fetch(`${signInUrl(endpoint, 'providers')}?${new URLSearchParams({ tenant, service: this.h.service() }).toString()}`, {
        headers: { accept: 'application/json' },
      });
      if (answer.ok) this.offer = (await answer.json()) as SignInOffer;
      else this.tell({ key: 'signIn.unavailable' }, true);
    } catch {
      this.tell({ key: 'signIn.unavailable' }, true);
    }
    if (back?.code) {
      const result = await exchangeSignIn(
        (url, init) => fetch(url, init as RequestInit),
        endpoint,
        { tenant, service: this.h.service(), code: back.code },
        this.h.locale(),
      );
      if ('session' in result) this.adopt(result, true);
      else this.tell(result, true);
    } else if (back?.error) {
      this.anew = true;
      if (back.error === 'level')
        this.tell({ key: 'signIn.level', params: { actual: this.levelName(back.level), required: this.levelName(this.offer?.level) } }, true);
      else this.tell({ key: back.error === 'cancelled' ? 'signIn.cancelled' : 'signIn.failed' }, back.error !== 'cancelled');
    } else this.restore();
    this.h.changed();
  }

  /** The session this tab signed in with before (a reload), while it holds. */
  private restore() {
    try {
      const raw = browserStorage('sessionStorage')?.getItem(storageKey(this.h.tenant(), this.h.service()));
      const saved = raw ? (JSON.parse(raw) as SignIn) : undefined;
      if (saved && Date.parse(saved.expiresAt) > Date.now()) this.adopt(saved, false);
    } catch {
      // nothing kept, or not readable: the citizen signs in again
    }
  }

  /** The account's answers go into the form: read-only ones always, editable ones where nothing was typed. */
  private adopt(signIn: SignIn, fresh: boolean) {
    const app = this.h.app();
    const form = this.h.form();
    if (!app) return;
    app.signIn = signIn;
    try {
      browserStorage('sessionStorage')?.setItem(storageKey(this.h.tenant(), this.h.service()), JSON.stringify(signIn));
    } catch {
      // kept in memory only
    }
    for (const [pointer, value] of Object.entries(signIn.prefill)) {
      const current = form?.getValue(pointer);
      if (signIn.readOnly.includes(pointer) || current === undefined || current === '' || (fresh && current === value))
        form?.setValue(pointer, value);
    }
    this.notice = undefined;
    app.save();
  }

  private tell(notice: Notice, alert: boolean) {
    const text = this.h.say(notice);
    this.notice = text ? { text, alert } : undefined;
  }

  private levelName(level: string | undefined) {
    return level === 'niedrig' || level === 'substanziell' || level === 'hoch' ? this.h.t(`signIn.level.${level}`) : (level ?? '–');
  }

  private label(id: string) {
    const provider = this.offer?.providers.find((p) => p.id === id);
    const locale = this.h.locale();
    return provider?.label[locale] ?? provider?.label.de ?? provider?.label.en ?? id;
  }

  /** To the provider (through the host); the draft comes back with the citizen. */
  private leave(provider: string, again: boolean) {
    const endpoint = this.h.endpoint();
    const tenant = this.h.tenant();
    const app = this.h.app();
    if (!endpoint || !tenant || !app || this.leaving) return;
    this.leaving = true;
    this.notice = { text: this.h.t('signIn.redirecting'), alert: false };
    this.h.changed();
    app.leaveForSignIn(
      signInStartUrl(endpoint, {
        tenant,
        service: this.h.service(),
        provider,
        returnUrl: withoutSignInReturn(window.location.href),
        again: again || this.anew,
      }),
    );
  }

  /** Ends the session here and at the host; the account's read-only answers leave the form with it. */
  async signOut(): Promise<void> {
    const app = this.h.app();
    const signIn = app?.signIn;
    if (!app || !signIn) return;
    app.signIn = undefined;
    try {
      browserStorage('sessionStorage')?.removeItem(storageKey(this.h.tenant(), this.h.service()));
    } catch {
      // nothing kept
    }
    const form = this.h.form();
    for (const pointer of signIn.readOnly) form?.setValue(pointer, undefined);
    app.save();
    this.tell({ key: 'signIn.signedOut' }, false);
    this.h.changed();
    const endpoint = this.h.endpoint();
    const tenant = this.h.tenant();
    if (endpoint && tenant) await endSignIn((url, init) => fetch(url, init as RequestInit), endpoint, tenant, signIn.session);
  }

  /** The host no longer knows the session: ask again, keep every answer. */
  forget() {
    try {
      browserStorage('sessionStorage')?.removeItem(storageKey(this.h.tenant(), this.h.service()));
    } catch {
      // nothing kept
    }
    this.notice = undefined;
    this.h.changed();
  }

  /** The panel above the form (or, where sign-in is required and missing, in its place). */
  render(): TemplateResult | typeof nothing {
    const { t } = this.h;
    const offer = this.offer;
    const notice = this.notice
      ? html`<p class=${this.notice.alert ? 'error-message sign-in-notice' : 'sign-in-notice'} role=${this.notice.alert ? 'alert' : 'status'}>
          ${this.notice.text}
        </p>`
      : nothing;
    if (!offer || offer.mode === 'none') return this.notice ? html`<div class="sign-in status-box" part="sign-in">${notice}</div>` : nothing;
    const signIn = this.signIn;
    if (signIn)
      return html`<div class="sign-in status-box" part="sign-in" role="region" aria-labelledby="ozg-sign-in-title">
        <p id="ozg-sign-in-title">${t('signIn.signedIn', { provider: this.label(signIn.provider), level: this.levelName(signIn.level) })}</p>
        ${notice}
        <div class="actions">
          <button type="button" class="button button--secondary sign-out" part="button" @click=${() => void this.signOut()}>
            ${t('signIn.signOut')}
          </button>
          ${
            this.h.shows('sign-in-other')
              ? html`<button
                  type="button"
                  class="button button--secondary sign-in-other"
                  part="button"
                  @click=${() => this.leave(signIn.provider, true)}
                >
                  ${t('signIn.other')}
                </button>`
              : nothing
          }
        </div>
      </div>`;
    if (offer.mode === 'optional' && !this.h.shows('sign-in')) return nothing;
    return html`<div class="sign-in status-box" part="sign-in" role="region" aria-labelledby="ozg-sign-in-title">
      <p id="ozg-sign-in-title"><strong>${t('signIn.title')}</strong></p>
      <p>${offer.mode === 'required' ? t('signIn.required', { level: this.levelName(offer.level) }) : t('signIn.optional')}</p>
      ${notice}
      <div class="actions">
        ${offer.providers.map(
          (p) =>
            html`<button
              type="button"
              class="button sign-in-provider"
              part="button"
              data-provider=${p.id}
              ?disabled=${this.leaving}
              @click=${() => this.leave(p.id, false)}
            >
              ${t('signIn.with', { provider: this.label(p.id) })}
            </button>`,
        )}
      </div>
    </div>`;
  }
}
