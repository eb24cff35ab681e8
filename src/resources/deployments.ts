import { checkSegment } from '../identifiers.js';
import type { Paginator } from '../paginator.js';
import { type Deployment, deploymentSchema } from '../schemas/deployment.js';
import type { Prediction } from '../schemas/prediction.js';
import { paginate, type RequestOptions, Resource, remove } from './base.js';
import type { CorePredictions, CreateOptions } from './predictions.js';

/** Body of `deployments.create`. */
export interface DeploymentCreateParams {
  name: string;
  /** `owner/name` of the model. */
  model: string;
  /** 64-hex version id. */
  version: string;
  /** Hardware SKU, e.g. `'gpu-t4'`. */
  hardware: string;
  /** 0..5 */
  min_instances: number;
  /** 0..20 */
  max_instances: number;
}

/** Body of `deployments.update`: what a new release changes. */
export interface DeploymentUpdateParams {
  hardware?: string;
  min_instances?: number;
  max_instances?: number;
  version?: string;
}

const deploymentPath = (owner: string, name: string) =>
  `/deployments/${checkSegment('owner', owner)}/${checkSegment('name', name)}`;

/** `replicate.deployments`: CRUD and predictions on your deployments. */
export class Deployments extends Resource {
  /** `replicate.deployments.predictions.create(owner, name, { input })`. */
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
          deployment: `${checkSegment('owner', owner)}/${checkSegment('name', name)}`,
        }),
    };
  }

  /**
   * List your deployments.
   * @example
   * for await (const deployment of replicate.deployments.list()) console.log(deployment.name);
   */
  list(options?: RequestOptions): Paginator<Deployment> {
    return paginate(this.http, '/deployments', deploymentSchema, {}, options);
  }

  /**
   * Get a deployment and its current release.
   * @example
   * const deployment = await replicate.deployments.get('acme', 'my-sdxl');
   */
  async get(owner: string, name: string, options?: RequestOptions): Promise<Deployment> {
    return this.getJson(deploymentPath(owner, name), deploymentSchema, options);
  }

  /**
   * Create a deployment.
   * @example
   * await replicate.deployments.create({ name: 'my-sdxl', model: 'stability-ai/sdxl', version, hardware: 'gpu-a40-large', min_instances: 0, max_instances: 2 });
   */
  create(params: DeploymentCreateParams, options?: RequestOptions): Promise<Deployment> {
    return this.sendJson('POST', '/deployments', deploymentSchema, params, options);
  }

  /**
   * Update a deployment (creates a new release).
   * @example
   * await replicate.deployments.update('acme', 'my-sdxl', { max_instances: 5 });
   */
  async update(
    owner: string,
    name: string,
    params: DeploymentUpdateParams,
    options?: RequestOptions,
  ): Promise<Deployment> {
    return this.sendJson('PATCH', deploymentPath(owner, name), deploymentSchema, params, options);
  }

  /**
   * Delete a deployment (it must be scaled to zero and idle).
   * @example
   * await replicate.deployments.delete('acme', 'my-sdxl');
   */
  async delete(owner: string, name: string, options?: RequestOptions): Promise<void> {
    return remove(this.http, deploymentPath(owner, name), options);
  }
}
