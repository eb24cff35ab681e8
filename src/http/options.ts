import type { PolicyOptions } from '../policies/options.js';
import type { UsageCallback } from '../usage.js';
import type { AuthOption } from './auth.js';

/** Options of `new Replicate()` that shape every HTTP request. */
export interface ClientOptions extends PolicyOptions {
  /**
   * API token, a function returning one per request, or a pool of keys used in turn by weight
   * (`['r8_a', 'r8_b']` or `[{ token, weight }]`; see "Policies and guarantees" in the README).
   * @default process.env.REPLICATE_API_TOKEN, read on the first request
   */
  auth?: AuthOption;
  /**
   * API base URL. The token is only ever sent to this origin.
   * @default 'https://api.replicate.com/v1'
   */
  baseUrl?: string;
  /**
   * A WHATWG `fetch`, e.g. a fake or a proxying fetch.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /**
   * `User-Agent` header (ignored by browsers, which forbid setting it).
   * @default `replikit/<version>`
   */
  userAgent?: string;
  /**
   * Retries after a failed attempt: GET/DELETE on 429, 5xx and network errors; POST only on 429.
   * @default 3
   */
  maxRetries?: number;
  /**
   * Timeout of one HTTP attempt in milliseconds. A create with `Prefer: wait=N` gets at least N + 10 s.
   * @default 60000
   */
  timeout?: number;
  /**
   * Longest wait a `Retry-After` header may impose before a retry, in milliseconds.
   * @default 60000
   */
  maxRetryAfter?: number;
  /**
   * Called once with the usage (model, prediction id, status, token counts, `predict_time`, latency) of each
   * prediction that `run`, `runPrediction`, `stream` or `wait` sees finish, whatever its status. Not awaited;
   * whatever it throws is swallowed. No cost: wrap it in `withCost` from `replikit/pricing` for one. With it
   * set, `stream` makes one extra `GET` after `done` for the final metrics.
   * @default undefined
   * @example
   * import { withCost } from 'replikit/pricing';
   * const replicate = new Replicate({ onUsage: withCost((usage) => log(usage.model, usage.cost?.total)) });
   */
  onUsage?: UsageCallback | undefined;
}
