/**
 * When `<ozg-antrag>` keeps the draft: typing saves at most every {@link DRAFT_DELAY} ms
 * (serialising every answer on every key is wasted work); leaving the page (pagehide, the tab
 * hidden), removing the element or moving to another step saves at once.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export const DRAFT_DELAY = 400;

export class DraftTimer implements ReactiveController {
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    host: ReactiveControllerHost,
    private readonly save: () => void,
  ) {
    host.addController(this);
  }

  /** Something changed: save soon. */
  schedule() {
    this.timer ??= setTimeout(this.flush, DRAFT_DELAY);
  }

  /** Saving now: nothing is left pending. */
  cancel() {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Saves now if a save is pending. */
  readonly flush = () => {
    if (this.timer === undefined) return;
    this.cancel();
    this.save();
  };

  hostConnected() {
    window.addEventListener('pagehide', this.flush);
    document.addEventListener('visibilitychange', this.flush);
  }

  hostDisconnected() {
    window.removeEventListener('pagehide', this.flush);
    document.removeEventListener('visibilitychange', this.flush);
    this.flush();
  }
}
