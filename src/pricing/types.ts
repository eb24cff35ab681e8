import type { ChatMessageLike } from '../tokens/chat.js';

/** Where a price comes from: every table entry carries its source, its date and, on a conflict, why it won. */
export interface Sourced {
  /** Who published the figure, with its reliability: (A) Replicate itself, (B) LiteLLM, (C) third party. */
  source: string;
  /** When the figure was seen: an ISO date, a year, or `undated` for snapshots without one. */
  date: string;
  /** Why this figure was picked over a conflicting one, or what to double-check. */
  note?: string | undefined;
}

/** An official language model billed per token (`metrics.input_token_count` / `output_token_count`). */
export interface TokenPrice extends Sourced {
  unit: 'token';
  /** USD per input token (per token, not per million: $0.65/M is `6.5e-7`). */
  inputUsdPerToken: number;
  /** USD per output token. */
  outputUsdPerToken: number;
}

/** An official image model billed per output image. */
export interface ImagePrice extends Sourced {
  unit: 'image';
  /** USD per output image. */
  usdPerImage: number;
}

/** A model billed per second of `metrics.predict_time` on some hardware. */
export interface SecondPrice extends Sourced {
  unit: 'second';
  /** USD per second of predict time. */
  usdPerSecond: number;
  /** The hardware SKU the price belongs to (`gpu-a100-large`), when known. */
  hardware?: string | undefined;
}

/** A hardware SKU (`GET /v1/hardware`) and its per-second price. */
export interface HardwarePrice extends Sourced {
  /** USD per second. */
  usdPerSecond: number;
}

/** What a model costs: per token, per image or per second. */
export type ModelPrice = TokenPrice | ImagePrice | SecondPrice;

/**
 * A per-model price in a gateway config's shape (snake_case, USD per token/image/second). LiteLLM's spellings
 * (`input_cost_per_token`, `output_cost_per_image`, `output_cost_per_second`) are accepted too.
 */
export interface GatewayPrice {
  /**
   * USD per input token.
   * @default the table's input price
   */
  input_token_cost?: number;
  /**
   * USD per output token.
   * @default the table's output price
   */
  output_token_cost?: number;
  /**
   * USD per output image.
   * @default undefined
   */
  image_cost?: number;
  /**
   * USD per second of predict time.
   * @default undefined
   */
  second_cost?: number;
  /**
   * Bill this model per second on this hardware SKU: its default hardware.
   * @default undefined
   */
  hardware?: string;
  /**
   * LiteLLM's spelling of `input_token_cost`.
   * @default undefined
   */
  input_cost_per_token?: number;
  /**
   * LiteLLM's spelling of `output_token_cost`.
   * @default undefined
   */
  output_cost_per_token?: number;
  /**
   * LiteLLM's spelling of `image_cost`.
   * @default undefined
   */
  output_cost_per_image?: number;
  /**
   * LiteLLM's spelling of `second_cost`.
   * @default undefined
   */
  output_cost_per_second?: number;
}

/** Your own prices, applied over the built-in table. */
export interface PriceOverrides {
  /**
   * Per model id (any accepted spelling), gateway-shaped. A partial token override keeps the table's other side.
   * @default {}
   */
  models?: Record<string, GatewayPrice>;
  /**
   * Per hardware SKU, USD per second (a negotiated rate, or a SKU the table lacks).
   * @default {}
   */
  hardware?: Record<string, number>;
}

/**
 * Counts tokens for pricing when a prediction or an estimate gives no count: `calculateCost` on a prediction
 * without `metrics.input_token_count` / `output_token_count`, `estimateCost` with `prompt` or `messages`.
 * `tokenEstimator` from `replikit/tokens` is one (an estimate without a vocabulary); pass your own to count
 * with an exact tokenizer (tiktoken, llama3-tokenizer-js …) instead. Pricing takes it as an option so that
 * apps which never estimate do not bundle an estimator.
 * @example
 * import llama3Tokenizer from 'llama3-tokenizer-js';
 * import { countChatTokens } from 'replikit/tokens';
 * const count = (text: string) => llama3Tokenizer.encode(text, { bos: false, eos: false }).length;
 * const exact: TokenEstimator = {
 *   text: count,
 *   chat: (messages) => countChatTokens(messages, { family: 'llama3', counter: count }), // + template tokens
 * };
 * calculateCost(prediction, { estimator: exact });
 */
export interface TokenEstimator {
  /**
   * Tokens of a text for a model: a prompt (`system_prompt` and `prompt` joined by a newline) or an output.
   * Called only for a non-empty text. `model` is the normalised `owner/name`, `undefined` for a bare version.
   */
  text(text: string, model: string | undefined): number;
  /** Prompt tokens of chat messages for a model: their text plus the chat template's own tokens. */
  chat(messages: ReadonlyArray<ChatMessageLike>, model: string | undefined): number;
}

/** Options shared by `calculateCost`, `estimateCost` and `withCost`. */
export interface PricingOptions {
  /**
   * Your prices, over the built-in table.
   * @default undefined (the built-in table only)
   */
  prices?: PriceOverrides;
  /**
   * Hardware SKU (`GET /v1/hardware`) for per-second billing of models outside the table and of deployments;
   * ignored for models priced per token or per image.
   * @default undefined (the deployment's or the model's hardware; none is an unknown price)
   */
  hardware?: string;
  /**
   * What to do when no price applies (an unknown model, a deployment without `hardware`): throw a
   * `PricingError` or return `undefined`. Never a zero. A `hardware` SKU without a price always throws
   * (`unknown-hardware`), as does every other failure: those are errors in what you passed or in the data.
   * @default 'throw'
   */
  onUnknown?: 'throw' | 'undefined';
  /**
   * Counts the tokens that a prediction's metrics (or `estimateCost`'s `inputTokens`) leave out, from the
   * text: `tokenEstimator` from `replikit/tokens`, or your exact tokenizer. Without one, a count that is
   * needed throws `PricingError` `missing-estimator`, whatever `onUnknown` says (the price is known, a count
   * is not); a count that is not needed (reported metrics, nothing to count, images, seconds) never asks.
   * @default undefined
   */
  estimator?: TokenEstimator | undefined;
}

/** One line of a cost: a quantity times a unit price. */
export interface CostLine {
  item: 'input' | 'output' | 'images' | 'seconds';
  /** Tokens, images or seconds. */
  quantity: number;
  /** USD per token, image or second. */
  usdPerUnit: number;
  /** `quantity × usdPerUnit` in USD, computed exactly then converted. */
  usd: number;
  /** Whether the quantity was estimated rather than reported by the API. */
  estimated: boolean;
}

/** A cost in USD. */
export interface Cost {
  /** Total in USD: the double nearest the exact sum. */
  total: number;
  /** The exact total as a decimal string (sum these, not `total`, across many predictions). */
  totalExact: string;
  currency: 'USD';
  /** What the price counts; `none` when nothing is billed. */
  unit: 'token' | 'image' | 'second' | 'none';
  /** `reported`: quantities from the API; `estimated`: some were estimated; `not-billed`: see `note`. */
  basis: 'reported' | 'estimated' | 'not-billed';
  /** Whether any quantity was estimated. */
  estimated: boolean;
  /** USD for input tokens (token pricing only). */
  input?: number;
  /** USD for output tokens (token pricing only). */
  output?: number;
  breakdown: CostLine[];
  /** The normalised model id (`owner/name`), or the deployment (`deployments/owner/name`). */
  model?: string;
  /** The hardware SKU for per-second pricing. */
  hardware?: string;
  /** Why nothing was billed, or what the figure leaves out. */
  note?: string;
}
