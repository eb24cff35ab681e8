import * as z from 'zod/mini';

/** A deployment (`schemas_deployment_response`): a model version on dedicated hardware. */
export const deploymentSchema = z.looseObject({
  owner: z.string(),
  name: z.string(),
  current_release: z.nullish(
    z.looseObject({
      number: z.optional(z.number()),
      model: z.optional(z.string()),
      version: z.optional(z.string()),
      created_at: z.optional(z.string()),
      created_by: z.optional(
        z.looseObject({
          type: z.enum(['organization', 'user']),
          username: z.string(),
          name: z.nullish(z.string()),
          avatar_url: z.nullish(z.string()),
          github_url: z.nullish(z.string()),
        }),
      ),
      configuration: z.optional(
        z.looseObject({
          hardware: z.optional(z.string()),
          min_instances: z.optional(z.number()),
          max_instances: z.optional(z.number()),
        }),
      ),
    }),
  ),
});
export type Deployment = z.infer<typeof deploymentSchema>;
