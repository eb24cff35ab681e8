import { checkSegment } from '../identifiers.js';
import { Paginator } from '../paginator.js';
import { type Model, modelSchema, versionSchema } from '../schemas/model.js';
import { pageSchema } from '../schemas/page.js';
import { type Prediction, predictionSchema } from '../schemas/prediction.js';
import { modelPath, paginate, type RequestOptions, Resource, remove } from './base.js';
import type { CorePredictions, CreateOptions } from './predictions.js';

/** Body of `models.create` (`POST /models`). */
export interface ModelCreateParams {
  owner: string;
  name: string;
  visibility: 'public' | 'private';
  /** Hardware SKU, e.g. `'gpu-a40-large'` (see `replicate.hardware.list()`). */
  hardware: string;
  description?: string;
  github_url?: string;
  paper_url?: string;
  license_url?: string;
  cover_image_url?: string;
}

/** Body of `models.update` (`PATCH /models/{owner}/{name}`). */
export interface ModelUpdateParams {
  description?: string;
  github_url?: string;
  paper_url?: string;
  license_url?: string;
  readme?: string;
  weights_url?: string;
}

/** Options of `models.list`. */
export interface ModelListParams extends RequestOptions {
  /** @default 'latest_version_created_at' */
  sortBy?: 'model_created_at' | 'latest_version_created_at';
  /** @default 'desc' */
  sortDirection?: 'asc' | 'desc';
}

/** `replicate.models`: models, their versions, README, examples and predictions. */
export class Models extends Resource {
  /** `replicate.models.versions`. */
  readonly versions = new ModelVersions(this.http);
  /** `replicate.models.readme.get(owner, name)`: the README as Markdown. */
  readonly readme = {
    get: async (owner: string, name: string, options?: RequestOptions): Promise<string> =>
      this.http.text({ method: 'GET', path: `${modelPath(owner, name)}/readme`, ...options }),
  };
  /** `replicate.models.examples.list(owner, name)`: the model's example predictions. */
  readonly examples = {
    list: (owner: string, name: string, options?: RequestOptions): Paginator<Prediction> =>
      paginate(this.http, `${modelPath(owner, name)}/examples`, predictionSchema, {}, options),
  };
  /** `replicate.models.predictions.create(owner, name, { input })`: run an official model by name. */
  readonly predictions: {
    create: <Output = unknown>(
      owner: string,
      name: string,
      params: CreateOptions & { input: Record<string, unknown> },
    ) => Promise<Prediction<Output>>;
  };

  constructor(http: ConstructorParameters<typeof Resource>[0], predictions: CorePredictions) {
    super(http);
    this.predictions = {
      create: async (owner, name, params) =>
        predictions.create({
          ...params,
          model: `${checkSegment('owner', owner)}/${checkSegment('name', name)}`,
        }),
    };
  }

  /**
   * List public models across pages.
   * @example
   * for await (const model of replicate.models.list({ sortBy: 'model_created_at' })) console.log(model.name);
   */
  list(params: ModelListParams = {}): Paginator<Model> {
    const { sortBy, sortDirection, ...options } = params;
    return paginate(
      this.http,
      '/models',
      modelSchema,
      { sort_by: sortBy, sort_direction: sortDirection },
      options,
    );
  }

  /**
   * Get a model, with its latest version and input schema.
   * @example
   * const model = await replicate.models.get('meta', 'meta-llama-3-8b-instruct');
   */
  async get(owner: string, name: string, options?: RequestOptions): Promise<Model> {
    return this.getJson(modelPath(owner, name), modelSchema, options);
  }

  /**
   * Create a model (201).
   * @example
   * await replicate.models.create({ owner: 'acme', name: 'hotdog', visibility: 'private', hardware: 'cpu' });
   */
  create(params: ModelCreateParams, options?: RequestOptions): Promise<Model> {
    return this.sendJson('POST', '/models', modelSchema, params, options);
  }

  /**
   * Update a model's metadata.
   * @example
   * await replicate.models.update('acme', 'hotdog', { description: 'Detects hot dogs' });
   */
  async update(
    owner: string,
    name: string,
    params: ModelUpdateParams,
    options?: RequestOptions,
  ): Promise<Model> {
    return this.sendJson('PATCH', modelPath(owner, name), modelSchema, params, options);
  }

  /**
   * Delete a private model that has no versions (204).
   * @example
   * await replicate.models.delete('acme', 'hotdog');
   */
  async delete(owner: string, name: string, options?: RequestOptions): Promise<void> {
    return remove(this.http, modelPath(owner, name), options);
  }

  /**
   * Legacy search with the HTTP `QUERY` method; prefer `replicate.search()`.
   * @example
   * const models = await replicate.models.search('upscaler').toArray(10);
   */
  search(query: string, options?: RequestOptions): Paginator<Model> {
    const page = pageSchema(modelSchema);
    return new Paginator((q) =>
      this.http.json(
        {
          method: 'QUERY',
          path: '/models',
          query: q,
          body: query,
          headers: { 'content-type': 'text/plain' },
          ...options,
        },
        page,
      ),
    );
  }
}

/** `replicate.models.versions`. */
export class ModelVersions extends Resource {
  /**
   * List a model's versions, newest first.
   * @example
   * const [latest] = await replicate.models.versions.list('stability-ai', 'sdxl').toArray(1);
   */
  list(owner: string, name: string, options?: RequestOptions) {
    return paginate(this.http, `${modelPath(owner, name)}/versions`, versionSchema, {}, options);
  }

  /**
   * Get one version, with its `openapi_schema`.
   * @example
   * const version = await replicate.models.versions.get('stability-ai', 'sdxl', '39ed52f2…');
   */
  async get(owner: string, name: string, id: string, options?: RequestOptions) {
    return this.getJson(
      `${modelPath(owner, name)}/versions/${checkSegment('version', id)}`,
      versionSchema,
      options,
    );
  }

  /**
   * Delete a version (202: deletion is asynchronous).
   * @example
   * await replicate.models.versions.delete('acme', 'hotdog', versionId);
   */
  async delete(owner: string, name: string, id: string, options?: RequestOptions): Promise<void> {
    return remove(this.http, `${modelPath(owner, name)}/versions/${checkSegment('version', id)}`, options);
  }
}
