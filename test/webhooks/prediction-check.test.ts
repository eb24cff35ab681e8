import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { predictionSchema } from '../../src/schemas/prediction';
import { predictionIssues } from '../../src/webhooks/prediction-check';
import { ALL, isSse } from '../helpers/recordings';

// replikit/webhooks checks a prediction by hand instead of with zod, to stay small. The hand check must
// give the zod schema's verdict on every body the API has been seen to send, and on broken variants.
const zodAccepts = (value: unknown) => predictionSchema.safeParse(value).success;
const handAccepts = (value: unknown) => predictionIssues(value).length === 0;

/** Every object in a JSON value (itself, list items, nested fields): predictions and everything else. */
function objects(value: unknown): unknown[] {
  if (typeof value !== 'object' || value === null) return [];
  return [value, ...Object.values(value).flatMap(objects)];
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
const API = new URL('../fixtures/api/', import.meta.url);
const BODIES = [
  ...ALL.filter((interaction) => !isSse(interaction)).map(({ response }) => parse(response.body)),
  ...readdirSync(API)
    .filter((name) => name.endsWith('.json'))
    .map((name) => parse(readFileSync(new URL(name, API), 'utf8'))),
];
const RECORDED = BODIES.flatMap(objects);
const PREDICTIONS = RECORDED.filter(zodAccepts) as Record<string, unknown>[];

/** Each recorded prediction broken one field at a time. */
const BROKEN: Array<Record<string, unknown>> = [
  { id: undefined },
  { id: null },
  { id: 42 },
  { status: undefined },
  { status: 'done' },
  { status: 'running' },
  { status: 'SUCCEEDED' },
  { status: null },
  { model: null },
  { model: 1 },
  { version: false },
  { input: [] },
  { input: 'prompt' },
  { input: null },
  { logs: 5 },
  { source: 'cli' },
  { source: null },
  { data_removed: 'false' },
  { data_removed: null },
  { created_at: null },
  { created_at: 1_700_000_000 },
  { started_at: {} },
  { completed_at: 0 },
  { deadline: true },
  { deployment: ['a'] },
  { webhook: 1 },
  { webhook_events_filter: 'completed' },
  { webhook_events_filter: ['start', 1] },
  { webhook_events_filter: {} },
  { urls: null },
  { urls: [] },
  { urls: { get: 1 } },
  { urls: { stream: null } },
  { metrics: 1 },
  { metrics: [] },
  { metrics: { predict_time: '1.5' } },
  { metrics: { image_count: null } },
  { metrics: { total_time: Number.POSITIVE_INFINITY } },
  { metrics: { tokens_per_second: Number.NaN } },
];

/** Variants that stay valid: nullish fields, any output or error, unknown fields, empty nested objects. */
const STILL_VALID: Array<Record<string, unknown>> = [
  { error: { detail: 'boom' } },
  { error: null },
  { output: null },
  { output: { nested: [1, 'a'] } },
  { logs: null, started_at: null, completed_at: null, deadline: null, deployment: null, webhook: null },
  { webhook_events_filter: null, metrics: null },
  { webhook_events_filter: [] },
  { input: {} },
  { input: { constructor: { prototype: 1 }, prompt: 'a' } },
  { urls: {}, metrics: {} },
  { urls: { get: 'https://x', extra: 1 }, metrics: { predict_time: 0, gpu: 'a100' } },
  { source: 'web', data_removed: true, version: 'hidden' },
  { status: 'aborted' },
  { webhook_completed: '2023-01-01', something_new: [null] },
];

/** A test title for a change: absent fields and non-finite numbers spelled out, as JSON would lose them. */
const label = (change: Record<string, unknown>) =>
  JSON.stringify(change, (_, value) =>
    value === undefined
      ? '(absent)'
      : Number.isNaN(value) || Math.abs(value) === Infinity
        ? String(value)
        : value,
  );

function variant(base: Record<string, unknown>, change: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...base, ...change };
  for (const [key, value] of Object.entries(change)) if (value === undefined) delete copy[key];
  return copy;
}

describe('predictionIssues agrees with predictionSchema', () => {
  it('on every object in the recorded response bodies', () => {
    expect(PREDICTIONS.length).toBeGreaterThan(100);
    expect(RECORDED.length).toBeGreaterThan(PREDICTIONS.length);
    const disagreements = RECORDED.filter((value) => zodAccepts(value) !== handAccepts(value));
    expect(disagreements).toEqual([]);
  });

  it('on non-objects', () => {
    for (const value of [null, undefined, [], [{ id: 'a', status: 'starting' }], 'x', 0, true]) {
      expect(handAccepts(value)).toBe(zodAccepts(value));
      expect(handAccepts(value)).toBe(false);
    }
  });

  it.each(BROKEN.map((change) => [label(change), change]))('on recorded predictions with %s', (_, change) => {
    for (const prediction of PREDICTIONS) {
      const broken = variant(prediction, change);
      expect(handAccepts(broken)).toBe(zodAccepts(broken));
      expect(handAccepts(broken)).toBe(false);
    }
  });

  it.each(STILL_VALID.map((change) => [label(change), change]))(
    'on recorded predictions with %s',
    (_, change) => {
      for (const prediction of PREDICTIONS) {
        const changed = variant(prediction, change);
        expect(handAccepts(changed)).toBe(zodAccepts(changed));
        expect(handAccepts(changed)).toBe(true);
      }
    },
  );

  it('names each wrong field in the issues, like the schema', () => {
    const broken = variant(PREDICTIONS[0]!, { id: 1, status: 'done', urls: { get: 1 } });
    expect(predictionIssues(broken).map((issue) => issue.path)).toEqual([['id'], ['status'], ['urls']]);
    expect(predictionIssues([]).map((issue) => issue.path)).toEqual([[]]);
  });
});
