import { cancelAfterHeader, preferHeader } from '../durations.js';
import {
  checkSegment,
  checkWebhookEvents,
  checkWebhookUrl,
  invalid,
  invalidValue,
  parseModelRef,
  type WebhookEvent,
} from '../identifiers.js';
import type { Paginator } from '../paginator.js';
import { type Prediction, predictionSchema } from '../schemas/prediction.js';
import { paginate, type RequestOptions, Resource } from './base.js';

/** What to run: exactly one of `model`, `version` or `deployment`. */
export type PredictionTarget =
  | {
      /** `owner/name`, `owner/name:version`, a 64-hex version id or `deployments/owner/name`. */ model: string;
      version?: never;
      deployment?: never;
    }
  | { /** A 64-hex version id or `owner/name:version`. */ version: string; model?: never; deployment?: never }
  | { /** `owner/name` or `deployments/owner/name`. */ deployment: string; model?: never; version?: never };

/** Options of a prediction create, shared by `predictions.create` and `run`. */
export interface CreateOptions extends RequestOptions {
  /**
   * Seconds to hold the create request open for the result (`Prefer: wait=N`), 1..60; `true` = 60, `false` = don't.
   * @default false for `predictions.create`, 60 for `run`
   */
  wait?: number | boolean;
  /**
   * Deadline after which Replicate cancels the prediction (`Cancel-After`): `'30s'`, `'5m'`, `'1h30m'` or seconds, at least 5 s.
   * @default no deadline
   */
  cancelAfter?: string | number;
  /**
   * HTTPS URL that receives the prediction as it changes.
   * @default no webhook
   */
  webhook?: string;
  /**
   * Which events trigger the webhook.
   * @default Replicate's default (new outputs and completion)
   */
  webhookEventsFilter?: WebhookEvent[];
}

/** Parameters of `predictions.create`. */
export type PredictionCreateParams<Input = Record<string, unknown>> = PredictionTarget &
  CreateOptions & {
    /** The model's input, as its schema describes. */
    input: Input;
  };

/** Filters of `predictions.list`. */
export interface PredictionListParams extends RequestOptions {
  /** Only predictions created at or after this time (`created_after`). */
  createdAfter?: Date | string;
  /** Only predictions created before this time (`created_before`). */
  createdBefore?: Date | string;
  /** `'web'`: only predictions made on the website (last 14 days). */
  source?: 'web';
}

/**
 * `ReplicateCore`'s `predictions`: create, get and cancel predictions (listing needs `Replicate`).
 * @example
 * const prediction = await new ReplicateCore().predictions.create({ model: 'acme/model', input: {} });
 */
export class CorePredictions extends Resource {
  /**
   * Create a prediction. Returns at once unless `wait` is set (then up to `wait` seconds, maybe still running).
   * @throws {InvalidRequestError} for a bad model reference, webhook URL, `wait` or `cancelAfter`, before any request.
   * @example
   * const prediction = await replicate.predictions.create({ model: 'black-forest-labs/flux-schnell', input: { prompt: 'a fox' } });
   */
  async create<Output = unknown, Input = Record<string, unknown>>(
    params: PredictionCreateParams<Input>,
    /** @internal `run`'s abort: ends a create that is queued or waiting to retry, never one in flight. */
    control?: { stopSignal?: AbortSignal | undefined },
  ): Promise<Prediction<Output>> {
    const { path, version } = createRoute(params);
    const prefer = preferHeader(params.wait);
    const headers: Record<string, string> = {};
    if (prefer) headers.prefer = prefer;
    if (params.cancelAfter !== undefined) headers['cancel-after'] = cancelAfterHeader(params.cancelAfter);
    const body: Record<string, unknown> = { input: params.input };
    if (version) body.version = version;
    if (params.webhook !== undefined) body.webhook = checkWebhookUrl(params.webhook);
    if (params.webhookEventsFilter)
      body.webhook_events_filter = checkWebhookEvents(params.webhookEventsFilter);
    // Only a held-open (`Prefer: wait`) request needs more than the caller's timeout: wait + 10 s.
    const waitSeconds = prefer === undefined ? 0 : prefer === 'wait' ? 60 : Number(prefer.slice(5));
    const timeout =
      prefer === undefined
        ? params.timeout
        : Math.max(params.timeout ?? this.http.timeout, (waitSeconds + 10) * 1000);
    const prediction = await this.http.json(
      {
        method: 'POST',
        path,
        json: body,
        headers,
        signal: params.signal,
        stopSignal: control?.stopSignal,
        timeout,
      },
      predictionSchema,
    );
    return prediction as Prediction<Output>;
  }

  /**
   * Get a prediction by id.
   * @example
   * const prediction = await replicate.predictions.get('gm3qorzdhgbfurvjtvhg6dckhu');
   */
  async get<Output = unknown>(id: string, options?: RequestOptions): Promise<Prediction<Output>> {
    const path = `/predictions/${checkSegment('id', id)}`;
    return (await this.getJson(path, predictionSchema, options)) as Prediction<Output>;
  }

  /**
   * Cancel a prediction; resolves with it (status `canceled` once Replicate has stopped it).
   * @example
   * await replicate.predictions.cancel(prediction.id);
   */
  async cancel<Output = unknown>(id: string, options?: RequestOptions): Promise<Prediction<Output>> {
    const path = `/predictions/${checkSegment('id', id)}/cancel`;
    return (await this.sendJson('POST', path, predictionSchema, undefined, options)) as Prediction<Output>;
  }
}

/** `replicate.predictions`: create, get, cancel and list predictions. */
export class Predictions extends CorePredictions {
  /**
   * List predictions, newest first, across pages.
   * @example
   * for await (const p of replicate.predictions.list({ createdAfter: new Date(Date.now() - 86_400_000) })) console.log(p.id);
   */
  list(params: PredictionListParams = {}): Paginator<Prediction> {
    const { createdAfter, createdBefore, source, ...options } = params;
    const query = {
      created_after: isoDate('createdAfter', createdAfter),
      created_before: isoDate('createdBefore', createdBefore),
      source,
    };
    return paginate(this.http, '/predictions', predictionSchema, query, options);
  }
}

/** The endpoint (and `version` body field) a create goes to. */
function createRoute(params: PredictionTarget): { path: string; version?: string } {
  const given = [params.model, params.version, params.deployment].filter((value) => value !== undefined);
  if (given.length !== 1) {
    throw invalid('model', 'Give exactly one of `model`, `version` or `deployment` to create a prediction.');
  }
  const raw =
    params.deployment !== undefined && !params.deployment.startsWith('deployments/')
      ? `deployments/${params.deployment}`
      : (given[0] as string);
  const ref = parseModelRef(raw);
  if (params.version !== undefined && ref.kind !== 'version') {
    throw invalidValue('version', params.version, 'use a 64-hex version id or owner/name:version.');
  }
  if (params.deployment !== undefined && ref.kind !== 'deployment') {
    throw invalidValue('deployment', params.deployment, 'use owner/name.');
  }
  if (ref.kind === 'version') return { path: '/predictions', version: ref.version };
  if (ref.kind === 'deployment') return { path: `/deployments/${ref.owner}/${ref.name}/predictions` };
  return { path: `/models/${ref.owner}/${ref.name}/predictions` };
}

function isoDate(field: string, value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw invalidValue(field, value, 'expected a date.');
  return date.toISOString();
}
