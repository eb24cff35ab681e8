import * as z from 'zod/mini';

/** The account that owns the token (`GET /account`). */
export const accountSchema = z.looseObject({
  type: z.enum(['user', 'organization']),
  username: z.string(),
  name: z.nullish(z.string()),
  github_url: z.nullish(z.string()),
  avatar_url: z.nullish(z.string()),
});
export type Account = z.infer<typeof accountSchema>;

/** A hardware SKU (`GET /hardware` returns an array of these). */
export const hardwareSchema = z.looseObject({ name: z.string(), sku: z.string() });
export type Hardware = z.infer<typeof hardwareSchema>;

/** The signing secret for webhooks: `whsec_` followed by base64. */
export const webhookSecretSchema = z.looseObject({ key: z.string() });
export type WebhookSecret = z.infer<typeof webhookSecretSchema>;

/** An RFC 7807 problem body. */
export const problemSchema = z.looseObject({
  type: z.optional(z.string()),
  title: z.optional(z.string()),
  status: z.optional(z.number()),
  detail: z.optional(z.string()),
  instance: z.optional(z.string()),
  invalid_fields: z.optional(
    z.array(
      z.looseObject({
        type: z.optional(z.string()),
        field: z.optional(z.string()),
        description: z.optional(z.string()),
      }),
    ),
  ),
});
