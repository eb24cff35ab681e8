import { countChatTokens, estimateTokens } from '../entries/tokens';
import type { Prediction } from '../schemas/prediction';
import type { ChoiceResult } from './choice';
import type { ChatPlan } from './plan';
import type { CompletionUsage, FinishReason } from './types';

/** One finished choice: its text and how it ended. */
export interface FinishedChoice extends ChoiceResult {
  text: string;
}

function counts(prediction: Prediction): { input?: number; output?: number } {
  const metrics = prediction.metrics as
    | { input_token_count?: unknown; output_token_count?: unknown }
    | undefined;
  const input = metrics?.input_token_count;
  const output = metrics?.output_token_count;
  return {
    ...(typeof input === 'number' ? { input } : {}),
    ...(typeof output === 'number' ? { output } : {}),
  };
}

/**
 * `length` when the model produced as many tokens as the limit allowed (reported count, else the
 * estimate), `stop` otherwise — including a client-side stop sequence.
 */
export function finishReason(plan: ChatPlan, choice: FinishedChoice): FinishReason {
  if (choice.stopped || plan.maxTokens === undefined) return 'stop';
  const output = counts(choice.prediction).output ?? estimateTokens(choice.text, { model: plan.model });
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
    completion += reported.output ?? estimateTokens(choice.text, { model: plan.model });
  }
  const usage: CompletionUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
  return estimated ? { ...usage, estimated: true } : usage;
}
