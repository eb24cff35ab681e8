import * as z from 'zod/mini';

/** Every status a prediction or training can have; the last four are terminal. */
export const predictionStatusSchema = z.enum([
  'starting',
  'processing',
  'succeeded',
  'failed',
  'canceled',
  'aborted',
]);
export type PredictionStatus = z.infer<typeof predictionStatusSchema>;

/** Statuses after which nothing changes. `aborted`: ended before it started (e.g. a `Cancel-After` deadline). */
export const TERMINAL_STATUSES: ReadonlySet<PredictionStatus> = new Set([
  'succeeded',
  'failed',
  'canceled',
  'aborted',
]);

/** Whether a status is terminal. */
export function isTerminal(status: PredictionStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** `metrics`: seconds unless a count. Official language models report token counts; image models `image_count`. */
export const metricsSchema = z.looseObject({
  predict_time: z.optional(z.number()),
  total_time: z.optional(z.number()),
  input_token_count: z.optional(z.number()),
  output_token_count: z.optional(z.number()),
  tokens_per_second: z.optional(z.number()),
  time_to_first_token: z.optional(z.number()),
  image_count: z.optional(z.number()),
});
export type PredictionMetrics = z.infer<typeof metricsSchema>;

export const predictionUrlsSchema = z.looseObject({
  get: z.optional(z.string()),
  cancel: z.optional(z.string()),
  /** `https://replicate.com/p/{id}`; absent before 2025. */
  web: z.optional(z.string()),
  /** Server-sent events URL, on a different host, when the model streams. */
  stream: z.optional(z.string()),
});

/**
 * A prediction (`schemas_prediction_response`). Lenient where real data differs from the spec: `model`,
 * `data_removed` and `output` may be absent on old or fresh objects, `version` may be `"hidden"` or an
 * opaque id, `logs` may be null, and old objects carry `webhook_completed`.
 */
export const predictionSchema = z.looseObject({
  id: z.string(),
  status: predictionStatusSchema,
  model: z.optional(z.string()),
  version: z.optional(z.string()),
  input: z.optional(z.looseObject({})),
  output: z.optional(z.unknown()),
  error: z.nullish(z.unknown()),
  logs: z.nullish(z.string()),
  source: z.optional(z.enum(['web', 'api'])),
  data_removed: z.optional(z.boolean()),
  created_at: z.optional(z.string()),
  started_at: z.nullish(z.string()),
  completed_at: z.nullish(z.string()),
  deadline: z.nullish(z.string()),
  deployment: z.nullish(z.string()),
  webhook: z.nullish(z.string()),
  webhook_events_filter: z.nullish(z.array(z.string())),
  urls: z.optional(predictionUrlsSchema),
  metrics: z.nullish(metricsSchema),
});

/** A prediction; `Output` types `output` for callers who know the model. */
// An intersection, not Omit: Omit over a loose object's index signature would erase the known keys.
export type Prediction<Output = unknown> = z.infer<typeof predictionSchema> & { output?: Output };
