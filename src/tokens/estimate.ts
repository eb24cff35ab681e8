import { resolveFamily, type TokenizerFamily } from './family.js';
import { FEATURE_COUNT, scan } from './scan.js';
import { UPPER, UPPER_SLACK, WEIGHTS } from './weights.js';

/**
 * Counts a text's tokens exactly, e.g. with a tokenizer package.
 * @example
 * const counter: TokenCounter = (text) => llama3Tokenizer.encode(text, { bos: false, eos: false }).length;
 */
export type TokenCounter = (text: string) => number;

/**
 * Options of `estimateTokens`.
 * @example
 * const options: EstimateTokensOptions = { model: 'meta/llama-2-70b-chat', upperBound: true };
 */
export interface EstimateTokensOptions {
  /**
   * Model id whose tokenizer family to use (`meta/meta-llama-3-70b-instruct`, `owner/name:version`,
   * `replicate:chat:owner/name` …), mapped with `familyOf`.
   * @default undefined (the `generic` family)
   */
  model?: string | undefined;
  /**
   * Tokenizer family; wins over `model`.
   * @default familyOf(model), or 'generic' without a model
   */
  family?: TokenizerFamily | undefined;
  /**
   * Return a count that does not fall below the exact one (for budgets) instead of the closest
   * estimate: the estimate times a per-family factor, capped by the text's UTF-8 byte count + 1 (which
   * no tokenizer here can exceed). See the README for how far the bound is checked.
   * @default false
   */
  upperBound?: boolean | undefined;
  /**
   * An exact counter to use instead of the estimate; its result is returned as is (it is its own
   * upper bound).
   * @default undefined (the built-in estimator)
   */
  counter?: TokenCounter | undefined;
}

const FAMILY_ORDER = ['llama3', 'llama2', 'mistral', 'qwen', 'deepseek'] as const;
let counts: Float64Array | undefined;

/** The feature counts of `text` (a shared buffer, overwritten by the next call). */
function featuresOf(text: string): Float64Array {
  const v = counts ?? new Float64Array(FEATURE_COUNT);
  counts = v;
  v.fill(0);
  scan(text, v);
  return v;
}

function dot(w: readonly number[], v: Float64Array): number {
  let s = 0;
  for (let j = 0; j < v.length; j++) s += w[j]! * v[j]!;
  return s;
}

/** UTF-8 bytes of `text`: each token of a byte-level BPE, and each byte-fallback token, covers at least one. */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) bytes += c < 0x800 || (c >= 0xd800 && c < 0xe000) ? 1 : 2;
  }
  return bytes;
}

function checkText(text: unknown, fn: string): asserts text is string {
  if (typeof text !== 'string') {
    throw new TypeError(`${fn}: text must be a string, got ${text === null ? 'null' : typeof text}`);
  }
}

function exact(counter: TokenCounter, text: string): number {
  const n = counter(text);
  if (!Number.isFinite(n) || n < 0) throw new TypeError(`counter returned ${String(n)}: expected a count`);
  return n;
}

/**
 * `estimateTokens` without options to check: the closest estimate for a family. For `tokenEstimator`, which
 * needs no bound or counter.
 */
export function estimateFor(text: string, family: TokenizerFamily): number {
  return text.length === 0 ? 0 : Math.max(1, Math.round(dot(WEIGHTS[family], featuresOf(text))));
}

/**
 * Estimate how many tokens `text` is for a model's tokenizer, without its vocabulary: one pass cuts
 * the text the way BPE pre-tokenizers do and sums per-class weights fitted per family on a corpus with
 * exact counts (held out, about 6 % mean error on the kinds of text the corpus covers; see the README).
 * Special tokens (BOS, chat templates) are not included: `countChatTokens` adds those.
 * @throws {TypeError} when `text` is not a string, the family is unknown or `counter` returns a non-count.
 * @example
 * estimateTokens('The quick brown fox jumps over the lazy dog.', { model: 'meta/meta-llama-3-8b-instruct' }); // 10
 * estimateTokens(prompt, { family: 'qwen', upperBound: true }); // not below the exact count
 * estimateTokens(prompt, { counter: (t) => llama3Tokenizer.encode(t, { bos: false, eos: false }).length }); // exact
 */
export function estimateTokens(text: string, options: EstimateTokensOptions = {}): number {
  checkText(text, 'estimateTokens');
  if (options.counter) return exact(options.counter, text);
  if (text.length === 0) return 0;
  const family = resolveFamily(options);
  if (!options.upperBound) return estimateFor(text, family);
  const v = featuresOf(text);
  let bound = 0;
  for (const f of family === 'generic' ? FAMILY_ORDER : [family]) {
    bound = Math.max(bound, Math.ceil(dot(WEIGHTS[f], v) * UPPER[f]) + UPPER_SLACK);
  }
  return Math.min(bound, utf8Length(text) + 1);
}

/**
 * A token count that does not fall below the exact one: `estimateTokens` with `upperBound: true`.
 * @example
 * const budget = 8192 - tokenUpperBound(prompt, { model: 'meta/meta-llama-3-70b-instruct' });
 */
export function tokenUpperBound(
  text: string,
  options: Omit<EstimateTokensOptions, 'upperBound'> = {},
): number {
  return estimateTokens(text, { ...options, upperBound: true });
}
