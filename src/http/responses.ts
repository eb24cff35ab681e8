import type { z } from 'zod/mini';
import {
  ConnectionError,
  errorFromResponse,
  type Problem,
  ReplicateError,
  ResponseValidationError,
} from '../errors.js';
import { problemSchema } from '../schemas/platform.js';
import { release } from './attempts.js';
import { redact, redactDeep, redactError } from './auth.js';

/**
 * Reading responses: bodies parsed and validated, failures turned into the typed errors, and the token kept
 * out of everything an error carries.
 */

/** Error bodies: JSON when it is JSON, the text otherwise (HTML 404s exist). */
function lenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function readText(response: Response, signal: AbortSignal | undefined): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new ConnectionError('The connection closed while reading the response body.', { cause: error });
  } finally {
    release(response);
  }
}

/**
 * Parse a JSON body and validate it; malformed JSON and schema drift become `ResponseValidationError`.
 * The error's raw value is redacted of `token`, in case the body echoes the request (an echo service).
 */
export function parseBody<S extends z.ZodMiniType>(
  text: string,
  schema: S,
  path: string,
  token?: string,
): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ResponseValidationError(`Replicate returned a body that is not JSON for ${path}.`, {
      issues: [{ code: 'invalid_json', path: [], message: 'Body is not valid JSON' }],
      value: redact(text, token),
    });
  }
  const result = schema.safeParse(value);
  // A body that echoes the token (a model printing its environment, an echo proxy) must not carry it on into
  // errors built from it (`PredictionFailedError`), hooks, logs or CLI output. Only a token long enough to be a
  // real key (Replicate's have 40 characters): a short test token like "test" occurs in data by chance.
  if (result.success) {
    const echoed = token !== undefined && token.length >= 20 && text.includes(token);
    return echoed ? redactDeep(result.data, token) : result.data;
  }
  const issues = redactDeep(
    result.error.issues.map(({ code, path: at, message }) => ({ code, path: at, message })),
    token,
  );
  const where = issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new ResponseValidationError(`Unexpected response shape for ${path}: ${where}`, {
    issues,
    value: redactDeep(value, token),
  });
}

/** The typed error of a failed (non-2xx) response, built from its body, redacted of `token` throughout. */
export async function errorFromHttp(response: Response, token: string | undefined): Promise<ReplicateError> {
  // A body that cannot be read still makes the status's error, without its details.
  const text = await response.text().catch(() => '');
  release(response);
  // Every field, not only `detail`: a server may echo the token in a title, invalid_fields or a text body.
  const problem = toProblem(redactDeep(lenientJson(text), token));
  return errorFromResponse(response.status, problem, {
    headers: redactHeaders(response.headers, token),
    requestId: response.headers.get('x-request-id') ?? response.headers.get('cf-ray') ?? undefined,
  });
}

/** A thrown failure as a `ReplicateError`: ours pass through; anything else is a `ConnectionError`. */
export function toReplicateError(error: unknown, token: string | undefined): ReplicateError {
  if (error instanceof ReplicateError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ConnectionError(`Could not reach Replicate: ${redact(reason, token)}`, {
    cause: redactError(error, token),
  });
}

/** Response headers without the token: a proxy may echo the request's `Authorization` back in one. */
function redactHeaders(headers: Headers, token: string | undefined): Headers {
  const entries = [...headers];
  if (!token || !entries.some(([, value]) => value.includes(token))) return headers;
  // Header values are Latin-1: the fingerprint's `…` is not, so the token becomes a plain marker.
  return new Headers(
    entries.map(([name, value]): [string, string] => [name, value.split(token).join('[redacted]')]),
  );
}

/** A problem object from an error body: the JSON object, or a text body's first line as `detail`. */
function toProblem(data: unknown): Problem | undefined {
  if (data && typeof data === 'object') {
    const parsed = problemSchema.safeParse(data);
    if (parsed.success) return { ...parsed.data } as Problem;
  }
  if (typeof data === 'string' && data.trim()) {
    const detail = data
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200);
    return detail ? { detail } : undefined;
  }
  return undefined;
}
