import type { FakeClock } from './clock.js';

/**
 * Request rates the fake allows before answering 429.
 * @example
 * createFakeReplicate({ rateLimit: { creates: 2, windowMs: 60_000 } }); // the third create in a minute gets 429
 */
export interface RateLimitOptions {
  /**
   * Prediction creates allowed per window (Replicate: 600 a minute).
   * @default 600
   */
  creates?: number;
  /**
   * Other API requests allowed per window (Replicate: 3000 a minute).
   * @default 3000
   */
  requests?: number;
  /**
   * The window, in ms: the budget refills evenly over it.
   * @default 60000
   */
  windowMs?: number;
}

/** The outcome of spending one request: the headers to send, and whether it was throttled. */
export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
  /** Seconds until a request would be allowed again (throttled requests only). */
  retryAfter?: number;
}

interface Bucket {
  capacity: number;
  tokens: number;
  updated: number;
}

/**
 * Token buckets, one for creates and one for everything else, as Replicate's limits behave: bursts up to
 * the limit, refilled continuously. Sends `ratelimit-remaining` and `ratelimit-reset` (seconds until the
 * next token) on every API response, like the recorded traffic.
 */
export class RateLimiter {
  readonly #clock: FakeClock;
  readonly #windowMs: number;
  readonly #buckets: Record<'create' | 'other', Bucket>;

  constructor(clock: FakeClock, options: RateLimitOptions = {}) {
    this.#clock = clock;
    this.#windowMs = options.windowMs ?? 60_000;
    const now = clock.now();
    const bucket = (capacity: number): Bucket => ({ capacity, tokens: capacity, updated: now });
    this.#buckets = { create: bucket(options.creates ?? 600), other: bucket(options.requests ?? 3000) };
  }

  /** Spend one request of a kind. */
  take(kind: 'create' | 'other'): RateDecision {
    const bucket = this.#buckets[kind];
    const now = this.#clock.now();
    const perMs = bucket.capacity / this.#windowMs;
    bucket.tokens = Math.min(bucket.capacity, bucket.tokens + (now - bucket.updated) * perMs);
    bucket.updated = now;
    const refillSeconds = (missing: number) => Math.max(1, Math.ceil(missing / perMs / 1000));
    if (bucket.tokens < 1) {
      const retryAfter = refillSeconds(1 - bucket.tokens);
      return {
        allowed: false,
        retryAfter,
        headers: { 'ratelimit-remaining': '0', 'ratelimit-reset': String(retryAfter) },
      };
    }
    bucket.tokens -= 1;
    return {
      allowed: true,
      headers: {
        'ratelimit-remaining': String(Math.floor(bucket.tokens)),
        'ratelimit-reset': String(refillSeconds(1)),
      },
    };
  }
}
