import type { AuthOption } from '../http/auth.js';
import { Call } from './call.js';
import type { RequestEvent } from './hooks.js';
import { notify } from './hooks.js';
import { type KeyPool, type KeySource, keySource, pickFrom } from './key-pool.js';
import type { PolicyOptions } from './options.js';
import { RateLimiter } from './rate-limit.js';
import { describeCall, predictionIdOf } from './request-info.js';

/** The client options the gateway acts on (documented on `ClientOptions` and `PolicyOptions`). */
export type GatewayOptions = Pick<
  PolicyOptions,
  'authByModel' | 'rateLimit' | 'transformInput' | 'onRequest' | 'onResponse' | 'onError'
> & {
  auth?: AuthOption | undefined;
  maxRetryAfter?: number | undefined;
};

/** What a derived client (`withAuth`) shares with its parent: the limits, the hooks' counter, sticky keys. */
interface Shared {
  limiter: RateLimiter | undefined;
  /** Prediction id or stream URL → the key that created it: predictions belong to one account. */
  sticky: Map<string, string>;
  byModel: Map<string, KeySource>;
  seq: number;
}

/** Entries of the sticky map: the id and stream URL of the last 10,000 predictions. */
const STICKY_MAX = 20_000;

/** What the HTTP core hands over for one call. */
export interface CallInput {
  method: string;
  url: URL;
  json: unknown;
  headers: Record<string, string>;
  signal: AbortSignal | undefined;
  /** Whether the URL may receive the token at all (`mayReceiveToken`). */
  sendsToken: boolean;
}

/**
 * A client's policies: rate limits, key pools and overrides, input transforms and hooks. Built on the first
 * request that needs it, never at construction; the HTTP core maps these calls onto its attempts.
 */
export class Gateway {
  readonly #options: GatewayOptions;
  readonly #baseUrl: string;
  readonly #shared: Shared;
  readonly #source: KeySource;
  /** A `withAuth` client: its key wins over sticky and per-model keys, and is never remembered. */
  readonly #override: boolean;

  constructor(options: GatewayOptions, baseUrl: string, shared?: Shared) {
    this.#options = options;
    this.#baseUrl = baseUrl;
    this.#override = shared !== undefined;
    this.#shared = shared ?? {
      limiter: options.rateLimit ? new RateLimiter(options.rateLimit) : undefined,
      sticky: new Map(),
      byModel: new Map(),
      seq: 0,
    };
    this.#source = keySource(options.auth);
  }

  /** The client's rate limiter, when `rateLimit` is set (chat reserves tokens on it). */
  get limiter(): RateLimiter | undefined {
    return this.#shared.limiter;
  }

  /** A gateway for a client whose every request uses `auth`, sharing limits and hooks with this one. */
  derive(options: GatewayOptions): Gateway {
    return new Gateway(options, this.#baseUrl, this.#shared);
  }

  /** Prepare one call: transform its input, wait for the rate limit, pick its key, tell `onRequest`. */
  async begin(input: CallInput): Promise<Call> {
    const started = Date.now();
    const { method, url, signal } = input;
    const { path, ...described } = describeCall(method, url, this.#baseUrl, input.json);
    let json = input.json;
    const transform = this.#options.transformInput;
    const body = json as { input?: unknown } | undefined;
    if (described.kind === 'create' && transform && body?.input && typeof body.input === 'object') {
      json = {
        ...body,
        input: await transform(body.input as Record<string, unknown>, { model: described.model, path }),
      };
    }
    const { limiter } = this.#shared;
    if (limiter && described.kind !== 'external') await limiter.take(described.kind, signal);
    const key = input.sendsToken ? await this.#key(described, url, signal) : undefined;
    const info: RequestEvent = {
      id: ++this.#shared.seq,
      method,
      url: url.href,
      ...described,
      headers: { ...input.headers },
      body: json,
    };
    const call = new Call(this, info, json, key, started, signal);
    notify(this.#options.onRequest, { ...call.info, headers: { ...call.info.headers } });
    return call;
  }

  /** The key for a call: override, else the key that created its prediction, else the model's, else the pool's. */
  async #key(described: Pick<RequestEvent, 'model' | 'predictionId'>, url: URL, signal?: AbortSignal) {
    if (!this.#override) {
      const sticky = this.#shared.sticky.get(described.predictionId ?? url.href);
      if (sticky) return { token: sticky };
      const byModel = described.model && this.#options.authByModel?.[described.model];
      if (described.model && byModel) {
        const { byModel: sources } = this.#shared;
        const source =
          sources.get(described.model) ?? keySource(byModel, `authByModel['${described.model}']`);
        sources.set(described.model, source);
        return { token: await pickFrom(source, signal), pool: poolOf(source), remember: true };
      }
    }
    const token = await pickFrom(this.#source, signal);
    const remember = !this.#override && ('pool' in this.#source || this.#options.authByModel !== undefined);
    return { token, pool: poolOf(this.#source), remember };
  }

  /** Remember which key created a prediction, for its get, cancel and stream. */
  remember(value: unknown, token: string): void {
    const { sticky } = this.#shared;
    const id = predictionIdOf(value);
    if (!id) return;
    const urls = (value as { urls?: Record<string, unknown> }).urls ?? {};
    sticky.set(id, token);
    if (typeof urls.stream === 'string' && URL.canParse(urls.stream))
      sticky.set(new URL(urls.stream).href, token);
    for (const oldest of sticky.keys()) {
      if (sticky.size <= STICKY_MAX) break;
      sticky.delete(oldest);
    }
  }

  get options(): GatewayOptions {
    return this.#options;
  }
}

function poolOf(source: KeySource): KeyPool | undefined {
  return 'pool' in source ? source.pool : undefined;
}
