import * as z from 'zod/mini';
import { metricsSchema, predictionStatusSchema, predictionUrlsSchema } from './prediction.js';

/**
 * A training's status. In 2023 the API reported a running training as `"running"` (a recorded
 * `GET /trainings/{id}` of 2023-08-16 shows it; Replicate's own client later hand-edited that cassette to
 * `"processing"`). Every later response and the OpenAPI file say `"processing"`, so the old word is read
 * as `"processing"`: code that switches on `PredictionStatus` (waiting, progress) keeps working, and any
 * other unknown status still fails validation.
 */
const trainingStatusSchema = z.pipe(
  z.union([predictionStatusSchema, z.literal('running')]),
  z.transform((status) => (status === 'running' ? 'processing' : status)),
);

/** A training (`schemas_training_response`): a prediction of a model's `train()`, whose output is a version. */
export const trainingSchema = z.looseObject({
  id: z.string(),
  status: trainingStatusSchema,
  model: z.optional(z.string()),
  version: z.optional(z.string()),
  destination: z.nullish(z.string()),
  input: z.optional(z.record(z.string(), z.unknown())),
  output: z.nullish(z.looseObject({ version: z.optional(z.string()), weights: z.optional(z.string()) })),
  error: z.nullish(z.unknown()),
  logs: z.nullish(z.string()),
  source: z.optional(z.enum(['web', 'api'])),
  created_at: z.optional(z.string()),
  started_at: z.nullish(z.string()),
  completed_at: z.nullish(z.string()),
  webhook: z.nullish(z.string()),
  urls: z.optional(predictionUrlsSchema),
  metrics: z.nullish(metricsSchema),
});
export type Training = z.infer<typeof trainingSchema>;
