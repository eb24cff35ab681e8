import type { ModelEntry, RequestContext } from './env.js';
import { inputSeed } from './model.js';
import { ending, isOver, type PredictionRecord, snapshot } from './prediction.js';
import { predictionId } from './random.js';
import { invalidFields, json, notFound, problem } from './responses.js';
import { waitUntil } from './state.js';
import { validateCreateBody, validateInput } from './validate.js';

/** Which create endpoint was called. */
export type CreateTarget =
  | { kind: 'version' }
  | { kind: 'model'; owner: string; name: string }
  | { kind: 'deployment'; owner: string; name: string };

const VERSION_ID = /^[0-9a-f]{64}$/;

/**
 * `POST /predictions`, `POST /models/{owner}/{name}/predictions`, `POST /deployments/{owner}/{name}/predictions`:
 * validate, plan the run, honour `Cancel-After` and `Prefer: wait`, answer 201 with the prediction.
 */
export async function createPrediction(context: RequestContext, target: CreateTarget): Promise<Response> {
  const { env, request, hosts } = context;
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    return problem(400, 'The request body is not valid JSON.', { title: 'Invalid JSON' });
  }
  const fields = validateCreateBody(body, target.kind === 'version');
  if (fields.length > 0) return invalidFields(fields);
  const params = body as {
    version?: string;
    input: Record<string, unknown>;
    webhook?: string;
    webhook_events_filter?: string[];
  };

  const resolved = resolveTarget(context, target, params.version);
  if (resolved instanceof Response) return resolved;
  const { entry, wireVersion, deployment } = resolved;
  const inputErrors = validateInput(
    params.input,
    entry.definition.inputSchema,
    entry.definition.schemas ?? {},
  );
  if (inputErrors.length > 0) return invalidFields(inputErrors);

  const cancelAfter = request.headers.get('cancel-after');
  const lifetime = cancelAfter === null ? undefined : parseDuration(cancelAfter);
  if (lifetime !== undefined && (Number.isNaN(lifetime) || lifetime < 5)) {
    return problem(
      400,
      `Invalid Cancel-After header ${JSON.stringify(cancelAfter)}: use a duration of at least 5s, like "30s", "5m" or "1h30m".`,
      {
        title: 'Invalid Cancel-After header',
      },
    );
  }

  const now = env.clock.now();
  const id = predictionId(env.random);
  const model = `${entry.owner}/${entry.name}`;
  const plan = entry.definition.run(params.input, {
    predictionId: id,
    seed: inputSeed(params.input),
    random: env.random,
    file: (name, bytes, contentType) => {
      const url = `${hosts.delivery}/xezq/${id}/${name}`;
      env.state.deliveries.set(new URL(url).pathname, { bytes, contentType });
      return url;
    },
  });
  const record: PredictionRecord = {
    seq: env.state.nextSeq(),
    id,
    model,
    definition: entry.definition,
    version: wireVersion,
    input: params.input,
    createdAt: now,
    startAt: now + Math.max(0, entry.definition.startDelay ?? 20),
    plan,
    deadline: lifetime === undefined ? undefined : now + lifetime * 1000,
    deployment,
    webhook: params.webhook,
    webhookEventsFilter: params.webhook_events_filter,
    urls: {
      cancel: `${hosts.api}/predictions/${id}/cancel`,
      get: `${hosts.api}/predictions/${id}`,
      ...(entry.definition.streams ? { stream: `${hosts.stream}/${id}` } : {}),
      web: `https://replicate.com/p/${id}`,
    },
  };
  env.state.predictions.set(id, record);
  env.webhooks.schedule(record);

  const wait = parsePrefer(request.headers.get('prefer'));
  if (wait !== undefined) {
    const until = now + wait * 1000;
    while (!isOver(record, env.clock.now()) && env.clock.now() < until && !context.signal.aborted) {
      await waitUntil(env.clock, env.state, id, Math.min(ending(record).at, until), context.signal);
    }
  }
  const headers: Record<string, string> = {};
  if (wait !== undefined) headers['preference-applied'] = `wait=${wait}`;
  return json(snapshot(record, env.clock.now()), 201, headers);
}

function resolveTarget(
  context: RequestContext,
  target: CreateTarget,
  version: string | undefined,
): Response | { entry: ModelEntry; wireVersion: string; deployment?: string } {
  const { models, deployments } = context.env;
  if (target.kind === 'deployment') {
    const name = `${target.owner}/${target.name}`;
    const modelName = deployments.get(name);
    const entry = modelName === undefined ? undefined : models.get(modelName);
    if (!entry) return notFound(`Deployment ${name} not found.`);
    return { entry, wireVersion: entry.versionId, deployment: name };
  }
  if (target.kind === 'model') {
    const entry = models.get(`${target.owner}/${target.name}`);
    if (!entry) return notFound(`Model ${target.owner}/${target.name} not found.`);
    return { entry, wireVersion: entry.definition.official ? 'hidden' : entry.versionId };
  }
  const text = version ?? '';
  const [name, id] = text.includes(':')
    ? text.split(':', 2)
    : VERSION_ID.test(text)
      ? [undefined, text]
      : [text, undefined];
  const invalid = invalidFields(
    [{ type: 'invalid_version', field: 'version', description: 'Invalid version or not permitted' }],
    'Invalid version',
  );
  if (id !== undefined) {
    const entry = [...models.values()].find((candidate) => candidate.versionId === id);
    if (!entry || (name !== undefined && name !== `${entry.owner}/${entry.name}`)) return invalid;
    return { entry, wireVersion: id };
  }
  const entry = name === undefined ? undefined : models.get(name);
  // `version: "owner/name"` runs official models only, as on Replicate.
  if (!entry?.definition.official) return invalid;
  return { entry, wireVersion: 'hidden' };
}

/** `Prefer: wait` → 60, `wait=N` → N (1..60); anything else is ignored, as a proxy would. */
export function parsePrefer(header: string | null): number | undefined {
  const match = header ? /^\s*wait(?:=(\d+))?\s*$/.exec(header) : null;
  if (!match) return undefined;
  const seconds = match[1] === undefined ? 60 : Number(match[1]);
  return seconds >= 1 ? Math.min(60, seconds) : undefined;
}

/** `Cancel-After`: `30`, `30s`, `5m`, `1h30m45s` → seconds; NaN when malformed. */
export function parseDuration(value: string): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(text);
  if (!match || text === '') return Number.NaN;
  return Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
}
