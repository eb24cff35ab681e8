import { buildCost, type Line } from './cost.js';
import { PricingError } from './errors.js';
import { countTokens } from './estimator.js';
import { labelOf, parsePricedRef, resolvePrice } from './lookup.js';
import type { Cost, PricingOptions } from './types.js';

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

/**
 * `calculateCost`, with every quantity marked estimated when `estimated`: `estimateCost` prices a call as a
 * prediction that reported what its options say.
 */
export function priceUsage(
  prediction: PricedPrediction,
  options: CalculateOptions,
  estimated: boolean,
): Cost | undefined {
  const { status, deployment, version, started_at, input, output } = prediction;
  const metrics = prediction.metrics ?? {};
  if (/^(starting|processing)$/.test(status)) {
    throw new PricingError('unfinished', `Prediction is ${status}: not finished yet.`);
  }
  // `version` may be a bare id, `hidden` or an opaque `dp-…`: only `owner/name:version` names a model
  const id = deployment
    ? `deployments/${deployment}`
    : (options.model ?? prediction.model ?? (version?.includes('/') ? version : ''));
  const ref = id ? parsePricedRef(id) : {};
  // canceled or failed while still `starting`: the API says so with `started_at: null` and no metrics
  const unmeasured = Object.values(metrics).every((value) => value === undefined);
  if (status === 'aborted' || (unmeasured && started_at === null && /^(canceled|failed)$/.test(status))) {
    return buildCost(undefined, [], labelOf(ref), `${status}: ended before it started, so not billed.`);
  }
  /** An item at its unit price: the reported quantity, else an estimate of it. */
  const line = (
    item: Line[0],
    usdPerUnit: number,
    reported: number | undefined,
    estimate: () => number,
  ): Line =>
    reported === undefined ? [item, usdPerUnit, estimate(), true] : [item, usdPerUnit, reported, estimated];
  const missing = (what: string) => {
    throw new PricingError('missing-usage', `No metrics.${what}.`);
  };
  const hardware = options.hardware ?? options.deployment?.current_release?.configuration?.hardware;
  const price = resolvePrice(ref, hardware, options);
  if (!price) return undefined;
  let lines: Line[];
  let note: string | undefined;
  if (price.unit === 'image') {
    // the output's images; once it is removed, `input.num_outputs` (estimated)
    const shown = Array.isArray(output) ? output.length : typeof output === 'string' ? 1 : undefined;
    const asked = input?.num_outputs;
    lines = [
      line(
        'images',
        price.usdPerImage,
        metrics.image_count ?? shown ?? (status === 'succeeded' ? undefined : 0),
        () => (typeof asked === 'number' ? asked : 1),
      ),
    ];
  } else if (price.unit === 'second') {
    note = 'Active time only: private models and deployments also bill setup and idle time.';
    lines = [
      line('seconds', price.usdPerSecond, metrics.predict_time, () =>
        missing('predict_time (seconds) to bill per second'),
      ),
    ];
  } else {
    lines = [
      line('input', price.inputUsdPerToken, metrics.input_token_count, () =>
        input
          ? countTokens(
              options.estimator,
              ref.model,
              'input',
              [input.system_prompt, input.prompt],
              Array.isArray(input.messages) ? input.messages : undefined,
            )
          : missing('input_token_count and no input'),
      ),
      line('output', price.outputUsdPerToken, metrics.output_token_count, () =>
        countTokens(options.estimator, ref.model, 'output', [output]),
      ),
    ];
  }
  return buildCost(price, lines, labelOf(ref), note);
}

/**
 * The cost of a finished prediction in USD: tokens from `metrics` (estimated from the text with `estimator`
 * when absent), images from `metrics.image_count` or the output, otherwise `metrics.predict_time` × the
 * hardware's price. `aborted` predictions, and `canceled` or `failed` ones that never started
 * (`started_at: null`, no metrics), cost 0 with `basis: 'not-billed'` and a `note`; other `canceled` and
 * `failed` ones are billed for what they used.
 * @throws {PricingError} `unknown-model` or `missing-hardware` (unless `onUnknown: 'undefined'`);
 * `unknown-hardware`; `unfinished` before a terminal status; `missing-usage`; `missing-estimator` when token
 * counts are missing and no `estimator` is passed; `invalid-value`.
 * @example
 * const cost = calculateCost(await replicate.wait(prediction), { estimator: tokenEstimator });
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
  return priceUsage(prediction, options, false);
}
