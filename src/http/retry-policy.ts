import { HTTPError, type RetryOptions, type ShouldRetryState } from 'ky';

/** Methods whose retry could repeat a side effect: retried only on 429, which the server rejected unseen. */
const UNSAFE_METHODS = new Set(['POST', 'PATCH']);
/** Statuses whose `Retry-After` (or `ratelimit-reset`) header sets the delay. */
const TIMED_STATUSES = [429, 503];
const RETRY_STATUSES = [429, 500, 502, 503, 504, 520, 521, 522, 523, 524];

export interface RetrySettings {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff delay, ms; doubles each retry. */
  baseDelay: number;
  /** Longest backoff delay, ms. */
  maxDelay: number;
  /** Longest wait a `Retry-After` header can impose, ms. */
  maxRetryAfter: number;
  /** Random source for jitter, in [0, 1). Injected in tests. */
  random: () => number;
}

/**
 * ky retry options for Replicate: GET/DELETE/QUERY on 429, 5xx and network errors; POST/PATCH only on
 * 429, because a create retried after a 5xx or a reset may bill a duplicate prediction.
 * Backoff is `baseDelay · 2^(n-1)` capped at `maxDelay`, with "equal jitter" (half fixed, half random);
 * `Retry-After` (seconds or HTTP-date) wins when present, capped at `maxRetryAfter`.
 */
export function retryOptions(settings: RetrySettings): RetryOptions {
  return {
    limit: settings.maxRetries,
    methods: ['get', 'delete', 'query', 'post', 'patch'],
    statusCodes: RETRY_STATUSES,
    afterStatusCodes: TIMED_STATUSES,
    maxRetryAfter: settings.maxRetryAfter,
    delay: (attempt) => Math.min(settings.maxDelay, settings.baseDelay * 2 ** (attempt - 1)),
    jitter: (delay) => delay / 2 + (settings.random() * delay) / 2,
    shouldRetry: ({ error }: ShouldRetryState) => {
      const method = (error as { request?: Request }).request?.method.toUpperCase();
      if (!method || !UNSAFE_METHODS.has(method)) return undefined;
      return error instanceof HTTPError && error.response.status === 429 ? undefined : false;
    },
  };
}
