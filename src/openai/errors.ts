import { UnsupportedParameterError } from '../chat/errors.js';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  InvalidRequestError,
  NotFoundError,
  PaymentRequiredError,
  RateLimitError,
  ReplicateError,
  TimeoutError,
} from '../errors.js';
import { PredictionCanceledError, PredictionFailedError } from '../lifecycle/errors.js';

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** An error as OpenAI's wire format carries it: status, body, and the headers that steer SDK retries. */
export interface OpenAIErrorResponse {
  status: number;
  body: OpenAIErrorBody;
  headers: Record<string, string>;
}

/** Build an OpenAI error body. */
export function openAIError(
  message: string,
  type: string,
  code: string | null = null,
  param: string | null = null,
): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

// The OpenAI SDKs retry 408, 409, 429 and 5xx unless told otherwise: a retry would bill a new prediction.
const NO_RETRY = { 'x-should-retry': 'false' };

/**
 * Translate any error of a chat request into OpenAI's error shape with the matching status: Replicate's
 * 4xx keep their status, a 429 keeps its `Retry-After`, a failed or canceled prediction is a 5xx the
 * SDKs are told not to retry, anything unexpected is a 500 that says nothing of its internals.
 */
export function toOpenAIError(error: unknown): OpenAIErrorResponse {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof UnsupportedParameterError) {
    return {
      status: 400,
      body: openAIError(message, 'invalid_request_error', 'unsupported_parameter', error.param),
      headers: {},
    };
  }
  if (error instanceof RateLimitError) {
    const headers: Record<string, string> =
      error.retryAfter === undefined ? {} : { 'retry-after': String(error.retryAfter) };
    return { status: 429, body: openAIError(message, 'rate_limit_error', 'rate_limit_exceeded'), headers };
  }
  if (error instanceof AuthenticationError) {
    const status = error.status ?? 401;
    return {
      status,
      body: openAIError(message, status === 403 ? 'permission_error' : 'authentication_error'),
      headers: {},
    };
  }
  if (error instanceof PaymentRequiredError) {
    return {
      status: 402,
      body: openAIError(message, 'insufficient_quota', 'insufficient_quota'),
      headers: {},
    };
  }
  if (error instanceof NotFoundError) {
    return {
      status: 404,
      body: openAIError(message, 'invalid_request_error', 'model_not_found'),
      headers: {},
    };
  }
  if (error instanceof InvalidRequestError) {
    const field = error.problem?.invalid_fields?.[0]?.field;
    return {
      status: error.status ?? 400,
      body: openAIError(message, 'invalid_request_error', null, field ?? null),
      headers: {},
    };
  }
  if (error instanceof PredictionFailedError) {
    return {
      status: 500,
      body: openAIError(message, 'server_error', 'prediction_failed'),
      headers: NO_RETRY,
    };
  }
  if (error instanceof PredictionCanceledError || error instanceof TimeoutError) {
    const code = error instanceof TimeoutError ? 'timeout' : 'prediction_canceled';
    return { status: 504, body: openAIError(message, 'timeout', code), headers: NO_RETRY };
  }
  if (error instanceof ConnectionError)
    return { status: 502, body: openAIError(message, 'api_connection_error'), headers: {} };
  if (error instanceof ApiError) {
    return { status: error.status ?? 502, body: openAIError(message, 'api_error'), headers: {} };
  }
  // Our own errors (a stream error, a validation failure) carry no secrets; anything else stays private.
  const text = error instanceof ReplicateError ? message : 'Internal error.';
  return { status: 500, body: openAIError(text, 'server_error'), headers: NO_RETRY };
}
