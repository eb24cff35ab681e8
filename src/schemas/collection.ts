import * as z from 'zod/mini';
import { modelSchema } from './model.js';

/** A collection in a list (`schemas_collection_list_item`). */
export const collectionSummarySchema = z.looseObject({
  name: z.string(),
  slug: z.string(),
  description: z.nullish(z.string()),
});
export type CollectionSummary = z.infer<typeof collectionSummarySchema>;

/** A collection with its models (`schemas_collection_response`). */
export const collectionSchema = z.looseObject({
  name: z.string(),
  slug: z.string(),
  description: z.nullish(z.string()),
  full_description: z.nullish(z.string()),
  models: z.array(modelSchema),
});
export type Collection = z.infer<typeof collectionSchema>;
