import { ApiError } from '../errors.js';
import { fingerprint } from '../http/auth.js';
import type { Gateway } from './gateway.js';
import { notify, type RequestEvent } from './hooks.js';
import type { KeyPool } from './key-pool.js';
import { predictionIdOf, retryAfterMs } from './request-info.js';

/** One call in flight: its key (which may change on retries), attempts and timing, and its one final report. */
export class Call {
  readonly info: RequestEvent;
  readonly json: unknown;
  token: string | undefined;
  attempts = 1;
  readonly #gateway: Gateway;
  readonly #pool: KeyPool | undefined;
  readonly #remember: boolean;
  readonly #signal: AbortSignal | undefined;
  readonly #queuedMs: number;
  #sentAt = Date.now();
  #error: unknown;
  #reported = false;

  constructor(
    gateway: Gateway,
    info: RequestEvent,
    json: unknown,
    key: { token: string; pool?: KeyPool | undefined; remember?: boolean } | undefined,
    started: number,
    signal: AbortSignal | undefined,
  ) {
    this.#gateway = gateway;
    this.info = info;
    this.json = json;
    this.token = key?.token;
    this.#pool = key?.pool;
    this.#remember = key?.remember === true;
    this.#signal = signal;
    this.#queuedMs = this.#sentAt - started;
    this.#show();
  }

  /** Before a retry: wait for the rate limit and take the pool's next key (a resting one is skipped). */
  async retry(): Promise<string | undefined> {
    await this.#limit();
    if (this.#pool && this.token) this.token = await this.#pool.pick(this.#signal);
    this.attempts++;
    this.#show();
    return this.token;
  }

  /** After a 429: rest the key; true when another key of the pool is free now (retry at once with it). */
  throttled(headers: Headers): boolean {
    if (!this.#pool || !this.token) return false;
    this.#pool.rest(this.token, retryAfterMs(headers, this.#gateway.options.maxRetryAfter ?? 60_000));
    return this.#pool.hasOther(this.token);
  }

  /**
   * After a final 401/402 with a pool key: drop the key; true when the call should go again with another.
   * Never throws: the pool's own error (no key left) or an abort while waiting becomes what `failed` reports.
   */
  async rotate(error: unknown): Promise<boolean> {
    const status = error instanceof ApiError ? error.status : undefined;
    if (!this.#pool || !this.token || (status !== 401 && status !== 402)) return false;
    this.#pool.remove(this.token, status);
    try {
      this.token = await this.#pool.pick(this.#signal);
      await this.#limit();
    } catch (reason) {
      this.#error = reason;
      return false;
    }
    this.attempts++;
    this.#show();
    return true;
  }

  /** Report a 2xx response (with the parsed body for JSON calls); remember who created a prediction. */
  succeeded(response: Response, value?: unknown): void {
    if (this.#reported) return;
    this.#reported = true;
    if (this.#remember && this.token && this.info.kind === 'create')
      this.#gateway.remember(value, this.token);
    notify(this.#gateway.options.onResponse, {
      request: this.info,
      status: response.status,
      predictionId: predictionIdOf(value) ?? this.info.predictionId,
      requestId: response.headers.get('x-request-id') ?? response.headers.get('cf-ray') ?? undefined,
      durationMs: Date.now() - this.#sentAt,
      queuedMs: this.#queuedMs,
      attempts: this.attempts,
    });
  }

  /** Report a failure; returns what to throw (the pool's own error once every key was rejected). */
  failed(error: unknown): unknown {
    const final = this.#error ?? error;
    if (this.#reported) return final;
    this.#reported = true;
    notify(this.#gateway.options.onError, {
      request: this.info,
      error: final,
      status: final instanceof ApiError ? final.status : undefined,
      durationMs: Date.now() - this.#sentAt,
      queuedMs: this.#queuedMs,
      attempts: this.attempts,
    });
    return final;
  }

  async #limit(): Promise<void> {
    const { limiter } = this.#gateway;
    if (limiter && this.info.kind !== 'external') await limiter.take(this.info.kind, this.#signal);
  }

  /** The fingerprint of the current key in the hooks' view of the headers. */
  #show(): void {
    if (this.token) this.info.headers.authorization = `Bearer ${fingerprint(this.token)}`;
  }
}
