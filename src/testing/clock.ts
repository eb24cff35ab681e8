/**
 * The fake's notion of time. Every delay in the fake (cold starts, token pacing, `Prefer: wait`, webhook
 * throttling, rate-limit windows) is measured on one of these, so a test can run it in real time, under
 * vitest fake timers, or step by step.
 * @example
 * const fixed: FakeClock = { now: () => 0, sleep: () => new Promise(() => {}) }; // time that never moves
 */
export interface FakeClock {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
  /**
   * Resolve after `ms` milliseconds of this clock's time. Never rejects: an aborted `signal` resolves it early,
   * so racing sleeps leaves no unhandled rejections behind.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * A clock that only moves when the test says so.
 * @example
 * const clock: ManualClock = manualClock();
 * await clock.advance(1000);
 */
export interface ManualClock extends FakeClock {
  /**
   * Move time forward by `ms`, waking every sleeper whose time has come in order, and let the fake and the
   * client react (pending promises settle) after each step.
   */
  advance(ms: number): Promise<void>;
  /** Sleepers not yet woken (streams, held requests, webhook schedules). */
  readonly pending: number;
}

/**
 * Real time: `Date.now()` and `setTimeout`, looked up on every call rather than captured, so
 * `vi.useFakeTimers()` drives the fake too (`await vi.advanceTimersByTimeAsync(ms)`).
 * @example
 * const fake = createFakeReplicate({ clock: systemClock() });
 */
export function systemClock(): FakeClock {
  return {
    now: () => Date.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const done = () => {
          globalThis.clearTimeout(timer);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = globalThis.setTimeout(done, Math.max(0, ms));
        signal?.addEventListener('abort', done, { once: true });
      }),
  };
}

interface Sleeper {
  due: number;
  order: number;
  wake: () => void;
}

/**
 * Options of {@link manualClock}.
 * @example
 * manualClock({ start: new Date('2025-01-01T00:00:00Z') });
 */
export interface ManualClockOptions {
  /**
   * The starting time, ms since the epoch (or a `Date`). Real time by default so that webhook timestamps pass
   * a verifier's default tolerance.
   * @default Date.now() when the clock is made
   */
  start?: number | Date;
}

/**
 * A clock that stands still until `advance(ms)`: deterministic tests of waits, deadlines and streams.
 * @example
 * const clock = manualClock();
 * const fake = createFakeReplicate({ clock });
 * const prediction = await replicate.predictions.create({ model: 'acme/slow', input: {} });
 * await clock.advance(5_000);
 */
export function manualClock(options: ManualClockOptions = {}): ManualClock {
  const start = options.start instanceof Date ? options.start.getTime() : options.start;
  let now = start ?? Date.now();
  let order = 0;
  const sleepers: Sleeper[] = [];

  const remove = (sleeper: Sleeper) => {
    const index = sleepers.indexOf(sleeper);
    if (index >= 0) sleepers.splice(index, 1);
  };

  const clock: ManualClock = {
    now: () => now,
    get pending() {
      return sleepers.length;
    },
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const sleeper: Sleeper = {
          due: now + Math.max(0, ms),
          order: order++,
          wake: () => {
            remove(sleeper);
            signal?.removeEventListener('abort', sleeper.wake);
            resolve();
          },
        };
        sleepers.push(sleeper);
        signal?.addEventListener('abort', sleeper.wake, { once: true });
        if (ms <= 0) queueMicrotask(sleeper.wake);
      });
    },
    async advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`advance(ms): ms must be a non-negative number, got ${ms}`);
      const target = now + ms;
      const quiet = async () => {
        await settle();
        for (const settler of settlers.get(clock) ?? []) await settler();
        await settle();
      };
      await quiet();
      for (;;) {
        const next = earliest(sleepers, target);
        if (!next) break;
        now = Math.max(now, next.due);
        next.wake();
        await quiet();
      }
      now = target;
      await quiet();
    },
  };
  return clock;
}

const settlers = new WeakMap<FakeClock, Array<() => Promise<void>>>();

/**
 * Register work a manual clock must wait for after each step (the fake's webhook sends, which take Web
 * Crypto round trips), so everything scheduled at one instant happens before time moves on.
 */
export function onSettle(clock: FakeClock, settler: () => Promise<void>): void {
  settlers.set(clock, [...(settlers.get(clock) ?? []), settler]);
}

function earliest(sleepers: Sleeper[], target: number): Sleeper | undefined {
  let best: Sleeper | undefined;
  for (const sleeper of sleepers) {
    if (sleeper.due > target) continue;
    if (!best || sleeper.due < best.due || (sleeper.due === best.due && sleeper.order < best.order)) {
      best = sleeper;
    }
  }
  return best;
}

/**
 * Let promise chains run to a standstill: a few macrotask turns, enough for a request to travel from the
 * client through the fake and back (Web Crypto and stream reads resolve on later turns than microtasks).
 */
export async function settle(turns = 5): Promise<void> {
  for (let turn = 0; turn < turns; turn++) {
    await new Promise<void>((resolve) => {
      const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
      if (immediate) immediate(resolve);
      else globalThis.setTimeout(resolve, 0);
    });
  }
}
