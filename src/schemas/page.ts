import * as z from 'zod/mini';

/** A cursor-paginated list: `next`/`previous` are absolute URLs, or null on the last/first page. */
export function pageSchema<T extends z.ZodMiniType>(item: T) {
  return z.looseObject({
    // The OpenAPI example shows the string "null"; real pages send null. Both mean "no more".
    next: z.nullish(z.string()),
    previous: z.nullish(z.string()),
    results: z.array(item),
  });
}

/** One page of a list endpoint. */
export interface Page<T> {
  next?: string | null | undefined;
  previous?: string | null | undefined;
  results: T[];
}
