import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod/mini';
import {
  collectionSchema,
  collectionSummarySchema,
  fileSchema,
  hardwareSchema,
  modelSchema,
  type Paginator,
  pageSchema,
  predictionSchema,
  type Replicate,
  trainingSchema,
  versionSchema,
} from '../../src/index';
/** One recorded exchange; the format is described in test/fixtures/recordings/README.md. */
export interface Interaction {
  // `reconstructed`: rebuilt from test code, not recorded (Prism and PHP fixtures).
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body: string | null;
    reconstructed?: boolean;
  };
  response: { status: number; headers: Record<string, string>; body: string; body_chunks?: string[] };
}
export type Request = Interaction['request'];
export type Call = (client: Replicate, params: Record<string, string>, request: Request) => Promise<unknown>;

const DIR = new URL('../fixtures/recordings/', import.meta.url);
export const FILES = readdirSync(DIR).filter((name) => name.endsWith('.json'));
export const load = (file: string): Interaction[] =>
  JSON.parse(readFileSync(new URL(file, DIR), 'utf8')).interactions;
export const ALL = FILES.flatMap((file) =>
  load(file).map((interaction, index) => ({ file, index, ...interaction })),
);
export const isSse = ({ response }: Interaction) =>
  response.headers['content-type']?.startsWith('text/event-stream');

const first = async <T>(paginator: Paginator<T>) => (await paginator.pages().next()).value;
const json = (request: Request) => JSON.parse(request.body ?? '{}') as Record<string, unknown>;
const waitOf = (prefer: string | undefined) =>
  prefer === undefined ? undefined : prefer === 'wait' ? true : Number(prefer.slice(5));

/** Every operation the recordings exercise: the schema its response must satisfy and the client call. */
export const OPERATIONS: Array<{ method: string; path: RegExp; schema?: z.ZodMiniType; call: Call }> = [];
function op(method: string, template: string, schema: z.ZodMiniType | undefined, call: Call): void {
  // The optional /v1 lets the recorded 404 of `GET /collections` (an old client bug) match its operation.
  const path = new RegExp(`^(?:/v1)?${template.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`);
  OPERATIONS.push(schema ? { method, path, schema, call } : { method, path, call });
}
op('GET', '/predictions', pageSchema(predictionSchema), (r) => first(r.predictions.list()));
op('POST', '/predictions', predictionSchema, (r, _, request) => {
  const { version, input } = json(request) as { version: string; input: Record<string, unknown> };
  const wait = waitOf(request.headers.prefer);
  // Prism's reconstructed requests name an official model in `version`; the client routes those by model.
  const target = /^[^/:]+\/[^/:]+$/.test(version) ? { model: version } : { version };
  return r.predictions.create({ ...target, input, wait });
});
op('GET', '/predictions/:id', predictionSchema, (r, p) => r.predictions.get(p.id!));
op('POST', '/predictions/:id/cancel', predictionSchema, (r, p) => r.predictions.cancel(p.id!));
op('POST', '/models/:owner/:name/predictions', predictionSchema, (r, p, request) =>
  r.models.predictions.create(p.owner!, p.name!, {
    input: json(request).input as Record<string, unknown>,
    wait: waitOf(request.headers.prefer),
  }),
);
op('GET', '/models', pageSchema(modelSchema), (r) => first(r.models.list()));
op('QUERY', '/models', pageSchema(modelSchema), (r, _, request) => first(r.models.search(request.body!)));
op('POST', '/models', modelSchema, (r, _, request) => r.models.create(json(request) as never));
op('GET', '/models/:owner/:name', modelSchema, (r, p) => r.models.get(p.owner!, p.name!));
op('GET', '/models/:owner/:name/versions', pageSchema(versionSchema), (r, p) =>
  first(r.models.versions.list(p.owner!, p.name!)),
);
op('GET', '/models/:owner/:name/versions/:id', versionSchema, (r, p) =>
  r.models.versions.get(p.owner!, p.name!, p.id!),
);
op('POST', '/models/:owner/:name/versions/:id/trainings', trainingSchema, (r, p, request) => {
  const { destination, input } = json(request) as { destination: string; input: Record<string, unknown> };
  // The client refuses the recorded "<invalid>" before sending; a well-formed name still reaches the 404.
  const safe = /^[^/<>]+\/[^/<>]+$/.test(destination) ? destination : 'acme/missing';
  return r.trainings.create(p.owner!, p.name!, p.id!, { destination: safe, input });
});
op('GET', '/trainings/:id', trainingSchema, (r, p) => r.trainings.get(p.id!));
op('POST', '/trainings/:id/cancel', trainingSchema, (r, p) => r.trainings.cancel(p.id!));
op('GET', '/collections', pageSchema(collectionSummarySchema), (r) => first(r.collections.list()));
op('GET', '/collections/:slug', collectionSchema, (r, p) => r.collections.get(p.slug!));
op('GET', '/hardware', z.array(hardwareSchema), (r) => r.hardware.list());
op('POST', '/files', fileSchema, (r) => r.files.create(new Blob([], { type: 'text/plain' })));
op('GET', '/files', pageSchema(fileSchema), (r) => first(r.files.list()));
op('GET', '/files/:id', fileSchema, (r, p) => r.files.get(p.id!));
op('DELETE', '/files/:id', undefined, (r, p) => r.files.delete(p.id!));

export function operation({ method, url }: Request) {
  const { pathname } = new URL(url);
  for (const candidate of OPERATIONS) {
    const match = candidate.method === method ? candidate.path.exec(pathname) : null;
    if (match) return { ...candidate, params: { ...match.groups } };
  }
  throw new Error(`No operation for ${method} ${pathname}`);
}

/**
 * What the client should hand back: the body as sent. The one exception is the 2023 training status
 * "running", the old name of "processing" (the maintainers later renamed it in the cassette).
 */
export const expected = (text: string) => {
  const value = JSON.parse(text);
  return value?.status === 'running' ? { ...value, status: 'processing' } : value;
};
