/**
 * One API call as the hooks see it: the token is shown only as a fingerprint (`Bearer r8_…abcd`).
 * @example
 * const onRequest = ({ id, method, url, kind, model, headers }: RequestEvent) =>
 *   console.log(id, method, url, kind, model, headers.authorization); // 1 POST https://… create acme/x Bearer r8_…abcd
 */
export interface RequestEvent {
  /** Pairs `onRequest` with the `onResponse` or `onError` of the same call (a counter per client). */
  id: number;
  method: string;
  /** The absolute URL with its query. */
  url: string;
  /** `create` for a prediction create, `other` for any other API call, `external` for streams and file hosts. */
  kind: 'create' | 'other' | 'external';
  /** `owner/name`, `deployments/owner/name` or a version id, when the path names one. */
  model?: string | undefined;
  /** The prediction the path names (get, cancel); for a create, see `ResponseEvent.predictionId`. */
  predictionId?: string | undefined;
  /** The headers replikit sets, `authorization` redacted to the key's fingerprint. */
  headers: Record<string, string>;
  /** The JSON body as sent (after `transformInput`); `undefined` for uploads and bodiless calls. */
  body?: unknown;
}

/**
 * A call that got a 2xx response.
 * @example
 * const onResponse = ({ request, status, predictionId, durationMs, attempts }: ResponseEvent) =>
 *   console.log(request.id, status, predictionId, `${durationMs} ms`, attempts);
 */
export interface ResponseEvent {
  request: RequestEvent;
  status: number;
  /** The prediction in the response (a create's new id) or named by the path. */
  predictionId?: string | undefined;
  /** `x-request-id` (or `cf-ray`), for support tickets. */
  requestId?: string | undefined;
  /** Milliseconds from the first attempt until the response (body included for JSON calls), retries included. */
  durationMs: number;
  /** Milliseconds spent waiting for the rate limit and for a rested key before the first attempt. */
  queuedMs: number;
  /** HTTP attempts made: 1 without retries. */
  attempts: number;
}

/**
 * A call that failed: the typed error it throws (already redacted), or the abort reason.
 * @example
 * const onError = ({ request, error, status }: RequestErrorEvent) => console.warn(request.id, status, String(error));
 */
export interface RequestErrorEvent {
  request: RequestEvent;
  error: unknown;
  /** The HTTP status of the failure, when there was a response. */
  status?: number | undefined;
  durationMs: number;
  queuedMs: number;
  attempts: number;
}

/**
 * Observes calls for an audit log or metrics. Called synchronously and never awaited; whatever it throws
 * or rejects with is swallowed, so a broken logger never breaks a call.
 * @example
 * new Replicate({ onRequest: (request) => log(request.method, request.url, request.headers.authorization) });
 */
export type Hook<T> = (event: T) => unknown;

/**
 * Where a create's input goes: what `transformInput` learns about it.
 * @example
 * const transformInput = (input: Record<string, unknown>, { model }: TransformContext) =>
 *   model?.startsWith('acme/') ? input : { ...input, user: undefined };
 */
export interface TransformContext {
  /** `owner/name`, `deployments/owner/name`, or the version id of a create by version. */
  model: string | undefined;
  /** The API path of the create, e.g. `/models/meta/meta-llama-3-8b-instruct/predictions`. */
  path: string;
}

/**
 * Rewrites a prediction create's `input` before it leaves the process, e.g. to redact PII. Awaited; what it
 * throws rejects the call before anything is sent (fail closed: an input that could not be cleaned never leaves).
 * @example
 * new Replicate({ transformInput: (input) => ({ ...input, prompt: String(input.prompt).replace(EMAIL, '[email]') }) });
 */
export type TransformInput = (
  input: Record<string, unknown>,
  context: TransformContext,
) => Record<string, unknown> | Promise<Record<string, unknown>>;

/** Call a hook, swallowing its failures (sync or async): hooks observe, they never decide. */
export function notify<T>(hook: Hook<T> | undefined, event: T): void {
  if (!hook) return;
  try {
    const result = hook(event);
    if (result instanceof Promise) result.catch(() => {});
  } catch {
    // an observer's failure must not fail the call it observes
  }
}
