import { PricingError } from './errors.js';
import { HARDWARE_PRICES } from './table-hardware.js';
import { MODEL_PRICES } from './table-models.js';
import type {
  GatewayPrice,
  HardwarePrice,
  ModelPrice,
  PriceOverrides,
  PricingOptions,
  SecondPrice,
  TokenPrice,
} from './types.js';

/** A model reference reduced to what pricing needs. */
export interface PricedRef {
  /** `owner/name`, lower-case, aliases resolved; absent for a bare version id. */
  model?: string;
  /** `owner/name` of a deployment (billed per second of its hardware). */
  deployment?: string;
}

/**
 * A bare 64-hex version id, or a gateway prefix (`replicate:`, `replicate:chat:`, or `replicate/` before
 * `owner/name`), then [1] a `deployments/` prefix, [2] `owner/name` and [3] a `:version`.
 */
const REF =
  /^[0-9a-f]{64}$|^(?:replicate(?::(?:chat:)?|\/(?=[^/]*\/[^/]*$)))?(deployments\/)?([a-z0-9][\w.-]*\/[a-z0-9][\w.-]*)(:[0-9a-z]+)?$/;
const OVERRIDE = { source: 'prices override', date: 'prices override' } as const;

/** A table's (or your override record's) own entry, never one inherited from `Object.prototype`. */
const own = <T>(table: Readonly<Record<string, T>> | undefined, key: string): T | undefined =>
  table && Object.hasOwn(table, key) ? table[key] : undefined;

/**
 * Reduce any model spelling to `owner/name`: `owner/name`, `owner/name:version`, `deployments/owner/name`,
 * and the gateway spellings `replicate/owner/name` and `replicate:chat:owner/name`.
 * @throws {PricingError} `invalid-value` for anything else.
 * @example
 * parsePricedRef('replicate:chat:meta/meta-llama-3-8b-instruct'); // { model: 'meta/meta-llama-3-8b-instruct' }
 */
export function parsePricedRef(id: string): PricedRef {
  const [match, deployment, name, version] = REF.exec(String(id).trim().toLowerCase()) ?? [];
  // `deployments/x` is a malformed deployment, not a model owned by "deployments"; deployments have no version
  if (!match || (deployment ? version : name?.startsWith('deployments/'))) {
    throw new PricingError('invalid-value', `Invalid model id "${id}": use owner/name[:version].`);
  }
  // LiteLLM keys `meta/llama-3-*` for Replicate's `meta/meta-llama-3-*`
  return !name
    ? {}
    : deployment
      ? { deployment: name }
      : { model: name.replace(/^meta\/llama-3-/, 'meta/meta-llama-3-') };
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
  const usdPerSecond = own(options.prices?.hardware, sku);
  return usdPerSecond === undefined ? own(HARDWARE_PRICES, sku) : { usdPerSecond, ...OVERRIDE };
}

/** The type of every lookup's options: your prices (other options may come along). */
type Prices = { prices?: PriceOverrides | undefined };

function requireHardware(sku: string, options: Prices): SecondPrice {
  const hardware = hardwarePriceOf(sku, options);
  if (!hardware) {
    throw new PricingError('unknown-hardware', `No price for hardware "${sku}": add it to prices.hardware.`);
  }
  return { unit: 'second', ...hardware, hardware: sku };
}

function fromGateway(
  model: string,
  own: GatewayPrice,
  base: ModelPrice | undefined,
  options: Prices,
): ModelPrice {
  const input = own.input_token_cost ?? own.input_cost_per_token;
  const output = own.output_token_cost ?? own.output_cost_per_token;
  const image = own.image_cost ?? own.output_cost_per_image;
  const second = own.second_cost ?? own.output_cost_per_second;
  if ((input ?? output ?? image ?? second) === undefined && own.hardware !== undefined) {
    return requireHardware(own.hardware, options);
  }
  // a token override keeps the table's other side (an image price has neither)
  const inputUsdPerToken = input ?? (base as TokenPrice | undefined)?.inputUsdPerToken;
  const outputUsdPerToken = output ?? (base as TokenPrice | undefined)?.outputUsdPerToken;
  // a token override beats an image one, which beats a second one
  const price =
    (input ?? output) !== undefined
      ? inputUsdPerToken !== undefined &&
        outputUsdPerToken !== undefined && { unit: 'token' as const, inputUsdPerToken, outputUsdPerToken }
      : image !== undefined
        ? { unit: 'image' as const, usdPerImage: image }
        : second !== undefined && { unit: 'second' as const, usdPerSecond: second, hardware: own.hardware };
  if (!price) {
    throw new PricingError('invalid-value', `prices.models["${model}"] needs a *_cost or hardware.`);
  }
  return { ...price, ...OVERRIDE };
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
  if (!id) return undefined;
  const base = own(MODEL_PRICES, id);
  const overrides = options.prices?.models ?? {};
  const key = Object.keys(overrides).find((name) => parsePricedRef(name).model === id);
  const price = key === undefined ? base : fromGateway(key, overrides[key]!, base, options);
  return price && { model: id, ...price };
}

/** `owner/name` or `deployments/owner/name`, for `Cost.model`. */
export const labelOf = (ref: PricedRef): string | undefined =>
  ref.deployment ? `deployments/${ref.deployment}` : ref.model;

/**
 * The price for a reference: its own, else `hardware`'s per second. With neither, `undefined` under
 * `onUnknown: 'undefined'`, else the `PricingError` saying why is thrown.
 */
export function resolvePrice(
  ref: PricedRef,
  hardware: string | undefined,
  options: PricingOptions,
): ModelPrice | undefined {
  const price = ref.model && priceOf(ref.model, options);
  // an explicit SKU (option or deployment) beats a model's default hardware, never a token or image price
  if (price && (hardware === undefined || price.unit !== 'second')) return price;
  if (hardware !== undefined) return requireHardware(hardware, options);
  if (options.onUnknown === 'undefined') return undefined;
  const { model = 'a bare version', deployment } = ref;
  throw deployment === undefined
    ? new PricingError('unknown-model', `No price for ${model}: pass hardware or prices.models.`)
    : new PricingError('missing-hardware', `Deployment ${deployment} bills per second: pass hardware.`);
}
