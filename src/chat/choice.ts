import { PredictionFailedError, StreamError, throwUnlessSucceeded } from '../lifecycle/errors.js';
import { createUnlessAborted, type LifecycleContext } from '../lifecycle/run.js';
import { streamEvents } from '../lifecycle/stream.js';
import { cancelQuietly, waitForPrediction } from '../lifecycle/wait.js';
import { isTerminal, type Prediction } from '../schemas/prediction.js';
import { StopScanner } from './stops.js';

/** How one choice ended. */
export interface ChoiceResult {
  prediction: Prediction;
  /** A stop sequence ended the text (client-side); the prediction was canceled if still running. */
  stopped: boolean;
}

/** What one choice runs. */
export interface ChoiceRequest {
  model: string;
  input: Record<string, unknown>;
  stops: readonly string[];
  /** Stream tokens (no `Prefer: wait`), or hold the create open for the whole answer. */
  stream: boolean;
  signal: AbortSignal | undefined;
}

/**
 * Run one prediction for a chat choice and yield its text as it arrives, with stop sequences enforced
 * across chunk boundaries: on a stop the prediction is canceled and nothing after it is yielded.
 * Returns the final prediction (fetched once after the stream for its metrics).
 */
export async function* runChoice(
  context: LifecycleContext,
  request: ChoiceRequest,
): AsyncGenerator<string, ChoiceResult> {
  const { predictions } = context;
  const { signal } = request;
  const startedAt = Date.now();
  const created = await createUnlessAborted(
    predictions,
    { model: request.model, input: request.input, wait: request.stream ? false : 60 },
    signal,
  );
  const scanner = new StopScanner(request.stops);
  let done = false;
  try {
    if (created.urls?.stream && !isTerminal(created.status)) {
      for await (const event of failuresSettled(context, created, signal)) {
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
      const final = await predictions.get(created.id, { signal });
      done = true;
      context.usage?.(final, startedAt, request.model);
      return settle(final, scanner.stopped);
    }
    const final = await waitForPrediction(context.http, predictions, created, {
      signal,
      cancelOnAbort: true,
    });
    done = true;
    context.usage?.(final, startedAt, request.model);
    settle(final, false);
    const text = scanner.push(outputText(final.output)) + scanner.flush();
    if (text) yield text;
    return { prediction: final, stopped: scanner.stopped };
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  } finally {
    // Aborted, thrown, or the consumer stopped early: don't leave the prediction running.
    if (!done) await cancelQuietly(predictions, created.id);
  }
}

/**
 * The prediction's events; an `error` event (the model failed mid-stream) becomes the same
 * `PredictionFailedError`, with logs, that a non-streamed failure gives.
 */
async function* failuresSettled(
  context: LifecycleContext,
  created: Prediction,
  signal: AbortSignal | undefined,
) {
  try {
    yield* streamEvents(context.http, created, { signal });
  } catch (error) {
    if (!(error instanceof StreamError) || error.reason !== 'error-event') throw error;
    const final = await context.predictions.get(created.id, { signal }).catch(() => undefined);
    if (final?.status === 'failed') throw new PredictionFailedError(final);
    throw error;
  }
}

/** Throw for failed or (not by us) canceled predictions. */
function settle(final: Prediction, stopped: boolean): ChoiceResult {
  // A stop sequence canceled it on purpose: only a failure is an error then.
  if (!stopped || final.status === 'failed') throwUnlessSucceeded(final);
  return { prediction: final, stopped };
}

/** A language model's output as text: token arrays are concatenated. */
export function outputText(output: unknown): string {
  if (output === null || output === undefined) return '';
  if (typeof output === 'string') return output;
  if (Array.isArray(output) && output.every((item) => typeof item === 'string')) return output.join('');
  return JSON.stringify(output);
}
