import { z } from 'zod/mini';
import { metricsSchema, predictionStatusSchema, predictionUrlsSchema } from './prediction';

/** A training (`schemas_training_response`): a prediction of a model's `train()`, whose output is a version. */
export const trainingSchema = z.looseObject({
  id: z.string(),
  status: predictionStatusSchema,
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
