import { retryAfterDelay } from '../errors.js';

/** Methods whose retry could repeat a side effect: retried only on 429, which the server rejected unseen. */
const UNSAFE_METHODS = new Set(['POST', 'PATCH']);
/** Statuses whose `Retry-After` (or `ratelimit-reset`) header sets the delay. */
const TIMED_STATUSES = new Set([429, 503]);
const RETRY_STATUSES = new Set([429, 500, 502, 503, 504, 520, 521, 522, 523, 524]);
/** A reset header above this is an epoch time in seconds, not a delay (GitHub's `x-ratelimit-reset`). */
const EPOCH_SECONDS = Date.parse('2024-01-01') / 1000;

export interface RetrySettings {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff delay, ms; doubles each retry. */
  baseDelay: number;
  /** Longest backoff delay, ms. */
  maxDelay: number;
  /** Longest wait a `Retry-After` header can impose, ms. */
  maxRetryAfter: number;
}

/** What an attempt ended with: a response, or a network error (`fetch` rejected with a `TypeError`). */
export type Outcome = { response: Response } | { networkError: unknown };

/**
 * The delay in ms before retry number `retry` (1-based) of a `method` request whose attempt ended with
 * `outcome`, or `undefined` when it must not be retried. GET/DELETE/QUERY are retried on 429, 5xx and network
 * errors; POST/PATCH only on 429, because a create retried after a 5xx or a reset may bill a duplicate
 * prediction. Backoff is `baseDelay · 2^(retry-1)` capped at `maxDelay`, with "equal jitter" (half fixed, half
 * random); a parsable `Retry-After` on 429/503 wins, without jitter, capped at `maxRetryAfter`.
 */
export function retryDelay(
  method: string,
  outcome: Outcome,
  retry: number,
  settings: RetrySettings,
): number | undefined {
  if (retry > settings.maxRetries) return undefined;
  if (!('response' in outcome)) return UNSAFE_METHODS.has(method) ? undefined : backoff(retry, settings);
  const { status, headers } = outcome.response;
  if (!RETRY_STATUSES.has(status) || (status !== 429 && UNSAFE_METHODS.has(method))) return undefined;
  const after = TIMED_STATUSES.has(status) ? serverDelay(headers) : undefined;
  return after === undefined ? backoff(retry, settings) : Math.min(settings.maxRetryAfter, after);
}

/** `baseDelay · 2^(retry-1)` capped at `maxDelay`, with equal jitter: half fixed, half random. */
function backoff(retry: number, settings: RetrySettings): number {
  const delay = Math.min(settings.maxDelay, settings.baseDelay * 2 ** (retry - 1));
  return delay / 2 + (Math.random() * delay) / 2;
}

/**
 * The delay a response asks for, ms: `Retry-After` (seconds or HTTP-date) when present, else a rate-limit
 * reset header (seconds, or an epoch time in seconds). `undefined` when none is there or parsable.
 */
export function serverDelay(headers: Headers): number | undefined {
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null) return retryAfterDelay(retryAfter);
  const reset =
    headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset') ?? headers.get('x-rate-limit-reset');
  if (reset === null || !/^\d+$/.test(reset.trim())) return undefined;
  const seconds = Number(reset);
  return Math.max(0, seconds >= EPOCH_SECONDS ? seconds * 1000 - Date.now() : seconds * 1000);
}
