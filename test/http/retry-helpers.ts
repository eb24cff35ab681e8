/** Shared by the retry tests: a client on the msw fake API, canned replies, and fake timers from NOW. */
import { afterEach, beforeEach, vi } from 'vitest';
import { Replicate, type ReplicateOptions } from '../../src/index';
import { prediction } from '../helpers/fixtures';
import { BASE, calls, json, problem } from '../helpers/server';

export const NOW = new Date('2025-01-01T00:00:00Z');
/** Longer than any schedule below: whatever is still pending after this is a hang or a busy loop. */
const DRAIN = 10 * 60_000;

export const client = (options: ReplicateOptions = {}) =>
  new Replicate({ auth: 'r8_test', baseUrl: BASE, ...options });
export const ok = () => json(prediction({ id: 'abc', status: 'succeeded' }));
export const created = () => json(prediction(), { status: 201 });
export const fail = (status: number, headers: Record<string, string> = {}) =>
  problem(status, { title: `status ${status}`, detail: `failed with ${status}` }, headers);
export const noContent = () => new Response(null, { status: 204 });

/** Milliseconds between consecutive requests, from the fake clock. */
export const gaps = () => calls.slice(1).map((call, index) => call.time - calls[index]!.time);

/** Run `call` to completion with fake timers and report how it settled. */
export async function settle<T>(call: () => Promise<T>) {
  const promise = call().then(
    (value) => ({ value, error: undefined, at: Date.now() }),
    (error: unknown) => ({ value: undefined, error, at: Date.now() }),
  );
  await vi.advanceTimersByTimeAsync(DRAIN);
  return promise;
}

/**
 * The retry policy's equal jitter `d/2 + random · d/2`, floored as the fake clock floors fractional timeouts. With a
 * random of 0.999999 this is one millisecond short of the full delay.
 */
export const jittered = (delay: number, random: number) => Math.floor(delay / 2 + (random * delay) / 2);

/** Fake timers from NOW for every test of the file that calls this. */
export function useRetryClock(): void {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}
