import ky, { type Hooks, HTTPError, type KyInstance, TimeoutError as KyTimeoutError, NetworkError } from 'ky';
import type { z } from 'zod/mini';
import {
  ConnectionError,
  errorFromResponse,
  type Problem,
  ReplicateError,
  ResponseValidationError,
  TimeoutError,
} from '../errors';
import type { Call } from '../policies/call';
import { Gateway, hasPolicies } from '../policies/gateway';
import type { PolicyOptions } from '../policies/options';
import { problemSchema } from '../schemas/platform';
import type { UsageCallback } from '../usage';
import { VERSION } from '../version';
import { attemptGate } from './attempt-gate';
import { type AuthOption, redact, redactDeep, redactError, resolveToken, type SingleAuth } from './auth';
import { mayReceiveToken } from './hosts';
import { retryOptions } from './retry-policy';

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

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'QUERY';
export type Query = Record<string, string | number | boolean | undefined>;

/** One API call: a path relative to the base URL, or an absolute `url` (stream and file hosts). */
export interface HttpRequest {
  method: HttpMethod;
  path: string;
  /** Absolute URL used instead of `path`; the token is only attached where `mayReceiveToken` allows. */
  url?: string | undefined;
  query?: Query | undefined;
  json?: unknown;
  body?: BodyInit | undefined;
  headers?: Record<string, string> | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Ends the call when it aborts while no attempt is in flight (queued by the rate limit, waiting to retry);
   * an attempt already sent is left to finish, so its answer is not lost. For creates, where cutting one off
   * could leave a prediction whose id never arrives.
   */
  stopSignal?: AbortSignal | undefined;
  /** Per-attempt timeout override, ms. */
  timeout?: number | undefined;
}

export const DEFAULT_BASE_URL = 'https://api.replicate.com/v1';
const DEFAULT_TIMEOUT = 60_000;

/**
 * The HTTP core: auth, retries, timeouts and error mapping. The only module (with `retry-policy`) that
 * knows ky exists. Holds the token option in a private field so it never shows in `inspect` or JSON.
 */
export class HttpClient {
  readonly baseUrl: string;
  readonly timeout: number;
  readonly #auth: AuthOption | undefined;
  readonly #options: ClientOptions;
  #ky: KyInstance | undefined;
  /** The policies, built on first use: `null` when no option needs them. */
  #gateway: Gateway | null | undefined;
  /** The last few tokens sent, for `redact`. */
  readonly #sent: string[] = [];

  constructor(options: ClientOptions = {}) {
    this.#options = options;
    this.#auth = options.auth;
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT;
  }

  /** The absolute URL of an API path with its query (undefined values dropped). */
  url(path: string, query?: Query): URL {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  }

