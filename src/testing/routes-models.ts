import type { ModelEntry, RequestContext } from './env.js';
import { json, notFound, page } from './responses.js';

/** A version as `GET /models/{owner}/{name}/versions/{id}` returns it, with a Cog `openapi_schema`. */
function renderVersion(entry: ModelEntry): Record<string, unknown> {
  const { definition } = entry;
  return {
    id: entry.versionId,
    created_at: definition.versionCreatedAt ?? '2024-01-01T00:00:00.000000Z',
    cog_version: definition.cogVersion ?? '0.9.4',
    openapi_schema: {
      openapi: '3.0.2',
      info: { title: 'Cog', version: '0.1.0' },
      paths: {},
      components: {
        schemas: {
          Input: definition.inputSchema ?? { type: 'object', title: 'Input', properties: {} },
          Output: definition.outputSchema ?? { title: 'Output' },
          ...definition.schemas,
        },
      },
    },
  };
}

/** A model in the key order of the recorded `GET /models/{owner}/{name}`. */
function renderModel(context: RequestContext, entry: ModelEntry): Record<string, unknown> {
  const full = `${entry.owner}/${entry.name}`;
  let runs = 0;
  for (const record of context.env.state.predictions.values()) if (record.model === full) runs++;
  return {
    url: `https://replicate.com/${full}`,
    owner: entry.owner,
    name: entry.name,
    description: entry.definition.description ?? '',
    visibility: 'public',
    github_url: null,
    paper_url: null,
    license_url: null,
    run_count: runs,
    cover_image_url: null,
    default_example: null,
    is_official: entry.definition.official ?? false,
    latest_version: renderVersion(entry),
  };
}

/** Orders models for lists: the order they were configured in, newest (last) first. */
function listed(context: RequestContext): Array<ModelEntry & { seq: number }> {
  return [...context.env.models.values()].map((entry, index) => ({ ...entry, seq: index + 1 }));
}

function find(context: RequestContext): ModelEntry | undefined {
  return context.env.models.get(`${context.params[0]}/${context.params[1]}`);
}

/** `GET /models`. */
export function listModels(context: RequestContext): Response {
  return page(listed(context), context.url, context.env.pageSize, (entry) => renderModel(context, entry));
}

/** `GET /models/{owner}/{name}`. */
export function getModel(context: RequestContext): Response {
  const entry = find(context);
  return entry ? json(renderModel(context, entry)) : notFound('Model not found');
}

/** `GET /models/{owner}/{name}/versions`: the one version each fake model has. */
export function listVersions(context: RequestContext): Response {
  const entry = find(context);
  if (!entry) return notFound('Model not found');
  return page([{ ...entry, seq: 1 }], context.url, context.env.pageSize, renderVersion);
}

/** `GET /models/{owner}/{name}/versions/{id}`. */
export function getVersion(context: RequestContext): Response {
  const entry = find(context);
  if (!entry || entry.versionId !== context.params[2]) return notFound('Version not found');
  return json(renderVersion(entry));
}

/** `GET /models/{owner}/{name}/readme` (text/markdown). */
export function getReadme(context: RequestContext): Response {
  const entry = find(context);
  if (!entry) return notFound('Model not found');
  const text = `# ${entry.owner}/${entry.name}\n\n${entry.definition.description ?? ''}\n\nServed by replikit/testing.\n`;
  return new Response(text, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** `GET /models/{owner}/{name}/examples`: fake models have none. */
export function listExamples(context: RequestContext): Response {
  if (!find(context)) return notFound('Model not found');
  return json({ next: null, previous: null, results: [] });
}

/** `GET /deployments/{owner}/{name}`. */
export function getDeployment(context: RequestContext): Response {
  const name = `${context.params[0]}/${context.params[1]}`;
  const modelName = context.env.deployments.get(name);
  const entry = modelName === undefined ? undefined : context.env.models.get(modelName);
  if (!entry) return notFound('Deployment not found');
  const { account } = context.env;
  return json({
    owner: context.params[0],
    name: context.params[1],
    current_release: {
      number: 1,
      model: modelName,
      version: entry.versionId,
      created_at: '2024-01-01T00:00:00.000000Z',
      created_by: { type: account.type, username: account.username, name: account.name ?? account.username },
      configuration: { hardware: 'gpu-t4', min_instances: 0, max_instances: 1 },
    },
  });
}

/** `GET /account`. */
export function getAccount(context: RequestContext): Response {
  return json(context.env.account);
}

/** `GET /hardware` (the recorded list). */
export function listHardware(): Response {
  return json([
    { sku: 'cpu', name: 'CPU' },
    { sku: 'gpu-t4', name: 'Nvidia T4 GPU' },
    { sku: 'gpu-a40-small', name: 'Nvidia A40 GPU' },
    { sku: 'gpu-a40-large', name: 'Nvidia A40 (Large) GPU' },
  ]);
}

/** `GET /webhooks/default/secret`. */
export function getWebhookSecret(context: RequestContext): Response {
  return json({ key: context.env.webhookSecret });
}
