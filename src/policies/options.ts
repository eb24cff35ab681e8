import type { AuthOption } from '../http/auth.js';
import type { ChatFallback } from './fallback.js';
import type { Hook, RequestErrorEvent, RequestEvent, ResponseEvent, TransformInput } from './hooks.js';
import type { RateLimitOptions } from './rate-limit.js';

/**
 * The gateway policies of `new Replicate()`: rate limits, per-model keys, chat fallbacks, input transforms
 * and hooks. All optional; with none set, requests take the plain path (no queue, no hooks).
 * @example
 * const replicate = new Replicate({
 *   auth: ['r8_a…', 'r8_b…'],
 *   rateLimit: { createsPerMinute: 600, requestsPerMinute: 3000 },
 *   fallback: ['mistralai/mistral-7b-instruct-v0.2'],
 *   onResponse: ({ request, status, durationMs }) => log(request.method, request.url, status, durationMs),
 * });
 */
export interface PolicyOptions {
  /**
   * Keys per model, winning over `auth` for calls about that model: creates, `models.get` and the other
   * `/models/{owner}/{name}` calls, and `deployments/owner/name` for deployments. A create by version id
   * matches a key equal to the 64-hex version. Each value is any `auth` form, pools included.
   * @default undefined (every call uses `auth`)
   * @example
   * new Replicate({ auth: 'r8_shared', authByModel: { 'acme/private-model': 'r8_acme' } });
   */
  authByModel?: Readonly<Record<string, AuthOption>> | undefined;
  /**
   * Client-side rate limits: calls queue (in order, honouring `signal`) instead of meeting a 429.
   * @default undefined (no queue)
   * @example
   * new Replicate({ rateLimit: { createsPerMinute: 600, requestsPerMinute: 3000, tokensPerMinute: 100_000 } });
   */
  rateLimit?: RateLimitOptions | undefined;
  /**
   * Rewrites every prediction create's `input` before it is sent (after file uploads), e.g. to redact PII.
   * Awaited; if it throws, the call rejects with that error and nothing is sent.
   * @default undefined
   * @example
   * new Replicate({ transformInput: (input) => ({ ...input, prompt: redact(String(input.prompt)) }) });
   */
  transformInput?: TransformInput | undefined;
  /**
   * Called before each API call is sent (once per call, not per retry), token redacted. Not awaited; what it
   * throws is swallowed.
   * @default undefined
   * @example
   * new Replicate({ onRequest: ({ id, method, url, headers }) => audit.write({ id, method, url, key: headers.authorization }) });
   */
  onRequest?: Hook<RequestEvent> | undefined;
  /**
   * Called once per call that got a 2xx response, with status, timing, attempts and the prediction id. Not
   * awaited; what it throws is swallowed.
   * @default undefined
   * @example
   * new Replicate({ onResponse: ({ request, status, predictionId, durationMs }) => log(request.id, status, predictionId, durationMs) });
   */
  onResponse?: Hook<ResponseEvent> | undefined;
  /**
   * Called once per call that failed (the typed error it throws, or the abort reason). Not awaited; what it
   * throws is swallowed.
   * @default undefined
   * @example
   * new Replicate({ onError: ({ request, error }) => log(request.id, String(error)) });
   */
  onError?: Hook<RequestErrorEvent> | undefined;
  /**
   * Chat completions only: models (or OpenAI-compatible functions) tried in order when a completion fails with
   * an error worth it (5xx, 429 after retries, timeouts, connection errors, a failed prediction, a cold start
   * past `coldStartTimeout`); never on 400/401/402/404/422 or unsupported parameters. A stream falls back
   * only before its first content chunk. Per request: the `fallback` chat option (`false` turns this off).
   * @default [] (no fallback)
   * @example
   * new Replicate({ fallback: ['meta/meta-llama-3-8b-instruct', (params) => openai.chat.completions.create(params)] });
   */
  fallback?: readonly ChatFallback[] | undefined;
  /**
   * Chat completions only: ms a prediction may stay `starting` (booting a cold model) before it is canceled
   * with `ColdStartTimeoutError`, which moves on to the `fallback`. Per request: the `coldStartTimeout` chat option.
   * @default undefined (wait as long as it takes)
   * @example
   * new Replicate({ coldStartTimeout: 15_000, fallback: ['meta/meta-llama-3-8b-instruct'] });
   */
  coldStartTimeout?: number | undefined;
}

/** Whether any option needs the policies (a key pool counts); without one the HTTP core takes its plain path. */
export function hasPolicies(options: PolicyOptions & { auth?: AuthOption | undefined }): boolean {
  const { auth, authByModel, rateLimit, transformInput, onRequest, onResponse, onError } = options;
  return Boolean(
    Array.isArray(auth) || authByModel || rateLimit || transformInput || onRequest || onResponse || onError,
  );
}
