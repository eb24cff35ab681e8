import { InvalidRequestError } from '../errors.js';

/**
 * Client-side rate limits: calls wait in a queue instead of meeting a 429. Each limit is a token bucket
 * that holds up to a minute's budget and refills evenly, as Replicate's own limits behave.
 * @example
 * const replicate = new Replicate({ rateLimit: { createsPerMinute: 600, requestsPerMinute: 3000 } });
 */
export interface RateLimitOptions {
  /**
   * API requests per minute other than prediction creates (Replicate allows 3000); also the limit of
   * creates when `createsPerMinute` is not set. Streams and file downloads from other hosts are not counted.
   * @default no limit
   */
  requestsPerMinute?: number | undefined;
  /**
   * Prediction creates per minute (`POST …/predictions`; Replicate allows 600), a budget of their own.
   * @default `requestsPerMinute`, shared with the other requests
   */
  createsPerMinute?: number | undefined;
  /**
   * Language-model tokens per minute for chat completions: each choice reserves its estimated prompt tokens plus
   * its token limit before its prediction is created, and is charged what Replicate reports (else the estimate)
   * when it ends. A reservation larger than the whole budget waits for a full bucket.
   * @default no limit
   */
  tokensPerMinute?: number | undefined;
  /**
   * Most requests of a kind that may go at once after a quiet spell (the bucket size). Lower it to spread
   * calls evenly; tokens always burst up to `tokensPerMinute`.
   * @default the per-minute limit
   */
  burst?: number | undefined;
}

interface Waiter {
  cost: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/**
 * One token bucket with a first-in-first-out queue. A single timer runs only while someone waits, set
 * for the moment the head of the queue can go: no polling, nothing left behind when idle.
 */
export class Bucket {
  readonly capacity: number;
  readonly #perMs: number;
  #level: number;
  #updated: number;
  readonly #queue: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(perMinute: number, capacity = perMinute) {
    this.capacity = capacity;
    this.#perMs = perMinute / 60_000;
    this.#level = capacity;
    this.#updated = Date.now();
  }

  /** Calls waiting in the queue. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Take `cost` units (at most the capacity), waiting in line; an abort removes the call and rejects with its reason. */
  take(cost: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    const units = Math.min(cost, this.capacity);
    this.#refill();
    if (this.#queue.length === 0 && this.#level >= units) {
      this.#level -= units;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { cost: units, resolve, reject, signal, onAbort: () => this.#drop(waiter) };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.#queue.push(waiter);
      this.#schedule();
    });
  }

  /** Charge (positive) or refund (negative) units after the fact; the level may go into debt down to -capacity. */
  adjust(units: number): void {
    this.#refill();
    this.#level = Math.max(-this.capacity, Math.min(this.capacity, this.#level - units));
    this.#drain();
  }

  #refill(): void {
    const now = Date.now();
    this.#level = Math.min(this.capacity, this.#level + (now - this.#updated) * this.#perMs);
    this.#updated = now;
  }

  #drain(): void {
    this.#refill();
    for (let head = this.#queue[0]; head && this.#level >= head.cost; head = this.#queue[0]) {
      this.#queue.shift();
      this.#level -= head.cost;
      head.signal?.removeEventListener('abort', head.onAbort);
      head.resolve();
    }
    this.#schedule();
  }

  #drop(waiter: Waiter): void {
    const index = this.#queue.indexOf(waiter);
    if (index === -1) return;
    this.#queue.splice(index, 1);
    waiter.reject(waiter.signal?.reason);
    // The head may have changed (or the queue emptied): reschedule, or drain what now fits.
    this.#drain();
  }

  #schedule(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const head = this.#queue[0];
    if (!head) return;
    const wait = Math.max(1, Math.ceil((head.cost - this.#level) / this.#perMs));
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#drain();
    }, wait);
  }
}

/** What a request counts against. */
export type RequestKind = 'create' | 'other';

/** The buckets of a client's `rateLimit`, built from its options. */
export class RateLimiter {
  readonly #requests: Bucket | undefined;
  readonly #creates: Bucket | undefined;
  /** The chat token budget, when `tokensPerMinute` is set. */
  readonly tokens: Bucket | undefined;

  constructor(options: RateLimitOptions) {
    const bucket = (field: keyof RateLimitOptions, perMinute: number | undefined, burst?: number) => {
      if (perMinute === undefined) return undefined;
      checkPositive(field, perMinute);
      if (burst !== undefined) checkPositive('burst', burst);
      return new Bucket(perMinute, burst === undefined ? perMinute : Math.min(burst, perMinute));
    };
    this.#requests = bucket('requestsPerMinute', options.requestsPerMinute, options.burst);
    this.#creates = bucket('createsPerMinute', options.createsPerMinute, options.burst) ?? this.#requests;
    this.tokens = bucket('tokensPerMinute', options.tokensPerMinute);
  }

  /** Wait for a slot for one request of a kind. */
  take(kind: RequestKind, signal?: AbortSignal): Promise<void> {
    const bucket = kind === 'create' ? this.#creates : this.#requests;
    return bucket ? bucket.take(1, signal) : Promise.resolve();
  }
}

function checkPositive(field: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidRequestError(
      `Invalid rateLimit.${field} ${JSON.stringify(value)}: use a positive number per minute.`,
    );
  }
}
