import type { ChatPlan } from '../chat/plan.js';
import type { ChatCompletion, ChatCompletionChunk } from '../chat/types.js';
import { tokenEstimator } from '../tokens/token-estimator.js';
import type { Bucket } from './rate-limit.js';

/** Tokens a chat request holds on the `tokensPerMinute` budget until it ends and its real count is known. */
export interface TokenReservation {
  /** Charge the completion's usage (reported, else estimated) instead of the reservation. */
  settle(usage: { total_tokens: number } | undefined): void;
}

/**
 * Reserve the estimated prompt tokens plus the token limit of each of the `n` choices, waiting in the queue
 * (an abort rejects with `signal.reason`).
 */
export async function reserveTokens(
  bucket: Bucket,
  plan: ChatPlan,
  signal: AbortSignal | undefined,
): Promise<TokenReservation & { prompt: number }> {
  const prompt = tokenEstimator.chat(plan.messages, plan.model);
  const wanted = plan.n * (prompt + (plan.maxTokens ?? 0));
  const taken = Math.min(wanted, bucket.capacity);
  await bucket.take(taken, signal);
  let settled = false;
  return {
    prompt,
    settle: (usage) => {
      if (settled) return;
      settled = true;
      bucket.adjust((usage?.total_tokens ?? 0) - taken);
    },
  };
}

/** Settle a completion's reservation with its usage, or refund it when the completion failed. */
export async function meterCompletion(
  completion: Promise<ChatCompletion>,
  reservation: TokenReservation,
): Promise<ChatCompletion> {
  try {
    const result = await completion;
    reservation.settle(result.usage);
    return result;
  } catch (error) {
    reservation.settle(undefined);
    throw error;
  }
}

/**
 * Pass a stream through, then settle its reservation: the usage chunk when there is one, else the prompt
 * estimate of each choice plus the text that arrived (also when it ends early or fails).
 */
export async function* meterStream(
  stream: AsyncIterable<ChatCompletionChunk>,
  reservation: TokenReservation & { prompt: number },
  plan: ChatPlan,
): AsyncGenerator<ChatCompletionChunk> {
  let text = '';
  let usage: { total_tokens: number } | undefined;
  try {
    for await (const chunk of stream) {
      for (const choice of chunk.choices) text += choice.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
      yield chunk;
    }
  } finally {
    const estimate = plan.n * reservation.prompt + tokenEstimator.text(text, plan.model);
    reservation.settle(usage ?? { total_tokens: estimate });
  }
}
