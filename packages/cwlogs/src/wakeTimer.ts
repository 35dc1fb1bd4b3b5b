import type { Clock } from './clock';

/**
 * The batcher's single timer: it wakes the pump at the earliest delivery deadline or retry time.
 * One timer for all streams, re-armed only when the wake-up time changes; never keeps the process alive
 * (the clock's timers are unref'd).
 */
export class WakeTimer {
  private handle: unknown;
  /** When the armed timer fires; +∞ when none is armed. */
  at = Number.POSITIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly onWake: () => void,
  ) {}

  /** Arms for `at` (replacing any armed time); +∞ disarms. */
  set(at: number): void {
    if (at === this.at && this.handle !== undefined) return;
    this.clear();
    if (at === Number.POSITIVE_INFINITY) return;
    this.at = at;
    this.handle = this.clock.setTimeout(
      () => {
        this.handle = undefined;
        this.at = Number.POSITIVE_INFINITY;
        this.onWake();
      },
      Math.max(0, at - this.clock.now()),
    );
  }

  /** Arms for `at` only when that is earlier than what is armed. */
  setIfEarlier(at: number): void {
    if (at < this.at) this.set(at);
  }

  clear(): void {
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
    this.at = Number.POSITIVE_INFINITY;
  }
}
