import { afterEach, beforeEach, vi } from 'vitest';

/** Fake timers starting at `now` around every test of the file that calls this at its top level. */
export function useFakeClock(now: number): void {
  beforeEach(() => {
    vi.useFakeTimers({ now });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
