import type { ValidationIssue } from '../errors.js';

/**
 * The prediction schema (`src/schemas/prediction.ts`) checked by hand, so that `replikit/webhooks` stays
 * small enough for edge bundles without zod. It accepts exactly the JSON values `predictionSchema` accepts
 * (test/webhooks/prediction-check.test.ts holds both to the same verdicts): `id` and `status` required,
 * the types of the optional fields checked, any extra field passed through untouched.
 */

type Check = (value: unknown) => boolean;

const isString: Check = (value) => typeof value === 'string';
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const oneOf =
  (...values: unknown[]): Check =>
  (value) =>
    values.includes(value);
/** A loose object whose listed fields, when present, all pass `check`. */
const fields =
  (check: Check, ...keys: string[]): Check =>
  (value) =>
    isObject(value) && keys.every((key) => value[key] === undefined || check(value[key]));

const REQUIRED: Record<string, Check> = {
  id: isString,
  status: oneOf('starting', 'processing', 'succeeded', 'failed', 'canceled', 'aborted'),
};

/** May be absent, but not `null`. `output` may be anything. */
const OPTIONAL: Record<string, Check> = {
  model: isString,
  version: isString,
  input: isObject,
  source: oneOf('web', 'api'),
  data_removed: oneOf(true, false),
  created_at: isString,
  urls: fields(isString, 'get', 'cancel', 'web', 'stream'),
};

/** May be absent or `null`. `error` may be anything. */
const NULLISH: Record<string, Check> = {
  logs: isString,
  started_at: isString,
  completed_at: isString,
  deadline: isString,
  deployment: isString,
  webhook: isString,
  webhook_events_filter: (value) => Array.isArray(value) && value.every(isString),
  // Number.isFinite is false for non-numbers too; zod refuses NaN and ±Infinity (JSON's `1e999`) alike.
  metrics: fields(
    Number.isFinite,
    'predict_time',
    'total_time',
    'input_token_count',
    'output_token_count',
    'tokens_per_second',
    'time_to_first_token',
    'image_count',
  ),
};

/** What is wrong with a parsed JSON `value` as a prediction; empty when it is one. */
export function predictionIssues(value: unknown): ValidationIssue[] {
  if (!isObject(value)) return [{ code: 'invalid_type', path: [], message: 'Expected a JSON object' }];
  const issues: ValidationIssue[] = [];
  for (const [key, check] of Object.entries({ ...REQUIRED, ...OPTIONAL, ...NULLISH })) {
    const field = value[key];
    const valid = field === undefined ? !(key in REQUIRED) : field === null ? key in NULLISH : check(field);
    if (!valid) issues.push({ code: 'invalid_type', path: [key], message: 'Invalid input' });
  }
  return issues;
}
