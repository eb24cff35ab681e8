/**
 * The error tree. Every failure replikit throws is a `ReplicateError`; HTTP failures are `ApiError`s
 * built by `errorFromResponse`. Errors never carry the API token or the request body.
 */

/** An RFC 7807 problem body as Replicate sends it (`application/problem+json`). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  /** Present on 422 validation errors: which top-level fields were rejected and why. */
  invalid_fields?: Array<{ type?: string; field?: string; description?: string }>;
  [key: string]: unknown;
}

/** The root of every error replikit throws. */
export class ReplicateError extends Error {
  override name = 'ReplicateError';
}

/** What `errorFromResponse` knows about a failed response. */
export interface ApiErrorInit {
  /** HTTP status, or `undefined` when the client refused the request before sending it. */
  status?: number | undefined;
  problem?: Problem | undefined;
  requestId?: string | undefined;
  /** Response headers (never the request's, which hold the token). */
  headers?: Headers | undefined;
  cause?: unknown;
}

/**
 * The API answered with an error status (or the client refused to send an invalid request).
 * @example
 * try { await replicate.models.get('acme', 'missing'); }
 * catch (error) { if (error instanceof ApiError) console.log(error.status, error.detail); }
 */
export class ApiError extends ReplicateError {
  override name = 'ApiError';
  /** HTTP status; `undefined` only for requests refused before sending. */
  readonly status: number | undefined;
  /** The parsed problem body, when the API sent one. */
  readonly problem: Problem | undefined;
  /** The `x-request-id` (or similar) header of the failed response, for support tickets. */
  readonly requestId: string | undefined;
  /** The failed response's headers. */
  readonly headers: Headers;

  constructor(message: string, init: ApiErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.problem = init.problem;
    this.requestId = init.requestId;
    this.headers = init.headers ?? new Headers();
  }

  /** The problem body's `title`, e.g. `"Unauthenticated"`. */
  get title(): string | undefined {
    return this.problem?.title;
  }

  /** The problem body's `detail`, the human-readable reason. */
  get detail(): string | undefined {
    return this.problem?.detail;
  }

  /** The fields a 422 rejected, with their reasons. */
  get invalidFields(): NonNullable<Problem['invalid_fields']> {
    return this.problem?.invalid_fields ?? [];
  }
}

/** 400 or 422, or a request the client refused to send (bad model reference, webhook URL, option). */
export class InvalidRequestError extends ApiError {
  override name = 'InvalidRequestError';
}

/** 401 or 403, or no API token configured. */
export class AuthenticationError extends ApiError {
  override name = 'AuthenticationError';
}

/** 402: the account has insufficient credit. */
export class PaymentRequiredError extends ApiError {
  override name = 'PaymentRequiredError';
}

/** 404: the resource does not exist (or is not visible to this token). */
export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
}

/** 429 after the retries ran out. */
export class RateLimitError extends ApiError {
  override name = 'RateLimitError';
  /** Seconds the server asked to wait (`Retry-After`), when it said. */
  readonly retryAfter: number | undefined;

  constructor(message: string, init: ApiErrorInit = {}) {
    super(message, init);
    this.retryAfter = parseRetryAfter(this.headers.get('retry-after'));
  }
}

/** 5xx after the retries ran out (GET/DELETE), or at once (POST, which is never retried on 5xx). */
export class ServerError extends ApiError {
  override name = 'ServerError';
}

/** The request never got a response: DNS, refused or reset connection. */
export class ConnectionError extends ReplicateError {
  override name = 'ConnectionError';
}

/** A request (or a whole `run`/`wait`) took longer than its timeout. */
export class TimeoutError extends ReplicateError {
  override name = 'TimeoutError';
  /** The timeout that fired, in milliseconds. */
  readonly timeout: number;

  constructor(message: string, timeout: number) {
    super(message);
    this.timeout = timeout;
  }
}

/** A zod issue, trimmed to what a reader needs. */
export interface ValidationIssue {
  code: string;
  path: PropertyKey[];
  message: string;
}

/** A response body that is not JSON, or not the shape the API promises. */
export class ResponseValidationError extends ReplicateError {
  override name = 'ResponseValidationError';
  /** What was wrong, with paths into `value`. */
  readonly issues: ValidationIssue[];
  /** The raw body: parsed JSON, or the text when it was not JSON. */
  readonly value: unknown;

  constructor(message: string, init: { issues: ValidationIssue[]; value: unknown }) {
    super(message);
    this.issues = init.issues;
    this.value = init.value;
  }
}

/** Build the typed error for an HTTP failure: the one place that maps status to class. */
export function errorFromResponse(
  status: number,
  problem: Problem | undefined,
  init: ApiErrorInit,
): ApiError {
  const reason = problem?.detail ?? problem?.title ?? `HTTP ${status}`;
  const message = `Replicate API ${status}: ${reason}`;
  const full = { ...init, status, problem };
  if (status === 400 || status === 422) return new InvalidRequestError(message, full);
  if (status === 401 || status === 403) return new AuthenticationError(message, full);
  if (status === 402) return new PaymentRequiredError(message, full);
  if (status === 404) return new NotFoundError(message, full);
  if (status === 429) return new RateLimitError(message, full);
  if (status >= 500) return new ServerError(message, full);
  return new ApiError(message, full);
}

/**
 * `Retry-After` as milliseconds (delta-seconds or HTTP-date); `undefined` when absent or malformed. Whole
 * seconds only, as RFC 9110 reads it. The retry policy schedules retries with it.
 */
export function retryAfterDelay(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** `Retry-After` as whole seconds, rounded up (`retryAfterDelay`); `undefined` when absent or malformed. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const delay = retryAfterDelay(value, now);
  return delay === undefined ? undefined : Math.ceil(delay / 1000);
}
