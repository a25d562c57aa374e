/**
 * <ozg-console>: the self-service console at /admin/ — sign-in (or taking up an invitation), the
 * layers this account may edit, and for operators the accounts. German and English.
 */
import { html, LitElement, nothing } from 'lit';
import { api, setCsrf, type Message } from './api.js';
import { LayerEditor } from './layer-editor.js';
import { consoleStyles } from './styles.js';
import { say, type ConsoleLocale, type TextKey } from './texts.js';

interface Account {
  id: string;
  name: string;
  role: 'operator' | 'editor';
  tenants: string[];
}
interface Session {
  user: Account;
  csrf: string;
}
interface TenantSummary {
  id: string;
  name: string;
  extends?: string;
  version: number;
  draft: boolean;
}
interface UserRow extends Account {
  state: 'active' | 'invited' | 'locked';
}

export class OzgConsole extends LitElement {
  static override styles = consoleStyles;
  static override properties = {
    locale: { state: true },
    session: { state: true },
    checked: { state: true },
    invitation: { state: true },
    failure: { state: true },
    fieldErrors: { state: true },
    tenants: { state: true },
    tenant: { state: true },
    view: { state: true },
    users: { state: true },
    invited: { state: true },
    busy: { state: true },
    options: { state: true },
    signInError: { state: true },
  };

  declare locale: ConsoleLocale;
  declare session?: Session;
  declare checked: boolean;
  declare invitation?: string;
  declare failure?: Message;
  declare fieldErrors: Record<string, string>;
  declare tenants: TenantSummary[];
  declare tenant?: string;
  declare view: 'layer' | 'accounts';
  declare users?: UserRow[];
  declare invited?: { name: string; url: string };
  declare busy: boolean;
  declare options: { oidc?: { label: Record<string, string> } };
  declare signInError?: TextKey;

  constructor() {
    super();
    const stored = (() => {
      try {
        return localStorage.getItem('ozg-console-lang');
      } catch {
        return null;
      }
    })();
    this.locale = stored === 'en' ? 'en' : 'de';
    this.checked = false;
    this.fieldErrors = {};
    this.tenants = [];
    this.view = 'layer';
    this.busy = false;
    this.options = {};
    const invitation = /^#invitation=([\w-]{20,100})$/.exec(location.hash)?.[1];
    if (invitation) this.invitation = invitation;
    // Back from the organisation's OpenID provider without a session: why, said once.
    const error = /^#sign-in-error=(unknown|failed|expired|unavailable)$/.exec(location.hash)?.[1];
    if (error) {
      this.signInError = ({ unknown: 'oidcUnknown', failed: 'oidcFailed', expired: 'oidcExpired', unavailable: 'oidcUnavailable' } as const)[
        error as 'unknown'
      ];
      history.replaceState(null, '', location.pathname);
    }
  }

  private t = (key: TextKey, params?: Record<string, string | number>) => say(this.locale, key, params);

  override connectedCallback() {
    super.connectedCallback();
    document.documentElement.lang = this.locale;
    if (!this.invitation) void this.restore();
    else this.checked = true;
  }

  private async restore() {
    const options = await api<OzgConsole['options']>('GET', '/admin/api/sign-in-options');
    if (options.ok) this.options = options.data;
    const answer = await api<Session>('GET', '/admin/api/session');
    if (answer.ok) await this.signedIn(answer.data);
    else if (answer.status !== 401) this.failure = answer.message;
    this.checked = true;
  }

  private async signedIn(session: Session) {
    setCsrf(session.csrf);
    this.session = session;
    this.failure = undefined;
    await this.loadTenants();
    this.tenant =
      this.tenants.find((t) => t.id === this.tenant)?.id ?? this.tenants[this.tenants.length > 1 && session.user.role === 'editor' ? 0 : 0]?.id;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
  }

  private async loadTenants() {
    const answer = await api<{ tenants: TenantSummary[] }>('GET', '/admin/api/tenants');
    if (answer.ok) this.tenants = answer.data.tenants;
  }

  private toggleLanguage() {
    this.locale = this.locale === 'de' ? 'en' : 'de';
    document.documentElement.lang = this.locale;
    try {
      localStorage.setItem('ozg-console-lang', this.locale);
    } catch {
      // private mode: the choice holds for this page
    }
  }

  /** Checks the form's fields; the errors are listed (linked) and announced. */
  private validate(form: HTMLFormElement, rules: Record<string, (value: string) => TextKey | undefined>): Record<string, string> | undefined {
    const errors: Record<string, string> = {};
    for (const [id, rule] of Object.entries(rules)) {
      const input = form.querySelector<HTMLInputElement>(`#${id}`)!;
      const problem = rule(input.value);
      if (problem) errors[id] = this.t(problem);
    }
    this.fieldErrors = errors;
    return Object.keys(errors).length ? errors : undefined;
  }

  private async focusSummary() {
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#form-problems')?.focus();
  }

