import type { RequestContext } from './env.js';
import { isOver, snapshot } from './prediction.js';
import { json, notFound, page } from './responses.js';

/** `GET /predictions/{id}`. */
export function getPrediction(context: RequestContext): Response {
  const record = context.env.state.predictions.get(context.params[0]!);
  if (!record) return notFound('Prediction not found.');
  return json(snapshot(record, context.env.clock.now()));
}

/**
 * `POST /predictions/{id}/cancel`: a running prediction becomes `canceled` at once (keeping the output so
 * far); a finished one is returned unchanged, as Replicate does.
 */
export function cancelPrediction(context: RequestContext): Response {
  const { state, clock } = context.env;
  const record = state.predictions.get(context.params[0]!);
  if (!record) return notFound('Prediction not found.');
  const now = clock.now();
  if (!isOver(record, now)) {
    record.canceledAt = now;
    state.notify(record.id);
  }
  return json(snapshot(record, now));
}

/** `GET /predictions`: newest first, `created_after` / `created_before` filters, cursor pages. */
export function listPredictions(context: RequestContext): Response {
  const { url, env } = context;
  const after = dateParam(url, 'created_after');
  const before = dateParam(url, 'created_before');
  // `source=web` lists predictions made on the website: the fake only has API ones.
  const web = url.searchParams.get('source') === 'web';
  const now = env.clock.now();
  const items = [...env.state.predictions.values()].filter(
    (record) =>
      !web &&
      (after === undefined || record.createdAt >= after) &&
      (before === undefined || record.createdAt < before),
  );
  return page(items, url, env.pageSize, (record) => snapshot(record, now));
}

function dateParam(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  if (value === null) return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : time;
}
