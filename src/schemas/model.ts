import * as z from 'zod/mini';
import { predictionSchema } from './prediction.js';

/** A model version (`schemas_version_response`). `openapi_schema` holds the model's Input/Output schemas. */
export const versionSchema = z.looseObject({
  id: z.string(),
  created_at: z.optional(z.string()),
  cog_version: z.nullish(z.string()),
  openapi_schema: z.nullish(z.record(z.string(), z.unknown())),
});
export type ModelVersion = z.infer<typeof versionSchema>;

/** A model (`schemas_model_response`). */
export const modelSchema = z.looseObject({
  owner: z.string(),
  name: z.string(),
  url: z.optional(z.string()),
  description: z.nullish(z.string()),
  visibility: z.optional(z.enum(['public', 'private'])),
  github_url: z.nullish(z.string()),
  paper_url: z.nullish(z.string()),
  license_url: z.nullish(z.string()),
  cover_image_url: z.nullish(z.string()),
  run_count: z.optional(z.number()),
  is_official: z.optional(z.boolean()),
  default_example: z.nullish(predictionSchema),
  latest_version: z.nullish(versionSchema),
});
export type Model = z.infer<typeof modelSchema>;
