import { AuthenticationError, InvalidRequestError, PaymentRequiredError } from '../errors.js';
import {
  type AuthOption,
  fingerprint,
  resolveToken,
  type SingleAuth,
  type WeightedKey,
} from '../http/auth.js';
import { sleep } from '../lifecycle/signals.js';

interface Key {
  token: string;
  weight: number;
  /** Smooth weighted round-robin state. */
  current: number;
  /** `Date.now()` until which the key rests after a 429. */
  restUntil: number;
  /** The status that took the key out of rotation (401 or 402). */
  removed?: number;
}

/**
 * Several API keys used in turn, in proportion to their weights (smooth weighted round-robin: 3:1 gives
 * a a b a, not a random mix). A key that gets a 429 rests until its `Retry-After`; a key that gets a 401
 * or 402 leaves the rotation for the client's lifetime.
 */
export class KeyPool {
  readonly #keys: Key[];

  constructor(entries: readonly (string | WeightedKey)[], field = 'auth') {
    this.#keys = entries.map((entry, index) => {
      const { token, weight = 1 } = typeof entry === 'string' ? { token: entry } : (entry ?? {});
      if (typeof token !== 'string' || !token) {
        throw new InvalidRequestError(`Invalid ${field}[${index}]: expected a non-empty API token.`);
      }
      if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0) {
        throw new InvalidRequestError(`Invalid ${field}[${index}].weight: use a positive number.`);
      }
      return { token, weight, current: 0, restUntil: 0 };
    });
    if (this.#keys.length === 0) throw new InvalidRequestError(`Invalid ${field}: the key pool is empty.`);
  }

  /** Every token in the pool, removed ones included (for redaction). */
  get tokens(): string[] {
    return this.#keys.map((key) => key.token);
  }

  /**
   * The next key. When every key in rotation is resting, waits until the first one may be used again
   * (an abort rejects with `signal.reason`); when none is left, throws the pool's error.
   */
  async pick(signal?: AbortSignal): Promise<string> {
    for (;;) {
      const active = this.#keys.filter((key) => key.removed === undefined);
      if (active.length === 0) throw this.#exhausted();
      const now = Date.now();
      const ready = active.filter((key) => key.restUntil <= now);
      if (ready.length > 0) return this.#choose(ready);
      await sleep(Math.min(...active.map((key) => key.restUntil)) - now, signal);
    }
  }

  /** Whether a key other than `token` could be used right now. */
  hasOther(token: string): boolean {
    const now = Date.now();
    return this.#keys.some((key) => key.token !== token && key.removed === undefined && key.restUntil <= now);
  }

  /** Rest a key for `ms` after a 429. */
  rest(token: string, ms: number): void {
    const key = this.#find(token);
    if (key) key.restUntil = Math.max(key.restUntil, Date.now() + ms);
  }

  /** Take a key out of rotation after a 401 or 402; returns whether any key is left. */
  remove(token: string, status: number): boolean {
    const key = this.#find(token);
    if (key && key.removed === undefined) key.removed = status;
    return this.#keys.some((candidate) => candidate.removed === undefined);
  }

  #find(token: string): Key | undefined {
    return this.#keys.find((key) => key.token === token);
  }

  #choose(ready: Key[]): string {
    let total = 0;
    let best = ready[0] as Key;
    for (const key of ready) {
      key.current += key.weight;
      total += key.weight;
      if (key.current > best.current) best = key;
    }
    best.current -= total;
    return best.token;
  }

  /** Every key was rejected: name them by fingerprint only, with the status that removed each. */
  #exhausted(): AuthenticationError | PaymentRequiredError {
    const list = this.#keys.map((key) => `${fingerprint(key.token)} (${key.removed})`).join(', ');
    const message = `Every key of the auth pool was rejected: ${list}. Check or replace them.`;
    const status = this.#keys.every((key) => key.removed === 402) ? 402 : 401;
    return status === 402
      ? new PaymentRequiredError(message, { status })
      : new AuthenticationError(message, { status });
  }
}

/** Where a request's token comes from: one key (a string, or a function called per request) or a pool. */
export type KeySource = { pool: KeyPool } | { single: SingleAuth | undefined };

/** The source for an `auth` option; a pool is validated here, on first use, never at import. */
export function keySource(auth: AuthOption | undefined, field = 'auth'): KeySource {
  return Array.isArray(auth)
    ? { pool: new KeyPool(auth, field) }
    : { single: auth as SingleAuth | undefined };
}

/** The next token of a source (`REPLICATE_API_TOKEN` for an unset single key, read now). */
export function pickFrom(source: KeySource, signal?: AbortSignal): Promise<string> | string {
  return 'pool' in source ? source.pool.pick(signal) : resolveToken(source.single);
}
