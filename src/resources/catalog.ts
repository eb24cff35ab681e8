import * as z from 'zod/mini';
import { checkSegment, invalidValue } from '../identifiers.js';
import type { Paginator } from '../paginator.js';
import {
  type Collection,
  type CollectionSummary,
  collectionSchema,
  collectionSummarySchema,
} from '../schemas/collection.js';
import {
  type Account,
  accountSchema,
  type Hardware,
  hardwareSchema,
  type WebhookSecret,
  webhookSecretSchema,
} from '../schemas/platform.js';
import { type SearchResult, searchResultSchema } from '../schemas/search.js';
import { paginate, type RequestOptions, Resource } from './base.js';

/** `replicate.collections`: curated lists of models. */
export class Collections extends Resource {
  /**
   * List collections.
   * @example
   * for await (const collection of replicate.collections.list()) console.log(collection.slug);
   */
  list(options?: RequestOptions): Paginator<CollectionSummary> {
    return paginate(this.http, '/collections', collectionSummarySchema, {}, options);
  }

  /**
   * Get a collection with its models.
   * @example
   * const { models } = await replicate.collections.get('text-to-image');
   */
  async get(slug: string, options?: RequestOptions): Promise<Collection> {
    return this.getJson(`/collections/${checkSegment('slug', slug)}`, collectionSchema, options);
  }
}

/** `replicate.hardware`. */
export class HardwareResource extends Resource {
  /**
   * List the hardware SKUs models and deployments can run on.
   * @example
   * const skus = (await replicate.hardware.list()).map((h) => h.sku);
   */
  list(options?: RequestOptions): Promise<Hardware[]> {
    return this.getJson('/hardware', z.array(hardwareSchema), options);
  }
}

/** `replicate.account`. */
export class AccountResource extends Resource {
  /**
   * The account that owns the token.
   * @example
   * const { username } = await replicate.account.get();
   */
  get(options?: RequestOptions): Promise<Account> {
    return this.getJson('/account', accountSchema, options);
  }
}

/** `replicate.webhooks`. */
export class WebhooksResource extends Resource {
  /** `replicate.webhooks.default.secret.get()`: the signing secret for `verifyWebhook`. */
  readonly default = {
    secret: {
      /**
       * Get the default webhook signing secret (`whsec_…`).
       * @example
       * const { key } = await replicate.webhooks.default.secret.get();
       */
      get: (options?: RequestOptions): Promise<WebhookSecret> =>
        this.getJson('/webhooks/default/secret', webhookSecretSchema, options),
    },
  };
}

/** Options of `replicate.search`. */
export interface SearchParams extends RequestOptions {
  /** Results per category, 1..50. @default 20 */
  limit?: number;
}

/** Runs `GET /search` for `replicate.search(query)`. */
export class SearchResource extends Resource {
  async run(query: string, params: SearchParams = {}): Promise<SearchResult> {
    const { limit, ...options } = params;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= 50)) {
      throw invalidValue('limit', limit, 'use an integer from 1 to 50.');
    }
    return this.getJson('/search', searchResultSchema, options, { query, limit });
  }
}
