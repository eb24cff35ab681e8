import { estimateFor } from '../tokens/estimate.js';
import { familyOf, type TokenizerFamily } from '../tokens/family.js';
import { tokenEstimator } from '../tokens/token-estimator.js';
import type { ChoiceResult } from './choice.js';
import type { ChatPlan } from './plan.js';
import type { CompletionUsage, FinishReason } from './types.js';

/** One finished choice: its text and how it ended. */
export interface FinishedChoice extends ChoiceResult {
  /** The text; of a long stream, only its tail (see `foldedTokens`). */
  text: string;
  /** Estimated tokens of the text a long stream no longer keeps. @default 0 */
  foldedTokens?: number;
}

/** Text kept while streaming before it is folded into a token estimate. */
const FOLD_AT = 65_536;

/**
 * The output text of a streamed choice, kept only as far as usage estimates need it: past 64 KB the text
 * so far (up to its last word boundary) is folded into an estimated token count, so a long stream keeps
 * memory flat (a million concatenated tokens held ~50 MB). Shorter texts are estimated whole, as before.
 */
export class OutputTally {
  readonly #family: TokenizerFamily;
  #text = '';
  #folded = 0;

  constructor(model: string) {
    this.#family = familyOf(model);
  }

  push(delta: string): void {
    this.#text += delta;
    if (this.#text.length < FOLD_AT) return;
    // Cut before a space that ends a word, where a pre-tokenizer would cut too.
    const cut = /^[\s\S]*\S(?= )/.exec(this.#text)?.[0].length ?? this.#text.length;
    this.#folded += estimateFor(this.#text.slice(0, cut), this.#family);
    this.#text = this.#text.slice(cut);
  }

  finish(): Pick<FinishedChoice, 'text' | 'foldedTokens'> {
    return { text: this.#text, foldedTokens: this.#folded };
  }
}

/** The output tokens of a choice: reported by Replicate, else estimated from its text. */
function outputTokens(plan: ChatPlan, choice: FinishedChoice): number {
  return (
    choice.prediction.metrics?.output_token_count ??
    (choice.foldedTokens ?? 0) + tokenEstimator.text(choice.text, plan.model)
  );
}

/**
 * `length` when the model produced as many tokens as the limit allowed (reported count, else the
 * estimate), `stop` otherwise — including a client-side stop sequence.
 */
export function finishReason(plan: ChatPlan, choice: FinishedChoice): FinishReason {
  return !choice.stopped && plan.maxTokens !== undefined && outputTokens(plan, choice) >= plan.maxTokens
    ? 'length'
    : 'stop';
}

/**
 * Usage over every choice's prediction — Replicate bills each of the `n` predictions, prompt included.
 * Counts come from `metrics` when Replicate reports them (the prediction schema has checked they are
 * numbers); otherwise they are estimated as `replikit/tokens` does (`countChatTokens`, `estimateTokens`
 * with the model) and `estimated: true` says so.
 */
export function usageOf(plan: ChatPlan, choices: readonly FinishedChoice[]): CompletionUsage {
  let prompt = 0;
  let completion = 0;
  let estimated = false;
  let promptEstimate: number | undefined;
  for (const choice of choices) {
    const metrics = choice.prediction.metrics;
    const input = metrics?.input_token_count;
    // What Replicate counted is what it bills, even past a stop sequence found client-side.
    if (input === undefined || metrics?.output_token_count === undefined) estimated = true;
    if (input === undefined) promptEstimate ??= tokenEstimator.chat(plan.messages, plan.model);
    prompt += input ?? promptEstimate ?? 0;
    completion += outputTokens(plan, choice);
  }
  const usage: CompletionUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
  return estimated ? { ...usage, estimated: true } : usage;
}
