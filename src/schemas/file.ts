import * as z from 'zod/mini';

/** An uploaded file (`schemas_file_response`). Files expire about 24 h after upload. */
export const fileSchema = z.looseObject({
  id: z.string(),
  name: z.optional(z.string()),
  content_type: z.string(),
  size: z.number(),
  etag: z.optional(z.string()),
  checksums: z.looseObject({ sha256: z.optional(z.string()), md5: z.optional(z.string()) }),
  metadata: z.looseObject({}),
  created_at: z.string(),
  expires_at: z.nullish(z.string()),
  urls: z.looseObject({ get: z.string() }),
});
export type ReplicateFile = z.infer<typeof fileSchema>;
