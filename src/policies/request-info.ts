import { serverDelay } from '../http/retry-policy.js';
import type { RequestEvent } from './hooks.js';

const CREATE = /^\/(?:predictions|(?:models|deployments)\/[^/]+\/[^/]+\/predictions)\/?$/;
const MODEL = /^\/(models|deployments)\/([^/]+)\/([^/]+)(?:\/|$)/;
const PREDICTION = /^\/predictions\/([^/]+)(?:\/cancel)?\/?$/;

/** What a call is, read from its method, URL and body: the kind, the model, the prediction. */
export function describeCall(
  method: string,
  url: URL,
  baseUrl: string,
  json: unknown,
): Pick<RequestEvent, 'kind' | 'model' | 'predictionId'> & { path: string } {
  const href = `${url.origin}${url.pathname}`;
  if (href !== baseUrl && !href.startsWith(`${baseUrl}/`)) return { kind: 'external', path: url.pathname };
  const path = href.slice(baseUrl.length) || '/';
  const kind = method === 'POST' && CREATE.test(path) ? 'create' : 'other';
  const model = MODEL.exec(path);
  const version = (json as { version?: unknown } | undefined)?.version;
  return {
    kind,
    path,
    model: model
      ? `${model[1] === 'deployments' ? 'deployments/' : ''}${model[2]}/${model[3]}`
      : kind === 'create' && typeof version === 'string'
        ? version
        : undefined,
    predictionId: PREDICTION.exec(path)?.[1],
  };
}

/** The id of a prediction-like response body, if it is one. */
export function predictionIdOf(value: unknown): string | undefined {
  const { id, status } = (value ?? {}) as { id?: unknown; status?: unknown };
  return typeof id === 'string' && typeof status === 'string' ? id : undefined;
}

/** How long a 429 asks a key to rest, in ms (`serverDelay`: `Retry-After` or a reset header); 1 s when absent. */
export function retryAfterMs(headers: Headers, max: number): number {
  return Math.min(max, serverDelay(headers) ?? 1000);
}
