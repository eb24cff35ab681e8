/**
 * Virtual time for the polling benchmark: `setTimeout`, `setInterval`, their `clear*` and `Date.now` are
 * replaced by a scheduler whose clock jumps straight to the next due timer once the process has gone
 * quiet. A 10-minute prediction then takes milliseconds, and every request, poll and lag is exact: each
 * client and the fake (on its system clock, which looks these globals up on every call) see the same
 * time. Real I/O is not virtualised, so this is for in-process work only (the fake's `fetch`).
 *
 * "Quiet" is 8 consecutive `setImmediate` turns in which no timer was added or removed: a request
 * through the in-process fake settles in far fewer turns, and `setImmediate` itself is left real.
 */

interface Timer {
  id: number;
  due: number;
  seq: number;
  callback: (...args: unknown[]) => void;
  args: unknown[];
  delay: number;
  interval: number | undefined;
}

type TimerHandle = {
  [Symbol.toPrimitive](): number;
  ref(): TimerHandle;
  unref(): TimerHandle;
  hasRef(): boolean;
  refresh(): TimerHandle;
};

const QUIET_TURNS = 8;

export class VirtualTime {
  now: number;
  readonly #timers = new Map<number, Timer>();
  #nextId = 1;
  #seq = 0;
  #changes = 0;
  #restore: (() => void) | undefined;

  constructor(start = Date.now()) {
    this.now = start;
  }

  /** Replace the globals; `uninstall()` puts the real ones back. */
  install(): void {
    const saved = {
      setTimeout: globalThis.setTimeout,
      clearTimeout: globalThis.clearTimeout,
      setInterval: globalThis.setInterval,
      clearInterval: globalThis.clearInterval,
      now: Date.now,
    };
    const schedule = (callback: unknown, ms: unknown, args: unknown[], repeat: boolean) => {
      if (typeof callback !== 'function') throw new TypeError('callback must be a function');
      const delay = Math.max(0, Number(ms) || 0);
      const timer: Timer = {
        id: this.#nextId++,
        due: this.now + delay,
        seq: this.#seq++,
        callback: callback as Timer['callback'],
        args,
        delay,
        interval: repeat ? Math.max(1, delay) : undefined,
      };
      this.#timers.set(timer.id, timer);
      this.#changes++;
      return this.#handle(timer);
    };
    const clear = (handle: unknown) => {
      if (handle === undefined || handle === null) return;
      if (this.#timers.delete(Number(handle))) this.#changes++;
    };
    const patched = globalThis as unknown as Record<string, unknown>;
    patched.setTimeout = (callback: unknown, ms?: unknown, ...args: unknown[]) =>
      schedule(callback, ms, args, false);
    patched.setInterval = (callback: unknown, ms?: unknown, ...args: unknown[]) =>
      schedule(callback, ms, args, true);
    patched.clearTimeout = clear;
    patched.clearInterval = clear;
    Date.now = () => this.now;
    this.#restore = () => {
      Object.assign(globalThis, {
        setTimeout: saved.setTimeout,
        clearTimeout: saved.clearTimeout,
        setInterval: saved.setInterval,
        clearInterval: saved.clearInterval,
      });
      Date.now = saved.now;
    };
  }

  uninstall(): void {
    this.#restore?.();
    this.#restore = undefined;
  }

  /** Pending timers. */
  get pending(): number {
    return this.#timers.size;
  }

  /**
   * Run `task` to completion: let the process go quiet, fire the earliest timer (moving the clock to its
   * time), repeat. Throws if the task is still pending with nothing scheduled (it would never finish).
   */
  async run<T>(task: () => Promise<T>): Promise<T> {
    let settled = false;
    const promise = task().finally(() => {
      settled = true;
    });
    promise.catch(() => {});
    for (;;) {
      await this.#quiet(() => settled);
      if (settled) return promise;
      const next = this.#earliest();
      if (!next) throw new Error('virtual time: the task is pending with no timer scheduled');
      this.now = Math.max(this.now, next.due);
      if (next.interval === undefined) this.#timers.delete(next.id);
      else next.due += next.interval;
      this.#changes++;
      next.callback(...next.args);
    }
  }

  async #quiet(done: () => boolean): Promise<void> {
    let calm = 0;
    while (calm < QUIET_TURNS && !done()) {
      const before = this.#changes;
      await new Promise<void>((resolve) => setImmediate(resolve));
      calm = this.#changes === before ? calm + 1 : 0;
    }
  }

  #earliest(): Timer | undefined {
    let best: Timer | undefined;
    for (const timer of this.#timers.values()) {
      if (!best || timer.due < best.due || (timer.due === best.due && timer.seq < best.seq)) best = timer;
    }
    return best;
  }

  #handle(timer: Timer): TimerHandle {
    const handle: TimerHandle = {
      [Symbol.toPrimitive]: () => timer.id,
      ref: () => handle,
      unref: () => handle,
      hasRef: () => true,
      refresh: () => {
        timer.due = this.now + timer.delay;
        return handle;
      },
    };
    return handle;
  }
}
