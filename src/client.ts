import { type ClientOptions, HttpClient } from './http/core';
import {
  AccountResource,
  Collections,
  HardwareResource,
  type SearchParams,
  SearchResource,
  WebhooksResource,
} from './resources/catalog';
import { Deployments } from './resources/deployments';
import { Files } from './resources/files';
import { Models } from './resources/models';
import { Predictions } from './resources/predictions';
import { Trainings } from './resources/trainings';
import type { SearchResult } from './schemas/search';

/** Options of `new Replicate()`. */
export type ReplicateOptions = ClientOptions;

/**
 * The Replicate API client. Construction does no I/O and reads no environment: the token is resolved on
 * the first request, so the client can be built at module scope in edge runtimes.
 * @example
 * import { Replicate } from 'replikit';
 * const replicate = new Replicate(); // REPLICATE_API_TOKEN from the environment
 * const prediction = await replicate.predictions.create({ model: 'black-forest-labs/flux-schnell', input: { prompt: 'a fox' }, wait: 60 });
 */
export class Replicate {
  /** Create, get, cancel and list predictions. */
  readonly predictions: Predictions;
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
  /** Uploaded files. */
  readonly files: Files;
  /** The default webhook signing secret. */
  readonly webhooks: WebhooksResource;
  readonly #http: HttpClient;
  readonly #search: SearchResource;

  constructor(options: ReplicateOptions = {}) {
    const http = new HttpClient(options);
    this.#http = http;
    this.predictions = new Predictions(http);
    this.models = new Models(http, this.predictions);
    this.deployments = new Deployments(http, this.predictions);
    this.trainings = new Trainings(http);
    this.collections = new Collections(http);
    this.hardware = new HardwareResource(http);
    this.account = new AccountResource(http);
    this.files = new Files(http);
    this.webhooks = new WebhooksResource(http);
    this.#search = new SearchResource(http);
  }

  /** The API base URL requests go to. */
  get baseUrl(): string {
    return this.#http.baseUrl;
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
