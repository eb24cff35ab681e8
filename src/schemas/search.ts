import * as z from 'zod/mini';
import { modelSchema } from './model.js';

/** The result of `GET /search` (`schemas_search_response`). */
export const searchResultSchema = z.looseObject({
  query: z.string(),
  models: z.array(
    z.looseObject({
      model: modelSchema,
      metadata: z.looseObject({
        generated_description: z.nullish(z.string()),
        tags: z.optional(z.array(z.string())),
        score: z.nullish(z.number()),
      }),
    }),
  ),
  collections: z.array(
    z.looseObject({
      name: z.string(),
      slug: z.string(),
      description: z.nullish(z.string()),
      models: z.optional(z.array(z.string())),
    }),
  ),
  pages: z.array(z.looseObject({ name: z.string(), href: z.string() })),
});
export type SearchResult = z.infer<typeof searchResultSchema>;
