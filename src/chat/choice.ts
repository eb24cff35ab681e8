import { PredictionFailedError, StreamError, throwUnlessSucceeded } from '../lifecycle/errors.js';
import { createUnlessAborted, type LifecycleContext } from '../lifecycle/run.js';
import { streamEvents } from '../lifecycle/stream.js';
import { cancelQuietly, waitForPrediction } from '../lifecycle/wait.js';
import { isTerminal, type Prediction } from '../schemas/prediction.js';
import type { ChatPlan } from './plan.js';
import { StopScanner } from './stops.js';

/** How one choice ended. */
export interface ChoiceResult {
  prediction: Prediction;
  /** A stop sequence ended the text (client-side); the prediction was canceled if still running. */
  stopped: boolean;
}

/** What one choice runs: the plan's model, input and stop sequences, and whether it streams. */
export type ChoiceRequest = Pick<ChatPlan, 'model' | 'input' | 'stops' | 'stream'>;

/**
 * Run one prediction for a chat choice and yield its text as it arrives, with stop sequences enforced
 * across chunk boundaries: on a stop the prediction is canceled and nothing after it is yielded.
 * Returns the final prediction (fetched once after the stream for its metrics).
 */
export async function* runChoice(
  context: LifecycleContext,
  request: ChoiceRequest,
  signal: AbortSignal | undefined,
): AsyncGenerator<string, ChoiceResult> {
  const { predictions } = context;
  const startedAt = Date.now();
  const created = await createUnlessAborted(
    predictions,
    { model: request.model, input: request.input, wait: request.stream ? false : 60 },
    signal,
  );
  const scanner = new StopScanner(request.stops);
  const streamed = created.urls?.stream && !isTerminal(created.status);
  let done = false;
  try {
    if (streamed) {
      for await (const event of streamEvents(context.http, created, { signal })) {
        if (event.type !== 'output') continue;
        const text = scanner.push(event.data);
        if (text) yield text;
        if (scanner.stopped) {
          await cancelQuietly(predictions, created.id);
          break;
        }
      }
      const tail = scanner.flush();
      if (tail) yield tail;
    }
    const final = streamed
      ? await predictions.get(created.id, { signal })
      : await waitForPrediction(context.http, predictions, created, { signal, cancelOnAbort: true });
    done = true;
    context.usage?.done(final, startedAt, request.model);
    // A stop sequence canceled it on purpose: only a failure is an error then.
    if (!scanner.stopped || final.status === 'failed') throwUnlessSucceeded(final);
    // Not streamed: the whole output, cut at its first stop.
    const text = scanner.push(streamed ? '' : outputText(final.output)) + scanner.flush();
    if (text) yield text;
    return { prediction: final, stopped: scanner.stopped };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    // The model failed mid-stream (an `error` event): the same `PredictionFailedError`, with logs, that a
    // non-streamed failure gives.
    if (error instanceof StreamError && error.reason === 'error-event') {
      const final = await predictions.get(created.id, { signal }).catch(() => undefined);
      if (final?.status === 'failed') throw new PredictionFailedError(final);
    }
    throw error;
  } finally {
    // Aborted, thrown, or the consumer stopped early: don't leave the prediction running.
    if (!done) await cancelQuietly(predictions, created.id);
  }
}

/** A language model's output as text: token arrays are concatenated. */
export function outputText(output: unknown): string {
  if (output === null || output === undefined) return '';
  if (typeof output === 'string') return output;
  if (Array.isArray(output) && output.every((item) => typeof item === 'string')) return output.join('');
  return JSON.stringify(output);
}
