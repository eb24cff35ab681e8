import { countChatTokens, estimateTokens } from '../entries/tokens.js';
import type { Prediction } from '../schemas/prediction.js';
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
  readonly #model: string;
  #text = '';
  #folded = 0;

  constructor(model: string) {
    this.#model = model;
  }

  push(delta: string): void {
    this.#text += delta;
    if (this.#text.length < FOLD_AT) return;
    // Cut before a space that ends a word, where a pre-tokenizer would cut too.
    let cut = this.#text.lastIndexOf(' ');
    while (cut > 0 && /\s/.test(this.#text[cut - 1]!)) cut = this.#text.lastIndexOf(' ', cut - 1);
    if (cut <= 0) cut = this.#text.length;
    this.#folded += estimateTokens(this.#text.slice(0, cut), { model: this.#model });
    this.#text = this.#text.slice(cut);
  }

  finish(): Pick<FinishedChoice, 'text' | 'foldedTokens'> {
    return this.#folded > 0 ? { text: this.#text, foldedTokens: this.#folded } : { text: this.#text };
  }
}

/** The estimated output tokens of a choice whose prediction reported none. */
function estimatedOutput(plan: ChatPlan, choice: FinishedChoice): number {
  const tail = choice.text ? estimateTokens(choice.text, { model: plan.model }) : 0;
  return (choice.foldedTokens ?? 0) + tail;
}

/** The token counts Replicate reported (the prediction schema has already checked they are numbers). */
function counts(prediction: Prediction): { input: number | undefined; output: number | undefined } {
  return { input: prediction.metrics?.input_token_count, output: prediction.metrics?.output_token_count };
}

/**
 * `length` when the model produced as many tokens as the limit allowed (reported count, else the
 * estimate), `stop` otherwise — including a client-side stop sequence.
 */
export function finishReason(plan: ChatPlan, choice: FinishedChoice): FinishReason {
  if (choice.stopped || plan.maxTokens === undefined) return 'stop';
  const output = counts(choice.prediction).output ?? estimatedOutput(plan, choice);
  return output >= plan.maxTokens ? 'length' : 'stop';
}

/**
 * Usage over every choice's prediction — Replicate bills each of the `n` predictions, prompt included.
 * Counts come from `metrics` when Replicate reports them; otherwise they are estimated with
 * `replikit/tokens` and `estimated: true` says so.
 */
export function usageOf(plan: ChatPlan, choices: readonly FinishedChoice[]): CompletionUsage {
  let prompt = 0;
  let completion = 0;
  let estimated = false;
  let promptEstimate: number | undefined;
  for (const choice of choices) {
    const reported = counts(choice.prediction);
    if (reported.input === undefined) {
      promptEstimate ??= countChatTokens(plan.messages, { model: plan.model });
      estimated = true;
    }
    // What Replicate counted is what it bills, even past a stop sequence found client-side.
    if (reported.output === undefined) estimated = true;
    prompt += reported.input ?? promptEstimate ?? 0;
    completion += reported.output ?? estimatedOutput(plan, choice);
  }
  const usage: CompletionUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
  return estimated ? { ...usage, estimated: true } : usage;
}
