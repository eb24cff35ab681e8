import { raceAbort } from '../lifecycle/signals.js';
import type { Prediction } from '../schemas/prediction.js';
import { encodeBase64 } from '../webhooks/base64.js';
import { type FakeClock, type ManualClock, manualClock, onSettle, settle, systemClock } from './clock.js';
import type { FakeEnv, ModelEntry } from './env.js';
import { hostsFor } from './env.js';
import { type FaultRule, Faults, matchesRoute, type RouteMatcher } from './faults.js';
import { createHandle, type RecordedRequest } from './handler.js';
import { type HandlersOptions, type MswHandler, mswHandlers, mswHandlersSync } from './msw.js';
import type { FakeReplicateOptions } from './options.js';
import { snapshot } from './prediction.js';
import { presetModels } from './presets.js';
import { randomBytes, seededRandom, versionIdFor } from './random.js';
import { RateLimiter } from './rate-limit.js';
import { downloadUrl } from './routes-files.js';
import type { FakeServer, ListenOptions } from './server.js';
import { FakeState } from './state.js';
import { type WebhookAttempt, WebhookDispatcher } from './webhooks.js';

/**
 * A fake Replicate API. See {@link createFakeReplicate}.
 * @example
 * const fake: FakeReplicate = createFakeReplicate();
 * await replicate.predictions.create({ model: 'meta/meta-llama-3-8b-instruct', input: { prompt: 'Hi' } });
 * expect(fake.count('create')).toBe(1);
 */
export interface FakeReplicate {
  /** Answer one request: the web-standard heart of the fake (Workers, browsers, Node). */
  handle(request: Request): Promise<Response>;
  /** A WHATWG `fetch` served by the fake: `new Replicate({ auth: 'test', fetch: fake.fetch })`. */
  fetch: typeof fetch;
  /**
   * msw request handlers serving the fake on Replicate's API, stream and delivery hosts, for
   * `setupServer(...fake.handlers)` or `server.use(...)`. msw is an optional peer, loaded on first access
   * with `require` (Node, Bun, Deno; this throws without msw) and never named by these declarations (see
   * {@link MswHandler}). In a browser (`setupWorker`) or for other origins, use `loadHandlers`.
   */
  readonly handlers: MswHandler[];
  /**
   * `handlers`, with msw imported on demand: any runtime, and `origins` for a client with another `baseUrl`.
   * @example
   * const worker = setupWorker(...(await fake.loadHandlers()));
   */
  loadHandlers(options?: HandlersOptions): Promise<MswHandler[]>;
  /** Serve the fake on 127.0.0.1 for other processes (Node only). */
  listen(options?: ListenOptions): Promise<FakeServer>;
  /** The fake's clock. */
  readonly clock: FakeClock;
  /** Move a manual clock forward by `ms` and let everything react. Throws with the system clock. */
  advance(ms: number): Promise<void>;
  /** The predictions, as `GET /predictions/{id}` would return them now. */
  readonly predictions: {
    get(id: string): Prediction | undefined;
    /** Newest first. */
    list(): Prediction[];
  };
  /** Uploaded files. */
  readonly files: {
    /** A signed `GET /files/{id}/download` URL, valid for `seconds` (default 3600). */
    downloadUrl(id: string, options?: { seconds?: number; baseUrl?: string }): Promise<string>;
  };
  /** Webhook deliveries. */
  readonly webhooks: {
    /** The signing secret (`whsec_…`). */
    readonly secret: string;
    /** Every delivery attempt so far. */
    readonly attempts: readonly WebhookAttempt[];
    /** Resolves once no delivery is in flight. */
    idle(): Promise<void>;
  };
  /** Inject faults. */
  readonly faults: { add(rule: FaultRule): () => void; clear(): void };
  /** Every request received, in order. */
  readonly requests: readonly RecordedRequest[];
  /** How many requests matched (all of them without a matcher); `count('create')` counts prediction creates. */
  count(route?: RouteMatcher): number;
  /** End streams, held requests and webhook schedules, and close servers started by `listen`. */
  close(): Promise<void>;
}

/**
 * A faithful fake of the Replicate HTTP API, in memory: predictions run on a clock through
 * `starting → processing → succeeded | failed | canceled | aborted`, with `Prefer: wait`, `Cancel-After`,
 * SSE streams, cursor pages, files, signed webhooks, problem+json errors, rate limits and injectable
 * faults. No network is involved unless you `listen()` or send webhooks to URLs.
 * @example
 * import { Replicate } from 'replikit';
 * import { createFakeReplicate, echo, textModel } from 'replikit/testing';
 *
 * const fake = createFakeReplicate({ models: { 'acme/echo': textModel({ respond: echo }) } });
 * const replicate = new Replicate({ auth: 'test', fetch: fake.fetch });
 * const output = await replicate.run('acme/echo', { input: { prompt: 'hello world' } }); // ['hello', ' world']
 */
