import { buildCost, type Usage, unknown } from './cost.js';
import { countTokens } from './count.js';
import { PricingError } from './errors.js';
import { labelOf, type PricedRef, parsePricedRef, resolvePrice } from './lookup.js';
import type { Cost, ModelPrice, PricingOptions } from './types.js';

/** The parts of a prediction pricing reads; `Prediction` from `replikit` fits. */
export interface PricedPrediction {
  model?: string | null | undefined;
  version?: string | null | undefined;
  status: string;
  deployment?: string | null | undefined;
  /** `null` on a prediction that never started: a `canceled` or `failed` one then used nothing. */
  started_at?: string | null | undefined;
  metrics?:
    | {
        predict_time?: number | undefined;
        input_token_count?: number | undefined;
        output_token_count?: number | undefined;
        image_count?: number | undefined;
      }
    | null
    | undefined;
  input?: Record<string, unknown> | null | undefined;
  output?: unknown;
}

/** A deployment as `replicate.deployments.get` returns it: only its hardware is read. */
export interface PricedDeployment {
  current_release?: { configuration?: { hardware?: string | undefined } | undefined } | null | undefined;
}

/** Options of `calculateCost`. */
export interface CalculateOptions extends PricingOptions {
  /**
   * The deployment that ran the prediction; its `current_release.configuration.hardware` prices the seconds.
   * @default undefined
   */
  deployment?: PricedDeployment;
  /**
   * Model id to price, for predictions that carry only a version id.
   * @default prediction.model
   */
  model?: string;
}

const ABORTED = 'aborted: ended before it started (e.g. a Cancel-After deadline), so not billed.';
const NEVER_STARTED =
  'ended before it started (started_at is null): no tokens, images or active time to bill.';
const ACTIVE_ONLY = 'Active time only: private models and deployments also bill setup and idle time.';

/** Images from `metrics.image_count` or the output; from `input.num_outputs` (estimated) when removed. */
function imagesOf({ metrics, output, status, input }: PricedPrediction): Usage[number] {
  if (metrics?.image_count !== undefined) return [metrics.image_count, false];
  if (Array.isArray(output)) return [output.length, false];
  if (typeof output === 'string') return [1, false];
  if (status !== 'succeeded') return [0, false];
  const asked = input?.num_outputs;
  return [typeof asked === 'number' ? asked : 1, true];
}

/** What the price counts: tokens (estimated from the text when not reported), images or seconds. */
function usageOf(price: ModelPrice, prediction: PricedPrediction, model: string | undefined): Usage {
  const { input, output } = prediction;
  const metrics = prediction.metrics ?? {};
  if (price.unit === 'image') return [imagesOf(prediction)];
  if (price.unit === 'second') {
    if (metrics.predict_time === undefined) {
      throw new PricingError('missing-usage', 'No metrics.predict_time to bill per second.');
    }
    return [[metrics.predict_time, false]];
  }
  const { input_token_count: inputs, output_token_count: outputs } = metrics;
  if (inputs === undefined && !input) {
    throw new PricingError('missing-usage', 'No metrics.input_token_count and no input to estimate it from.');
  }
  const messages = Array.isArray(input?.messages) ? input.messages : undefined;
  return [
    [inputs ?? countTokens(model, [input?.system_prompt, input?.prompt], messages), inputs === undefined],
    [outputs ?? countTokens(model, [output]), outputs === undefined],
  ];
}

function refOf(prediction: PricedPrediction, options: CalculateOptions): PricedRef {
  if (prediction.deployment) return parsePricedRef(`deployments/${prediction.deployment}`);
  // `version` may be a bare id, `hidden` or an opaque `dp-…`: only `owner/name:version` names a model
  const id =
    options.model ?? prediction.model ?? (prediction.version?.includes('/') ? prediction.version : '');
  return id ? parsePricedRef(id) : {};
}

/** Canceled or failed while still `starting`: the API says so with `started_at: null` and no metrics. */
function neverStarted(prediction: PricedPrediction): boolean {
  const { status, started_at, metrics } = prediction;
  const measured = metrics && Object.values(metrics).some((value) => value !== undefined);
  return (status === 'canceled' || status === 'failed') && started_at === null && !measured;
}

/**
 * The cost of a finished prediction in USD: tokens from `metrics` (estimated from the text when absent),
 * images from `metrics.image_count` or the output, otherwise `metrics.predict_time` × the hardware's price.
 * `aborted` predictions, and `canceled` or `failed` ones that never started (`started_at: null`, no metrics),
 * cost 0 with `basis: 'not-billed'` and a `note`; other `canceled` and `failed` ones are billed for what they used.
 * @throws {PricingError} `unknown-model`, `missing-hardware` or `unknown-hardware` (unless
 * `onUnknown: 'undefined'`); `unfinished` before a terminal status; `missing-usage`; `invalid-value`.
 * @example
 * const cost = calculateCost(await replicate.wait(prediction));
 * console.log(cost.total, cost.basis); // 0.002025 'reported'
 */
export function calculateCost(
  prediction: PricedPrediction,
  options: CalculateOptions & { onUnknown: 'undefined' },
): Cost | undefined;
export function calculateCost(prediction: PricedPrediction, options?: CalculateOptions): Cost;
export function calculateCost(
  prediction: PricedPrediction,
  options: CalculateOptions = {},
): Cost | undefined {
  const { status } = prediction;
  if (status === 'starting' || status === 'processing') {
    throw new PricingError('unfinished', `Prediction is ${status}: price it once it has finished.`);
  }
  const ref = refOf(prediction, options);
  const label = labelOf(ref);
  if (status === 'aborted') return buildCost(undefined, [], label, ABORTED);
  if (neverStarted(prediction)) return buildCost(undefined, [], label, `${status}: ${NEVER_STARTED}`);
  const hardware = options.hardware ?? options.deployment?.current_release?.configuration?.hardware;
  const price = resolvePrice(ref, hardware, options.prices);
  if (price instanceof PricingError) return unknown(price, options.onUnknown);
  const note = price.unit === 'second' ? ACTIVE_ONLY : undefined;
  return buildCost(price, usageOf(price, prediction, ref.model), label, note);
}
