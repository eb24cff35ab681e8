import { createPrediction } from './create-prediction.js';
import type { RequestContext } from './env.js';
import type { RouteInfo } from './faults.js';
import { createFile, deleteFile, downloadFile, getFile, listFiles, serveDelivery } from './routes-files.js';
import {
  getAccount,
  getDeployment,
  getModel,
  getReadme,
  getVersion,
  getWebhookSecret,
  listExamples,
  listHardware,
  listModels,
  listVersions,
} from './routes-models.js';
import { cancelPrediction, getPrediction, listPredictions } from './routes-predictions.js';
import { type StreamOptions, streamPrediction } from './sse.js';
import type { FakeState } from './state.js';

type Handler = (context: RequestContext, options: StreamOptions) => Response | Promise<Response>;

interface Route {
  method: string;
  pattern: RegExp;
  operation: string;
  handler: Handler;
}

const SEGMENT = '([^/]+)';

function route(method: string, template: string, operation: string, handler: Handler): Route {
  const source = template.replace(/\{[^}]+\}/g, SEGMENT);
  return { method, pattern: new RegExp(`^${source}/?$`), operation, handler };
}

/** The operations the fake implements, by the OpenAPI file's path templates and operation ids. */
const ROUTES: Route[] = [
  route('POST', '/predictions', 'predictions.create', (c) => createPrediction(c, { kind: 'version' })),
  route('GET', '/predictions', 'predictions.list', listPredictions),
  route('GET', '/predictions/{id}', 'predictions.get', getPrediction),
  route('POST', '/predictions/{id}/cancel', 'predictions.cancel', cancelPrediction),
  route('POST', '/models/{owner}/{name}/predictions', 'models.predictions.create', (c) =>
    createPrediction(c, { kind: 'model', owner: c.params[0]!, name: c.params[1]! }),
  ),
  route('POST', '/deployments/{owner}/{name}/predictions', 'deployments.predictions.create', (c) =>
    createPrediction(c, { kind: 'deployment', owner: c.params[0]!, name: c.params[1]! }),
  ),
  route('GET', '/deployments/{owner}/{name}', 'deployments.get', getDeployment),
  route('GET', '/models', 'models.list', listModels),
  route('GET', '/models/{owner}/{name}', 'models.get', getModel),
  route('GET', '/models/{owner}/{name}/versions', 'models.versions.list', listVersions),
  route('GET', '/models/{owner}/{name}/versions/{id}', 'models.versions.get', getVersion),
  route('GET', '/models/{owner}/{name}/readme', 'models.readme.get', getReadme),
  route('GET', '/models/{owner}/{name}/examples', 'models.examples.list', listExamples),
  route('POST', '/files', 'files.create', createFile),
  route('GET', '/files', 'files.list', listFiles),
  route('GET', '/files/{id}', 'files.get', getFile),
  route('DELETE', '/files/{id}', 'files.delete', deleteFile),
  route('GET', '/files/{id}/download', 'files.download', downloadFile),
  route('GET', '/account', 'account.get', getAccount),
  route('GET', '/hardware', 'hardware.list', listHardware),
  route('GET', '/webhooks/default/secret', 'webhooks.default.secret.get', getWebhookSecret),
];

const STREAM = /^\/v1\/streams\/([^/]+)\/?$/;

/** A request matched to what serves it. */
export interface Matched {
  info: RouteInfo;
  params: string[];
  /** `undefined`: no such route (404). */
  handler: Handler | undefined;
  /** Whether the API's rules (token, rate limit) apply; streams, downloads and deliveries need no token. */
  api: boolean;
  /** Counts against the create budget of the rate limit. */
  create: boolean;
}

/** Find the route of a request: a model output file, a prediction stream, or an API operation. */
export function match(method: string, url: URL, state: FakeState): Matched {
  const pathname = url.pathname;
  if (state.deliveries.has(pathname)) {
    const info = { operation: 'delivery', method, path: pathname };
    return { info, params: [], handler: serveDelivery, api: false, create: false };
  }
  const stream = STREAM.exec(pathname);
  if (stream) {
    const info = { operation: 'stream', method, path: pathname.slice(3) };
    const handler = method === 'GET' ? streamPrediction : undefined;
    return { info, params: [decodeURIComponent(stream[1]!)], handler, api: false, create: false };
  }
  const path = pathname.startsWith('/v1/') ? pathname.slice(3) : pathname;
  // Like Replicate, nothing answers outside /v1 (the recorded GET /collections without it is a 404).
  for (const candidate of pathname.startsWith('/v1/') ? ROUTES : []) {
    const found = candidate.pattern.exec(path);
    if (!found || candidate.method !== method) continue;
    const info = { operation: candidate.operation, method, path };
    const params = found.slice(1).map((value) => decodeURIComponent(value));
    const create = candidate.operation.endsWith('predictions.create');
    return {
      info,
      params,
      handler: candidate.handler,
      api: candidate.operation !== 'files.download',
      create,
    };
  }
  return {
    info: { operation: 'unknown', method, path },
    params: [],
    handler: undefined,
    api: true,
    create: false,
  };
}