export function createFakeReplicate(options: FakeReplicateOptions = {}): FakeReplicate {
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  const clock =
    options.clock === 'manual'
      ? manualClock()
      : options.clock === undefined || options.clock === 'system'
        ? systemClock()
        : options.clock;
  const state = new FakeState();
  const closing = new AbortController();
  const webhookSecret =
    options.webhookSecret ?? `whsec_${encodeBase64(randomBytes(seededRandom(seed ^ 0x5eed), 24))}`;
  const webhooks = new WebhookDispatcher({
    clock,
    state,
    random,
    secret: webhookSecret,
    handler: options.onWebhook,
    fetch: options.webhookFetch,
    retries: options.webhookRetries ?? 3,
    closed: closing.signal,
  });
  onSettle(clock, () => webhooks.idle());
  const env: FakeEnv = {
    clock,
    state,
    random,
    models: modelEntries(options),
    deployments: new Map(Object.entries(options.deployments ?? {})),
    pageSize: Math.max(1, options.pageSize ?? 100),
    webhooks,
    webhookSecret,
    downloadKey: crypto.subtle.importKey(
      'raw',
      randomBytes(seededRandom(seed ^ 0xf11e), 32),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    ),
    account: options.account ?? { type: 'user', username: 'replikit-test', name: 'Replikit Test' },
    closed: closing.signal,
  };
  // Fault draws have their own stream, so ids and generated content do not shift when faults are added.
  const faults = new Faults(seededRandom(seed ^ 0xfa17), options.faults);
  const log: RecordedRequest[] = [];
  const handle = createHandle({
    env,
    faults,
    log,
    limiter: options.rateLimit === false ? undefined : new RateLimiter(clock, options.rateLimit),
    accepts: acceptor(options.auth),
  });
  const servers = new Set<FakeServer>();

  const fakeFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    request.signal.throwIfAborted();
    return raceAbort(handle(request), request.signal);
  };

  let handlers: MswHandler[] | undefined;
  return {
    handle,
    fetch: fakeFetch as typeof fetch,
    get handlers() {
      handlers ??= mswHandlersSync(handle);
      return handlers;
    },
    loadHandlers: (handlerOptions) => mswHandlers(handle, handlerOptions),
    async listen(listenOptions) {
      const { listenNode } = await import('./server.js');
      const server = await listenNode(handle, listenOptions);
      servers.add(server);
      return {
        ...server,
        close: () => {
          servers.delete(server);
          return server.close();
        },
      };
    },
    clock,
    async advance(ms) {
      if (!isManual(clock)) {
        throw new TypeError('fake.advance() needs a manual clock: createFakeReplicate({ clock: "manual" }).');
      }
      await clock.advance(ms);
      await webhooks.idle();
      await settle();
    },
    predictions: {
      get: (id) => {
        const record = state.predictions.get(id);
        return record && (snapshot(record, clock.now()) as Prediction);
      },
      list: () =>
        [...state.predictions.values()]
          .sort((a, b) => b.seq - a.seq)
          .map((record) => snapshot(record, clock.now()) as Prediction),
    },
    files: {
      downloadUrl: (id, { seconds, baseUrl = 'https://api.replicate.com/v1' } = {}) =>
        downloadUrl(env, hostsFor(new URL(baseUrl)), id, seconds),
    },
    webhooks: {
      secret: webhookSecret,
      attempts: webhooks.attempts,
      idle: () => webhooks.idle(),
    },
    faults: { add: (rule) => faults.add(rule), clear: () => faults.clear() },
    requests: log,
    count: (route) => log.filter((entry) => matchesRoute(route, routeOf(entry))).length,
    async close() {
      closing.abort(new Error('The fake Replicate was closed.'));
      state.notifyAll();
      await Promise.all([...servers].map((server) => server.close()));
      servers.clear();
    },
  };
}

function modelEntries(options: FakeReplicateOptions): Map<string, ModelEntry> {
  const presets =
    options.presets === false ? {} : presetModels(options.presets === true ? {} : options.presets);
  const entries = new Map<string, ModelEntry>();
  for (const [name, definition] of Object.entries({ ...presets, ...options.models })) {
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)\/([A-Za-z0-9][A-Za-z0-9._-]*)$/.exec(name);
    if (!match)
      throw new RangeError(`createFakeReplicate: model names are "owner/name", got ${JSON.stringify(name)}`);
    const versionId = definition.version ?? versionIdFor(name);
    entries.set(name, { owner: match[1]!, name: match[2]!, definition, versionId });
  }
  return entries;
}

function acceptor(auth: FakeReplicateOptions['auth']): (token: string) => boolean {
  if (typeof auth === 'function') return auth;
  if (auth === undefined) return (token) => token.length > 0;
  const accepted = new Set(typeof auth === 'string' ? [auth] : auth);
  return (token) => accepted.has(token);
}

function isManual(clock: FakeClock): clock is ManualClock {
  return typeof (clock as Partial<ManualClock>).advance === 'function';
}

function routeOf(entry: RecordedRequest) {
  const path = new URL(entry.url).pathname;
  return {
    operation: entry.operation,
    method: entry.method,
    path: path.startsWith('/v1/') ? path.slice(3) : path,
  };
}
