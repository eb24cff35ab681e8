import {
  checkModelName,
  checkSegment,
  checkWebhookEvents,
  checkWebhookUrl,
  type WebhookEvent,
} from '../identifiers.js';
import type { Paginator } from '../paginator.js';
import { type Training, trainingSchema } from '../schemas/training.js';
import { modelPath, paginate, type RequestOptions, Resource } from './base.js';

/** Parameters of `trainings.create`. */
export interface TrainingCreateParams extends RequestOptions {
  /** `owner/name` of an existing model that receives the trained version. */
  destination: string;
  /** Inputs of the model's `train()`. */
  input: Record<string, unknown>;
  /** HTTPS URL notified as the training progresses. @default no webhook */
  webhook?: string;
  /** @default Replicate's default */
  webhookEventsFilter?: WebhookEvent[];
}

/** `replicate.trainings`: fine-tune a model version into a destination model. */
export class Trainings extends Resource {
  /**
   * Start a training of `owner/name` at `version`.
   * @example
   * const training = await replicate.trainings.create('ostris', 'flux-dev-lora-trainer', versionId, { destination: 'acme/my-flux', input: { input_images: url } });
   */
  async create(
    owner: string,
    name: string,
    version: string,
    params: TrainingCreateParams,
  ): Promise<Training> {
    const { destination, input, webhook, webhookEventsFilter, ...options } = params;
    const body: Record<string, unknown> = { destination: checkModelName('destination', destination), input };
    if (webhook !== undefined) body.webhook = checkWebhookUrl(webhook);
    if (webhookEventsFilter) body.webhook_events_filter = checkWebhookEvents(webhookEventsFilter);
    const path = `${modelPath(owner, name)}/versions/${checkSegment('version', version)}/trainings`;
    return this.sendJson('POST', path, trainingSchema, body, options);
  }

  /**
   * Get a training.
   * @example
   * const training = await replicate.trainings.get('zz4ibbonubfz7carwiefibzgga');
   */
  async get(id: string, options?: RequestOptions): Promise<Training> {
    return this.getJson(`/trainings/${checkSegment('id', id)}`, trainingSchema, options);
  }

  /**
   * Cancel a training.
   * @example
   * await replicate.trainings.cancel(training.id);
   */
  async cancel(id: string, options?: RequestOptions): Promise<Training> {
    return this.sendJson(
      'POST',
      `/trainings/${checkSegment('id', id)}/cancel`,
      trainingSchema,
      undefined,
      options,
    );
  }

  /**
   * List trainings, newest first.
   * @example
   * for await (const training of replicate.trainings.list()) console.log(training.status);
   */
  list(options?: RequestOptions): Paginator<Training> {
    return paginate(this.http, '/trainings', trainingSchema, {}, options);
  }
}
