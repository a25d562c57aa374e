/**
 * Render first, validate when ready (issue 22): the form is shown before its validator (the
 * precompiled module, or ajv compiling) has arrived. This controller joins the validator to the
 * form when it comes, lets a check wait for it (saying so), and keeps its failure to be said —
 * with a retry that loads only the validator, so every answer stays.
 */
import type { FormState } from '@ozg-forms/core';
import type { ReactiveControllerHost } from 'lit';
import type { Loaded } from './load-form.js';

export class Rules {
  /** Why the validator could not be loaded (or the schema not compiled), if it could not. */
  failure?: unknown;
  /** A check is waiting for the validator. */
  waiting = false;
  private loaded?: Loaded;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly form: () => FormState | undefined,
    /** The failure, told to the page and the console once. */
    private readonly failed: (loaded: Loaded, err: unknown) => void,
  ) {}

  /** A new load: its validator joins the form when it arrives. */
  watch(loaded: Loaded) {
    this.loaded = loaded;
    this.failure = undefined;
    loaded.validatorReady?.then(
      (validator) => {
        loaded.validator = validator;
        if (this.loaded === loaded) this.form()?.setValidator(validator);
      },
      (err: unknown) => {
        if (this.loaded !== loaded) return;
        this.failure = err;
        this.host.requestUpdate();
        this.failed(loaded, err);
      },
    );
  }

  /** Waits for the validator (the status line says so meanwhile); false when it could not be loaded. */
  async ready(): Promise<boolean> {
    const ready = this.loaded?.validatorReady;
    if (!ready || this.form()?.hasValidator) return true;
    this.waiting = true;
    this.host.requestUpdate();
    try {
      await ready;
      return true;
    } catch {
      return false;
    } finally {
      this.waiting = false;
      this.host.requestUpdate();
    }
  }

  /** Settles when the validator is there or has failed. */
  async settled(): Promise<void> {
    await this.loaded?.validatorReady?.catch(() => undefined);
  }

  /** Loads the validator again after a failure; the form and its answers stay as they are. */
  retry() {
    const loaded = this.loaded;
    if (!loaded?.reloadValidator) return;
    loaded.validatorReady = loaded.reloadValidator();
    this.watch(loaded);
    this.host.requestUpdate();
  }
}