  private async signIn(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const required = (v: string): TextKey | undefined => (v.trim() ? undefined : 'fieldRequired');
    if (this.validate(form, { 'sign-in-name': required, 'sign-in-password': required })) return this.focusSummary();
    this.busy = true;
    const answer = await api<Session>('POST', '/admin/api/session', {
      name: form.querySelector<HTMLInputElement>('#sign-in-name')!.value.trim(),
      password: form.querySelector<HTMLInputElement>('#sign-in-password')!.value,
    });
    this.busy = false;
    if (!answer.ok) {
      this.failure = answer.message;
      return this.focusSummary();
    }
    await this.signedIn(answer.data);
  }

  private async acceptInvitation(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const first = form.querySelector<HTMLInputElement>('#new-password')!.value;
    if (
      this.validate(form, {
        'new-password': (v) => (v.length < 12 ? 'passwordShort' : undefined),
        'new-password-repeat': (v) => (v !== first ? 'passwordsDiffer' : undefined),
      })
    )
      return this.focusSummary();
    const answer = await api<Session>('POST', '/admin/api/invitation', { token: this.invitation, password: first });
    if (!answer.ok) {
      this.failure = answer.message;
      return this.focusSummary();
    }
    history.replaceState(null, '', location.pathname);
    this.invitation = undefined;
    await this.signedIn(answer.data);
  }

  private async signOut() {
    await api('DELETE', '/admin/api/session');
    this.session = undefined;
    this.tenants = [];
    this.tenant = undefined;
    this.view = 'layer';
  }

