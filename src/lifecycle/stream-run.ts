import { FileOutput, isFileUrl } from '../files/output.js';
import { parseModelRef } from '../identifiers.js';
import type { CreateOptions } from '../resources/predictions.js';
import type { Prediction } from '../schemas/prediction.js';
import { type Batches, batchedIterator } from './batched-iterator.js';
import { StreamError, throwUnlessSucceeded } from './errors.js';
import {
  checkCreateOptions,
  createUnlessAborted,
  type LifecycleContext,
  prepareRunInput,
  type RunOptions,
} from './run.js';
import { type PredictionEvent, PredictionEventStream, type StreamEventsOptions } from './stream.js';
import { cancelQuietly, waitForPrediction } from './wait.js';

/** Options of `replicate.stream()`. */
export interface StreamOptions<Input = Record<string, unknown>>
  extends Omit<CreateOptions, 'wait' | 'timeout'>,
    StreamEventsOptions,
    Pick<RunOptions<Input>, 'fileEncoding'> {
  /** The model's input; files in it are uploaded (or inlined) as with `run`. */
  input: Input;
  /**
   * Also cancel the prediction when you stop iterating before `done` (`break`, `return`, a thrown error).
   * @default false: the connection closes, the prediction keeps running
   */
  cancelOnBreak?: boolean;
  /**
   * For a model that does not stream: `'error'` cancels it and throws `StreamError` (`reason: 'not-supported'`);
   * `'wait'` waits for the result and yields the final output once, then `done`.
   * @default 'error'
   */
  fallback?: 'error' | 'wait';
}

/**
 * Create a prediction and yield its events until `done`. An abort at any stage cancels the prediction
 * and rejects with `signal.reason`.
 */
export function streamPrediction<Input>(
  context: LifecycleContext,
  ref: string,
  options: StreamOptions<Input>,
): AsyncGenerator<PredictionEvent, void, undefined> {
  return batchedIterator(predictionBatches(context, ref, options));
}

/** `streamPrediction`'s events, a batch per network read (see `BatchedIterator`). */
async function* predictionBatches<Input>(
  context: LifecycleContext,
  ref: string,
  options: StreamOptions<Input>,
): Batches<PredictionEvent> {
  parseModelRef(ref);
  checkCreateOptions(options);
  const { signal } = options;
  signal?.throwIfAborted();
  const startedAt = Date.now();
  const input = await prepareRunInput(context, options, signal);
  const { cancelAfter, webhook, webhookEventsFilter } = options;
  const created = await createUnlessAborted(
    context.predictions,
    { model: ref, input, cancelAfter, webhook, webhookEventsFilter },
    signal,
  );
  const stream = created.urls?.stream ? new PredictionEventStream(context.http, created, options) : undefined;
  let finished = false;
  let failed = false; // an `error` event
  try {
    if (!stream) {
      if (options.fallback !== 'wait') {
        await cancelQuietly(context.predictions, created.id);
        throw new StreamError(
          `${ref} does not stream; pass fallback: 'wait' to get its output once.`,
          'not-supported',
          created,
        );
      }
      yield (await finalOutputEvents(context, created, signal, startedAt, ref)).values();
    } else {
      // Not `yield*`: what the consumer throws in ends the stream here, it is no dropped connection.
      for await (const batch of stream.batches()) yield batch;
    }
    finished = true;
  } catch (error) {
    if (error instanceof StreamError && error.reason === 'error-event') failed = true;
    if (signal?.aborted) {
      finished = true;
      await cancelQuietly(context.predictions, created.id);
      throw signal.reason;
    }
    throw error;
  } finally {
    // After `done` or an `error` event the prediction is over: a `break` there has nothing to cancel, and
    // its usage is reported.
    const ended = failed || stream?.done === true;
    if (!finished && !ended && options.cancelOnBreak) await cancelQuietly(context.predictions, created.id);
    if (ended) await context.usage?.streamed(created.id, startedAt, ref);
  }
}

/** For `fallback: 'wait'`: wait for the prediction, then its output as events and `done`. */
async function finalOutputEvents(
  context: LifecycleContext,
  created: Prediction,
  signal: AbortSignal | undefined,
  startedAt: number,
  ref: string,
): Promise<PredictionEvent[]> {
  const final = await waitForPrediction(context.http, context.predictions, created, {
    signal,
    cancelOnAbort: true,
  });
  context.usage?.done(final, startedAt, ref);
  throwUnlessSucceeded(final);
  const items = Array.isArray(final.output) ? final.output : [final.output];
  const events: PredictionEvent[] = [];
  for (const item of items) {
    if (item === null || item === undefined) continue;
    const data = typeof item === 'string' ? item : JSON.stringify(item);
    const file = typeof item === 'string' && isFileUrl(item) ? new FileOutput(item, context.http) : undefined;
    events.push(
      file ? { type: 'output', data, id: undefined, file } : { type: 'output', data, id: undefined },
    );
  }
  events.push({ type: 'done', id: undefined });
  return events;
}
