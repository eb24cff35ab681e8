import { ChatCompletions } from './chat/completions.js';
import { contextOf, handOver, ReplicateCore, type ReplicateCoreOptions, takeHanded } from './client-core.js';
import type { AuthOption } from './http/auth.js';
import type { ClientOptions, HttpClient } from './http/core.js';
import { PolicyHttpClient } from './policies/http.js';
import {
  AccountResource,
  Collections,
  HardwareResource,
  type SearchParams,
  SearchResource,
  WebhooksResource,
} from './resources/catalog.js';
import { Deployments } from './resources/deployments.js';
import { Files } from './resources/files.js';
import { Models } from './resources/models.js';
import { Predictions } from './resources/predictions.js';
import { Trainings } from './resources/trainings.js';
import type { SearchResult } from './schemas/search.js';
import { usageReporter } from './usage.js';

/** Options of `new Replicate()`. */
export type ReplicateOptions = ClientOptions;

/**
 * The Replicate API client: every operation of the API, OpenAI-style chat and the policies (rate limits, key
 * pools, hooks) on top of `ReplicateCore` (predictions, files, `run`, `stream`, `wait`). Construction does no
 * I/O and reads no environment: the token is resolved on the first request, so the client can be built at
 * module scope in edge runtimes.
 * @example
 * import { Replicate } from 'replikit';
 * const replicate = new Replicate(); // REPLICATE_API_TOKEN from the environment
 * const prediction = await replicate.predictions.create({ model: 'black-forest-labs/flux-schnell', input: { prompt: 'a fox' }, wait: 60 });
 */
export class Replicate extends ReplicateCore {
  /** Create, get, cancel and list predictions. */
  declare readonly predictions: Predictions;
  /** Upload, list, get, delete and download files. */
  declare readonly files: Files;
  /** Models, versions, README, examples, legacy search. */
  readonly models: Models;
  /** Deployments and their predictions. */
  readonly deployments: Deployments;
  /** Trainings (fine-tunes). */
  readonly trainings: Trainings;
  /** Curated collections of models. */
  readonly collections: Collections;
  /** Hardware SKUs. */
  readonly hardware: HardwareResource;
  /** The token's account. */
  readonly account: AccountResource;
  /** The default webhook signing secret. */
  readonly webhooks: WebhooksResource;
  /** OpenAI-style chat completions on Replicate's language models. */
  readonly chat: { readonly completions: ChatCompletions };
  readonly #search: SearchResource;
  readonly #options: ReplicateOptions;

  constructor(options: ReplicateOptions = {}) {
    // A `withAuth` client comes with its HTTP core; any other builds one with the policies.
    super(handOver(options as ReplicateCoreOptions, takeHanded() ?? new PolicyHttpClient(options)));
    const context = contextOf(this);
    const { http } = context;
    context.usage = usageReporter(options.onUsage, http, this.predictions);
    this.#options = options;
    this.models = new Models(http, this.predictions);
    this.deployments = new Deployments(http, this.predictions);
    this.trainings = new Trainings(http);
    this.collections = new Collections(http);
    this.hardware = new HardwareResource(http);
    this.account = new AccountResource(http);
    this.webhooks = new WebhooksResource(http);
    this.#search = new SearchResource(http);
    const { fallback, coldStartTimeout } = options;
    const withAuth = (auth: AuthOption) => this.withAuth(auth).chat.completions;
    this.chat = {
      completions: new ChatCompletions(contextOf(this), this.models, {
        fallback,
        coldStartTimeout,
        withAuth,
      }),
    };
  }

  protected override resources(http: HttpClient): { predictions: Predictions; files: Files } {
    return { predictions: new Predictions(http), files: new Files(http) };
  }

  /**
   * A client whose every request uses `auth` (a key or a pool) instead of `auth` and `authByModel`: a per-request
   * key, e.g. each tenant's own. It shares this client's rate limits, hooks and other options. Cheap to make.
   * @example
   * const output = await replicate.withAuth(tenant.replicateKey).run('black-forest-labs/flux-schnell', { input });
   */
  withAuth(auth: AuthOption): Replicate {
    return new Replicate(handOver(this.#options, (contextOf(this).http as PolicyHttpClient).withAuth(auth)));
  }

  /**
   * Search models, collections and docs (`GET /search`).
   * @example
   * const { models } = await replicate.search('upscale images', { limit: 5 });
   */
  search(query: string, params?: SearchParams): Promise<SearchResult> {
    return this.#search.run(query, params);
  }
}
