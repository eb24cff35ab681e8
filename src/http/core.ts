import type { z } from 'zod/mini';
import { ConnectionError } from '../errors.js';
import { sleep } from '../lifecycle/signals.js';
import type { Call } from '../policies/call.js';
import type { Gateway } from '../policies/gateway.js';
import { hasPolicies } from '../policies/options.js';
import { VERSION } from '../version.js';
import { type AttemptOptions, release, sendAttempts } from './attempts.js';
import { type AuthOption, redact, resolveToken, type SingleAuth } from './auth.js';
import { mayReceiveToken } from './hosts.js';
import type { ClientOptions } from './options.js';
import { errorFromHttp, parseBody, readText, toReplicateError } from './responses.js';
import { type RetrySettings, retryDelay } from './retry-policy.js';

export type { ClientOptions } from './options.js';
export { parseBody } from './responses.js';

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

/**
 * Builds a client's policies (rate limits, key pools, hooks). `Replicate` hands one to its HTTP core;
 * `ReplicateCore` does not, so a bundle of it leaves the policies out.
 */
export type PolicyFactory = (options: ClientOptions, baseUrl: string) => Gateway;

export const DEFAULT_BASE_URL = 'https://api.replicate.com/v1';
const DEFAULT_TIMEOUT = 60_000;

/**
 * The HTTP core: auth, retries (`attempts`), timeouts and error mapping. Holds the token option in a private
 * field so it never shows in `inspect` or JSON.
 */
export class HttpClient {
  readonly baseUrl: string;
  readonly timeout: number;
  readonly #auth: AuthOption | undefined;
  readonly #options: ClientOptions;
  readonly #policies: PolicyFactory | undefined;
  /** The retry settings of every call: `maxRetries` retries, backoff from 500 ms up to 8 s. */
  readonly #retry: RetrySettings;
  /** The injected `fetch`, else the global one, looked up on each call (it may be replaced after this). */
  readonly #fetch: typeof fetch;
  /** The policies, built on first use: `null` when no option needs them. */
  #gateway: Gateway | null | undefined;
  /** The last few tokens sent, for `redact`. */
  readonly #sent: string[] = [];

  constructor(options: ClientOptions = {}, policies?: PolicyFactory) {
    this.#options = options;
    this.#policies = policies;
    this.#auth = options.auth;
    this.baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, '');
    this.timeout = options.timeout ?? DEFAULT_TIMEOUT;
    this.#retry = {
      maxRetries: options.maxRetries ?? 3,
      baseDelay: 500,
      maxDelay: 8_000,
      maxRetryAfter: options.maxRetryAfter ?? 60_000,
    };
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
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
      this.#gateway =
        this.#policies && hasPolicies(this.#options) ? this.#policies(this.#options, this.baseUrl) : null;
    return this.#gateway ?? undefined;
  }

  /** A client whose every request uses `auth`, sharing this one's connection settings, limits and hooks. */
  withAuth(auth: AuthOption): HttpClient {
    const child = new HttpClient({ ...this.#options, auth, authByModel: undefined }, this.#policies);
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
    const headers: Record<string, string> = {
      'user-agent': this.#options.userAgent ?? `replikit/${VERSION}`,
      ...(json !== undefined && { 'content-type': 'application/json' }),
      ...request.headers,
    };
    // Queueing for the rate limit or a key sends nothing: a stop may end it.
    const waits = signal ?? stopSignal;
    const call = await this.gateway?.begin({ method, url, json, headers, signal: waits, sendsToken });
    let token = call ? call.token : sendsToken ? resolveToken(this.#auth as SingleAuth) : undefined;
    const sent = call ? call.json : json;
    const body = sent === undefined ? request.body : JSON.stringify(sent);
    for (;;) {
      try {
        const response = await sendAttempts(
          { url, method, body, headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers },
          { ...this.#attemptOptions(call), timeout, signal, stopSignal },
        );
        token = call?.token ?? token;
        if (!response.ok) throw await errorFromHttp(response, token);
        this.#remember(token);
        return { response, token, call };
      } catch (error) {
        const failure = waits?.aborted ? waits.reason : toReplicateError(error, call?.token ?? token);
        if (!call || waits?.aborted) throw call ? call.failed(failure) : failure;
        // A pool key rejected with 401/402 leaves the rotation; the call goes again with the next key.
        if (!(await call.rotate(failure))) throw call.failed(failure);
        token = call.token;
      }
    }
  }

  /** Fetch, retry settings and, under policies, the hooks: a throttled pool key rests; retries re-pick. */
  #attemptOptions(call: Call | undefined) {
    return {
      fetch: this.#fetch,
      retry: this.#retry,
      ...(call && {
        retryNow: (response: Response) => response.status === 429 && call.throttled(response.headers),
        beforeRetry: () => call.retry(),
      }),
    } satisfies Partial<AttemptOptions>;
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

  /**
   * Send a request and validate its JSON body with a schema. A GET, QUERY or DELETE whose body is cut off
   * mid-read is sent again (with the retries' backoff and budget), as a reset before the headers would be.
   */
  async json<S extends z.ZodMiniType>(request: HttpRequest, schema: S): Promise<z.output<S>> {
    for (let retry = 1; ; retry++) {
      const { response, token, call } = await this.#send(request);
      let text: string;
      try {
        text = await readText(response, request.signal);
      } catch (error) {
        const failure = call ? call.failed(error) : error;
        const delay =
          error instanceof ConnectionError
            ? retryDelay(request.method, { networkError: error }, retry, this.#retry)
            : undefined;
        if (delay === undefined || request.signal?.aborted) throw failure;
        await sleep(delay, request.signal ?? request.stopSignal);
        continue;
      }
      try {
        const value = parseBody(text, schema, request.path, token);
        call?.succeeded(response, value);
        return value;
      } catch (error) {
        throw call ? call.failed(error) : error;
      }
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
    release(response);
  }
}
