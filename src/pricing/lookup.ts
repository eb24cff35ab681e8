import { PricingError } from './errors.js';
import { HARDWARE_PRICES } from './table-hardware.js';
import { MODEL_PRICES } from './table-models.js';
import type { GatewayPrice, HardwarePrice, ModelPrice, PriceOverrides, SecondPrice } from './types.js';

/** A model reference reduced to what pricing needs. */
export interface PricedRef {
  /** `owner/name`, lower-case, aliases resolved; absent for a bare version id. */
  model?: string;
  /** `owner/name` of a deployment (billed per second of its hardware). */
  deployment?: string;
}

/**
 * A gateway prefix (`replicate:`, `replicate:chat:`, or `replicate/` before `owner/name`), then [1] a
 * `deployments/` prefix, [2] `owner/name` and [3] a `:version`.
 */
const REF =
  /^(?:replicate:(?:chat:)?|replicate\/(?=[^/]*\/[^/]*$))?(deployments\/)?([a-z0-9][\w.-]*\/[a-z0-9][\w.-]*)(:[0-9a-z]+)?$/;
const OVERRIDE = { source: 'prices override', date: 'prices override' } as const;

/**
 * Reduce any model spelling to `owner/name`: `owner/name`, `owner/name:version`, `deployments/owner/name`,
 * and the gateway spellings `replicate/owner/name` and `replicate:chat:owner/name`.
 * @throws {PricingError} `invalid-value` for anything else.
 * @example
 * parsePricedRef('replicate:chat:meta/meta-llama-3-8b-instruct'); // { model: 'meta/meta-llama-3-8b-instruct' }
 */
export function parsePricedRef(id: string): PricedRef {
  const ref = String(id).trim().toLowerCase();
  if (/^[0-9a-f]{64}$/.test(ref)) return {};
  const [, deployment, name = '', version] = REF.exec(ref) ?? [];
  // `deployments/x` is a malformed deployment, not a model owned by "deployments"; deployments have no version
  if (!name || (deployment ? version : name.startsWith('deployments/'))) {
    throw new PricingError(
      'invalid-value',
      `Invalid model id ${JSON.stringify(id)}: use owner/name[:version].`,
    );
  }
  // LiteLLM keys `meta/llama-3-*` for Replicate's `meta/meta-llama-3-*`
  return deployment ? { deployment: name } : { model: name.replace(/^meta\/llama-3-/, 'meta/meta-llama-3-') };
}

/**
 * The per-second price of a hardware SKU, your `prices.hardware` first.
 * @example
 * hardwarePriceOf('gpu-a100-large')?.usdPerSecond; // 0.0014
 */
export function hardwarePriceOf(
  sku: string,
  options: { prices?: PriceOverrides } = {},
): HardwarePrice | undefined {
  const own = options.prices?.hardware?.[sku];
  if (own !== undefined) return { usdPerSecond: own, ...OVERRIDE };
  return Object.hasOwn(HARDWARE_PRICES, sku) ? HARDWARE_PRICES[sku] : undefined;
}

function requireHardware(sku: string, prices: PriceOverrides | undefined): SecondPrice {
  const hardware = hardwarePriceOf(sku, { prices });
  if (!hardware) {
    throw new PricingError(
      'unknown-hardware',
      `No price for hardware ${JSON.stringify(sku)}: add it to prices.hardware.`,
    );
  }
  return { unit: 'second', ...hardware, hardware: sku };
}

function fromGateway(
  model: string,
  own: GatewayPrice,
  base: ModelPrice | undefined,
  prices?: PriceOverrides,
) {
  const input = own.input_token_cost ?? own.input_cost_per_token;
  const output = own.output_token_cost ?? own.output_cost_per_token;
  const image = own.image_cost ?? own.output_cost_per_image;
  const second = own.second_cost ?? own.output_cost_per_second;
  const table = base?.unit === 'token' ? base : undefined;
  const inputUsdPerToken = input ?? table?.inputUsdPerToken;
  const outputUsdPerToken = output ?? table?.outputUsdPerToken;
  if (input !== undefined || output !== undefined) {
    if (inputUsdPerToken !== undefined && outputUsdPerToken !== undefined) {
      return { unit: 'token', inputUsdPerToken, outputUsdPerToken, ...OVERRIDE } satisfies ModelPrice;
    }
  } else if (image !== undefined) {
    return { unit: 'image', usdPerImage: image, ...OVERRIDE } satisfies ModelPrice;
  } else if (second !== undefined) {
    return { unit: 'second', usdPerSecond: second, hardware: own.hardware, ...OVERRIDE } satisfies ModelPrice;
  } else if (own.hardware !== undefined) {
    return requireHardware(own.hardware, prices);
  }
  throw new PricingError(
    'invalid-value',
    `prices.models[${JSON.stringify(model)}] needs a *_cost or hardware.`,
  );
}

/**
 * The price entry of a model (your `prices.models` over the built-in table), or `undefined` when it is not
 * priced per token or per image and has no per-second override: such models bill per second of hardware.
 * @throws {PricingError} `invalid-value` for a malformed id or override, `unknown-hardware` for an override's SKU.
 * @example
 * priceOf('meta/meta-llama-3-70b-instruct'); // { unit: 'token', inputUsdPerToken: 6.5e-7, outputUsdPerToken: 2.75e-6, … }
 */
export function priceOf(
  model: string,
  options: { prices?: PriceOverrides } = {},
): (ModelPrice & { model: string }) | undefined {
  const id = parsePricedRef(model).model;
  if (id === undefined) return undefined;
  const base = Object.hasOwn(MODEL_PRICES, id) ? MODEL_PRICES[id] : undefined;
  const overrides = options.prices?.models ?? {};
  const key = Object.keys(overrides).find((name) => parsePricedRef(name).model === id);
  const price = key === undefined ? base : fromGateway(key, overrides[key]!, base, options.prices);
  return price && { model: id, ...price };
}

/** `owner/name` or `deployments/owner/name`, for `Cost.model`. */
export const labelOf = (ref: PricedRef): string | undefined =>
  ref.deployment === undefined ? ref.model : `deployments/${ref.deployment}`;

/** A price for a reference, or the error saying why there is none (the caller applies `onUnknown`). */
export function resolvePrice(
  ref: PricedRef,
  hardware: string | undefined,
  prices: PriceOverrides | undefined,
): ModelPrice | PricingError {
  const price = ref.model === undefined ? undefined : priceOf(ref.model, { prices });
  // an explicit SKU (option or deployment) beats a model's default hardware, never a token or image price
  if (price && !(price.unit === 'second' && hardware !== undefined)) return price;
  if (hardware !== undefined) return requireHardware(hardware, prices);
  return ref.deployment === undefined
    ? new PricingError(
        'unknown-model',
        `No price for ${ref.model ?? 'a bare version'}: not an official model, so pass hardware or prices.models.`,
      )
    : new PricingError('missing-hardware', `Deployment ${ref.deployment} bills per second: pass hardware.`);
}
