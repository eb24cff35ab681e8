import type { ChoiceResult } from './choice.js';
import type { ChatPlan } from './plan.js';
import type { ChatCompletionChunk, FinishReason } from './types.js';
import { type FinishedChoice, finishReason, OutputTally, usageOf } from './usage.js';

/** What every chunk of one completion shares. */
export interface ChunkHead {
  id: string;
  created: number;
  model: string;
}

type Step = [index: number, result: IteratorResult<string, ChoiceResult>];

/**
 * The `chat.completion.chunk` stream of n choices running side by side: a role chunk per choice, a
 * content chunk per text delta as it arrives from whichever choice, a `finish_reason` chunk per choice,
 * then (when asked) one usage chunk with no choices. Stopping early (break, abort, an error in one
 * choice) aborts `controller`, which cancels every prediction still running.
 */
export async function* chatChunks(
  plan: ChatPlan,
  head: ChunkHead,
  choices: AsyncGenerator<string, ChoiceResult>[],
  controller: AbortController,
): AsyncGenerator<ChatCompletionChunk> {
  const extra = plan.includeUsage ? { usage: null } : {};
  const chunk = (
    index: number,
    delta: ChatCompletionChunk['choices'][number]['delta'],
    finish_reason: FinishReason | null = null,
  ) => ({
    ...head,
    object: 'chat.completion.chunk' as const,
    choices: [{ index, delta, finish_reason, logprobs: null }],
    ...extra,
  });
  const texts = choices.map(() => new OutputTally(plan.model));
  const finished: FinishedChoice[] = [];
  const pending = new Map<number, Promise<Step>>();
  const advance = (index: number) => {
    pending.set(
      index,
      choices[index]!.next().then((result): Step => [index, result]),
    );
  };
  try {
    for (let index = 0; index < choices.length; index++) {
      yield chunk(index, { role: 'assistant', content: '' });
      advance(index);
    }
    while (pending.size > 0) {
      const [index, result] = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        const done: FinishedChoice = { ...result.value, ...texts[index]!.finish() };
        finished[index] = done;
        yield chunk(index, {}, finishReason(plan, done));
      } else {
        texts[index]!.push(result.value);
        advance(index);
        yield chunk(index, { content: result.value });
      }
    }
    if (plan.includeUsage) {
      yield { ...head, object: 'chat.completion.chunk', choices: [], usage: usageOf(plan, finished) };
    }
  } finally {
    if (pending.size > 0) {
      controller.abort(new DOMException('The chat stream was closed early.', 'AbortError'));
      await Promise.allSettled(pending.values());
      await Promise.allSettled(choices.map((choice) => choice.return(undefined as never)));
    }
  }
}