  private problems() {
    const fields = Object.entries(this.fieldErrors);
    if (!this.failure && !fields.length && !this.signInError) return nothing;
    return html`<div class="alert" id="form-problems" tabindex="-1" role="alert">
      ${this.signInError && !this.session ? html`<p>${this.t(this.signInError)}</p>` : nothing}
      ${this.failure ? html`<p>${this.failure[this.locale]}</p>` : nothing}
      ${
        fields.length
          ? html`<p>${this.t('problems')}</p>
              <ul>
                ${fields.map(([id, text]) => html`<li><a href=${`#${id}`} @click=${(e: Event) => this.focusField(e, id)}>${text}</a></li>`)}
              </ul>`
          : nothing
      }
    </div>`;
  }

  private focusField(e: Event, id: string) {
    e.preventDefault();
    this.renderRoot.querySelector<HTMLElement>(`#${id}`)?.focus();
  }

  private input(id: string, label: string, type: string, autocomplete: string, hint?: string) {
    const error = this.fieldErrors[id];
    return html`<label for=${id}>${label}</label>
      ${hint ? html`<p class="hint" id=${`${id}-hint`}>${hint}</p>` : nothing}
      ${error ? html`<p class="error-text" id=${`${id}-error`}>${error}</p>` : nothing}
      <input
        id=${id}
        type=${type}
        autocomplete=${autocomplete}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${[hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || nothing}
      />`;
  }

  private bar() {
    const user = this.session?.user;
    return html`<header class="bar">
      <span class="app">${this.t('appName')}</span>
      ${
        user
          ? html`<span
              >${this.t('signedInAs')} <strong>${user.name}</strong> (${this.t(user.role === 'operator' ? 'roleOperator' : 'roleEditor')})</span
            >`
          : nothing
      }
      <button type="button" class="link-button" lang=${this.locale === 'de' ? 'en' : 'de'} @click=${this.toggleLanguage}>
        ${this.t('switchLanguage')}
      </button>
      ${user ? html`<button type="button" class="link-button" @click=${this.signOut}>${this.t('signOut')}</button>` : nothing}
    </header>`;
  }

  private signInPage() {
    if (this.invitation)
      return html`<h1 tabindex="-1">${this.t('invitationTitle')}</h1>
        <p>${this.t('invitationIntro')}</p>
        ${this.problems()}
        <form novalidate @submit=${this.acceptInvitation}>
          ${this.input('new-password', this.t('password'), 'password', 'new-password', this.t('passwordRule'))}
          ${this.input('new-password-repeat', this.t('passwordRepeat'), 'password', 'new-password')}
          <p><button class="button" type="submit">${this.t('setPassword')}</button></p>
        </form>`;
    return html`<h1 tabindex="-1">${this.t('signInTitle')}</h1>
      <p>${this.t('signInIntro')}</p>
      ${this.problems()}
      <form novalidate @submit=${this.signIn}>
        ${this.input('sign-in-name', this.t('name'), 'text', 'username')}
        ${this.input('sign-in-password', this.t('password'), 'password', 'current-password')}
        <p><button class="button" type="submit" ?disabled=${this.busy}>${this.t('signIn')}</button></p>
      </form>
      ${
        this.options.oidc
          ? html`<p>${this.t('or')}</p>
              <p>
                <a class="button secondary" href="/admin/api/oidc/start"
                  >${this.t('signInWith', { label: this.options.oidc.label[this.locale] ?? this.options.oidc.label.de ?? '' })}</a
                >
              </p>`
          : nothing
      }`;
  }

  private choose() {
    if (this.tenants.length < 2 && this.session?.user.role !== 'operator') return nothing;
    return html`<div class="row">
      ${
        this.tenants.length > 1
          ? html`<label for="layer-choice">${this.t('chooseLayer')}</label>
              <select
                id="layer-choice"
                @change=${(e: Event) => {
                  this.tenant = (e.target as HTMLSelectElement).value;
                  this.view = 'layer';
                }}
              >
                ${this.tenants.map((t) => html`<option value=${t.id} ?selected=${t.id === this.tenant && this.view === 'layer'}>${t.name} (${t.id})</option>`)}
              </select>`
          : nothing
      }
      ${
        this.session?.user.role === 'operator'
          ? html`<button
              type="button"
              class="button secondary"
              aria-pressed=${this.view === 'accounts' ? 'true' : 'false'}
              @click=${this.showAccounts}
            >
              ${this.t('accounts')}
            </button>`
          : nothing
      }
    </div>`;
  }

  private showAccounts = async () => {
    this.view = 'accounts';
    this.invited = undefined;
    const answer = await api<{ users: UserRow[] }>('GET', '/admin/api/users');
    if (answer.ok) this.users = answer.data.users;
    else this.failure = answer.message;
  };

  private async invite(e: Event) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const name = form.querySelector<HTMLInputElement>('#invite-name')!.value.trim();
    const role = form.querySelector<HTMLSelectElement>('#invite-role')!.value as Account['role'];
    const tenants = [...form.querySelectorAll<HTMLInputElement>('input[name="invite-tenant"]:checked')].map((i) => i.value);
    if (this.validate(form, { 'invite-name': (v) => (/^[A-Za-z0-9._@-]{2,64}$/.test(v.trim()) ? undefined : 'fieldRequired') }))
      return this.focusSummary();
    const answer = await api<{ invitationUrl: string }>('POST', '/admin/api/users', { name, role, ...(role === 'editor' ? { tenants } : {}) });
    if (!answer.ok) {
      this.failure = answer.message;
      return this.focusSummary();
    }
    this.failure = undefined;
    this.invited = { name, url: answer.data.invitationUrl };
    await this.showAccounts();
    this.invited = { name, url: answer.data.invitationUrl };
  }

  private async removeUser(user: UserRow) {
    const answer = await api('DELETE', `/admin/api/users/${encodeURIComponent(user.id)}`);
    if (!answer.ok) this.failure = answer.message;
    await this.showAccounts();
  }

  private accounts() {
    const state = { active: this.t('stateActive'), invited: this.t('stateInvited'), locked: this.t('stateLocked') };
    return html`<h1 tabindex="-1">${this.t('accounts')}</h1>
      ${this.problems()}
      ${
        this.invited
          ? html`<div class="success" role="status">
              <label for="invitation-link">${this.t('invitationLink')}: ${this.invited.name}</label>
              <input id="invitation-link" type="text" readonly .value=${this.invited.url} />
            </div>`
          : nothing
      }
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">${this.t('name')}</th>
              <th scope="col">${this.t('role')}</th>
              <th scope="col">${this.t('layers')}</th>
              <th scope="col">${this.t('state')}</th>
              <th scope="col"><span class="visually-hidden">${this.t('deleteAccount', { name: '' })}</span></th>
            </tr>
          </thead>
          <tbody>
            ${(this.users ?? []).map(
              (u) =>
                html`<tr>
                  <td>${u.name}</td>
                  <td>${this.t(u.role === 'operator' ? 'roleOperator' : 'roleEditor')}</td>
                  <td>${u.role === 'operator' ? '*' : u.tenants.join(', ')}</td>
                  <td>${state[u.state]}</td>
                  <td>
                    ${
                      u.id === this.session?.user.id
                        ? nothing
                        : html`<button type="button" class="button secondary" @click=${() => this.removeUser(u)}>
                            ${this.t('deleteAccount', { name: u.name })}
                          </button>`
                    }
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <h2>${this.t('invite')}</h2>
      <form novalidate @submit=${this.invite}>
        ${this.input('invite-name', this.t('name'), 'text', 'off')}
        <label for="invite-role">${this.t('role')}</label>
        <select id="invite-role">
          <option value="editor">${this.t('roleEditor')}</option>
          <option value="operator">${this.t('roleOperator')}</option>
        </select>
        <fieldset>
          <legend>${this.t('tenantsOfEditor')}</legend>
          ${this.tenants.map((t) => html`<label class="check"><input type="checkbox" name="invite-tenant" value=${t.id} />${t.name} (${t.id})</label>`)}
        </fieldset>
        <p><button class="button" type="submit">${this.t('invite')}</button></p>
      </form>`;
  }

  override render() {
    if (!this.checked)
      return html`${this.bar()}
        <main><p>${this.t('loading')}</p></main>`;
    return html`${this.bar()}
      <main>
        ${
          !this.session
            ? this.signInPage()
            : html`${this.choose()}
              ${
                this.view === 'accounts'
                  ? this.accounts()
                  : this.tenant
                    ? html`<ozg-layer-editor
                        .tenant=${this.tenant}
                        .locale=${this.locale}
                        @layer-published=${() => void this.loadTenants()}
                      ></ozg-layer-editor>`
                    : nothing
              }`
        }
      </main>`;
  }
}

customElements.define('ozg-layer-editor', LayerEditor);
customElements.define('ozg-console', OzgConsole);