  /** The client's policies (rate limit, key pool, hooks), built on first use; `undefined` when none is set. */
  get gateway(): Gateway | undefined {
    if (this.#gateway === undefined)
      this.#gateway = hasPolicies(this.#options) ? new Gateway(this.#options, this.baseUrl) : null;
    return this.#gateway ?? undefined;
  }

  /** A client whose every request uses `auth`, sharing this one's connection settings, limits and hooks. */
  withAuth(auth: AuthOption): HttpClient {
    const child = new HttpClient({ ...this.#options, auth, authByModel: undefined });
    child.#ky = this.#client();
    const parent = this.gateway;
    if (parent) child.#gateway = parent.derive(child.#options);
    return child;
  }

  /** Send a request; resolve with the 2xx response or throw the typed error. */
  async send(request: HttpRequest): Promise<Response> {
    const { response, call } = await this.#send(request);
    call?.succeeded(response);
    return response;
  }

  /** `send`, also returning the token it used (errors raised later are redacted of it) and the policies' call. */
  async #send(
    request: HttpRequest,
  ): Promise<{ response: Response; token?: string | undefined; call?: Call }> {
    const { method, json, signal, stopSignal } = request;
    signal?.throwIfAborted();
    stopSignal?.throwIfAborted();
    const timeout = request.timeout ?? this.timeout;
    const url = request.url === undefined ? this.url(request.path, request.query) : new URL(request.url);
    const sendsToken = mayReceiveToken(url, this.baseUrl);
    const headers = { 'user-agent': this.#options.userAgent ?? `replikit/${VERSION}`, ...request.headers };
    // Queueing for the rate limit or a key sends nothing: a stop may end it.
    const waits = signal ?? stopSignal;
    const call = await this.gateway?.begin({ method, url, json, headers, signal: waits, sendsToken });
    let token = call ? call.token : sendsToken ? resolveToken(this.#auth as SingleAuth) : undefined;
    const gate = stopSignal && !signal ? attemptGate(stopSignal, this.#fetch()) : undefined;
    for (;;) {
      try {
        const response = await this.#client()(url, {
          method,
          json: call ? call.json : json,
          body: request.body,
          signal: gate ? gate.signal : signal,
          ...(gate && { fetch: gate.fetch }),
          timeout,
          headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
          hooks: call && this.#attemptHooks(call),
        });
        gate?.dispose();
        this.#remember(call?.token ?? token);
        return { response, token: call?.token ?? token, call };
      } catch (error) {
        const failure = waits?.aborted
          ? waits.reason
          : toReplicateError(error, call?.token ?? token, timeout);
        if (!call || waits?.aborted) {
          gate?.dispose();
          throw call ? call.failed(failure) : failure;
        }
        // A pool key rejected with 401/402 leaves the rotation; the call goes again with the next key.
        if (!(await call.rotate(failure))) {
          gate?.dispose();
          throw call.failed(failure);
        }
        token = call.token;
      }
    }
  }

  /** ky hooks under policies: a throttled pool key rests (a free one retries at once); retries re-pick. */
  #attemptHooks(call: Call): Hooks {
    const limit = this.#options.maxRetries ?? 3;
    return {
      afterResponse: [
        ({ response, retryCount }) =>
          response.status === 429 && call.throttled(response.headers) && retryCount < limit
            ? ky.retry({ delay: 0, code: 'KEY_RESTING' })
            : undefined,
      ],
      beforeRetry: [
        async ({ request }) => {
          const token = await call.retry();
          if (token) request.headers.set('authorization', `Bearer ${token}`);
        },
      ],
    };
  }

  /**
   * `text` with the tokens this client sent recently replaced by their fingerprints: for messages built from
   * what a response said (a stream's `error` event) after `send` returned.
   */
  redact(text: string): string {
    return this.#sent.reduce((result, token) => redact(result, token), text);
  }

  #remember(token: string | undefined): void {
    if (!token || this.#sent.includes(token)) return;
    this.#sent.unshift(token);
    this.#sent.length = Math.min(this.#sent.length, 8);
  }

  /** Send a request and validate its JSON body with a schema. */
  async json<S extends z.ZodMiniType>(request: HttpRequest, schema: S): Promise<z.output<S>> {
    const { response, token, call } = await this.#send(request);
    try {
      const value = parseBody(await readText(response, request.signal), schema, request.path, token);
      call?.succeeded(response, value);
      return value;
    } catch (error) {
      throw call ? call.failed(error) : error;
    }
  }

  /** Send a request whose success body is plain text (e.g. a model's README). */
  async text(request: HttpRequest): Promise<string> {
    return readText(await this.send(request), request.signal);
  }

  /** Send a request whose success body is empty or irrelevant (204, 202). */
  async empty(request: HttpRequest): Promise<void> {
    const response = await this.send(request);
    await response.body?.cancel();
  }

  #fetch(): typeof fetch {
    return this.#options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  #client(): KyInstance {
    this.#ky ??= ky.create({
      fetch: this.#fetch(),
      throwHttpErrors: true,
      parseJson: lenientJson,
      retry: retryOptions({
        maxRetries: this.#options.maxRetries ?? 3,
        baseDelay: 500,
        maxDelay: 8_000,
        maxRetryAfter: this.#options.maxRetryAfter ?? 60_000,
        random: Math.random,
      }),
    });
    return this.#ky;
  }
}

/** Error bodies are parsed by ky with this: JSON when it is JSON, the text otherwise (HTML 404s exist). */
function lenientJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function readText(response: Response, signal: AbortSignal | undefined): Promise<string> {
  try {
    return await response.text();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw new ConnectionError('The connection closed while reading the response body.', { cause: error });
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

function toReplicateError(error: unknown, token: string | undefined, timeout: number): ReplicateError {
  if (error instanceof ReplicateError) return error;
  if (error instanceof HTTPError) {
    const { response } = error;
    // Every field, not only `detail`: a server may echo the token in a title, invalid_fields or a text body.
    const problem = toProblem(redactDeep(error.data, token));
    return errorFromResponse(response.status, problem, {
      headers: redactHeaders(response.headers, token),
      requestId: response.headers.get('x-request-id') ?? response.headers.get('cf-ray') ?? undefined,
    });
  }
  if (error instanceof KyTimeoutError) {
    return new TimeoutError(`The request timed out after ${timeout} ms.`, timeout);
  }
  const cause = error instanceof NetworkError ? error.cause : error;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new ConnectionError(`Could not reach Replicate: ${redact(reason, token)}`, {
    cause: redactError(cause, token),
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
