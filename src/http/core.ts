import type { z } from 'zod/mini';
import { ConnectionError } from '../errors.js';
import { sleep } from '../lifecycle/signals.js';
import type { Call } from '../policies/call.js';
import type { Gateway } from '../policies/gateway.js';
import { VERSION } from '../version.js';
import { type AttemptOptions, release, sendAttempts } from './attempts.js';
import { redact, resolveToken, type SingleAuth } from './auth.js';
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

/** A request ready to send: its URL, headers (without the token) and whether the token may go with it. */
export interface Prepared {
  request: HttpRequest;
  url: URL;
  headers: Record<string, string>;
  sendsToken: boolean;
}

/** What a request came back with: the 2xx response, the token it carried, and the policies' call, if any. */
export interface Exchange {
  response: Response;
  token?: string | undefined;
  call?: Call | undefined;
}

export const DEFAULT_BASE_URL = 'https://api.replicate.com/v1';
const DEFAULT_TIMEOUT = 60_000;

/**
 * The HTTP core: auth, retries (`attempts`), timeouts and error mapping. Holds the token option in a private
 * field so it never shows in `inspect` or JSON. `Replicate` uses `PolicyHttpClient` (policies/http.ts), which
 * adds the policies; `ReplicateCore` uses this one, so its bundle leaves them out.
 */
export class HttpClient {
  readonly baseUrl: string;
  readonly timeout: number;
  /** The options it was built with: private, so the token never shows when the client is inspected. */
  readonly #options: ClientOptions;
  /** The retry settings of every call: `maxRetries` retries, backoff from 500 ms up to 8 s. */
  readonly #retry: RetrySettings;
  /** The injected `fetch`, else the global one, looked up on each call (it may be replaced after this). */
  readonly #fetch: typeof fetch;
  /** The last few tokens sent, for `redact`. */
  readonly #sent: string[] = [];

  constructor(options: ClientOptions = {}) {
    this.#options = options;
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

  /** The options it was built with, for `PolicyHttpClient` (a getter: it stays out of `inspect`). */
  protected get options(): ClientOptions {
    return this.#options;
  }

  /** The client's policies (rate limit, key pool, hooks): none here; `PolicyHttpClient` has them. */
  get gateway(): Gateway | undefined {
    return undefined;
  }

  /** Send a request; resolve with the 2xx response or throw the typed error. */
  async send(request: HttpRequest): Promise<Response> {
    const { response, call } = await this.exchange(request);
    call?.succeeded(response);
    return response;
  }

  /** `send`, also returning the token it used (errors raised later are redacted of it) and the policies' call. */
  protected async exchange(request: HttpRequest): Promise<Exchange> {
    const prepared = this.prepare(request);
    const token = prepared.sendsToken ? resolveToken(this.options.auth as SingleAuth) : undefined;
    return { response: await this.attempt(prepared, request.json, () => token), token };
  }

  /** Check the signals and build the URL and headers of a request. */
  protected prepare(request: HttpRequest): Prepared {
    request.signal?.throwIfAborted();
    request.stopSignal?.throwIfAborted();
    const url = request.url === undefined ? this.url(request.path, request.query) : new URL(request.url);
    const headers: Record<string, string> = {
      'user-agent': this.options.userAgent ?? `replikit/${VERSION}`,
      ...(request.json !== undefined && { 'content-type': 'application/json' }),
      ...request.headers,
    };
    return { request, url, headers, sendsToken: mayReceiveToken(url, this.baseUrl) };
  }

  /**
   * Send with retries and resolve with the 2xx response; else throw the typed error, or the abort's reason.
   * `token()` is the token of the attempt (the policies may change it between retries), `policy` their say
   * in the retries.
   */
  protected async attempt(
    { request, url, headers }: Prepared,
    json: unknown,
    token: () => string | undefined,
    policy?: Pick<AttemptOptions, 'retryNow' | 'beforeRetry'>,
  ): Promise<Response> {
    const { method, signal, stopSignal } = request;
    const first = token();
    try {
      const response = await sendAttempts(
        {
          url,
          method,
          body: json === undefined ? request.body : JSON.stringify(json),
          headers: first ? { ...headers, authorization: `Bearer ${first}` } : headers,
        },
        {
          fetch: this.#fetch,
          retry: this.#retry,
          timeout: request.timeout ?? this.timeout,
          signal,
          stopSignal,
          ...policy,
        },
      );
      if (!response.ok) throw await errorFromHttp(response, token());
      this.#remember(token());
      return response;
    } catch (error) {
      // An abort (a stop, for a create: while no attempt was in flight) rejects with its reason.
      const waits = signal ?? stopSignal;
      throw waits?.aborted ? waits.reason : toReplicateError(error, token());
    }
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
      const { response, token, call } = await this.exchange(request);
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
