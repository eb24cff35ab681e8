import { prepareInput } from '../files/inputs';
import { FileOutput, isFileUrl } from '../files/output';
import { parseModelRef } from '../identifiers';
import type { CreateOptions } from '../resources/predictions';
import type { Prediction } from '../schemas/prediction';
import { reportStreamed } from '../usage';
import { PredictionCanceledError, PredictionFailedError, StreamError } from './errors';
import { checkCreateOptions, createUnlessAborted, type LifecycleContext, type RunOptions } from './run';
import { type PredictionEvent, type StreamEventsOptions, streamEvents } from './stream';
import { cancelQuietly, waitForPrediction } from './wait';

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
export async function* streamPrediction<Input>(
  context: LifecycleContext,
  ref: string,
  options: StreamOptions<Input>,
): AsyncGenerator<PredictionEvent, void, undefined> {
  parseModelRef(ref);
  checkCreateOptions(options);
  const { signal } = options;
  signal?.throwIfAborted();
  const startedAt = Date.now();
  const input = await prepareInput(options.input, {
    fileEncoding: options.fileEncoding,
    upload: async (blob) => (await context.files.create(blob, { signal })).urls.get,
  });
  const { cancelAfter, webhook, webhookEventsFilter } = options;
  const created = await createUnlessAborted(
    context.predictions,
    { model: ref, input: input as Record<string, unknown>, cancelAfter, webhook, webhookEventsFilter },
    signal,
  );
  let finished = false;
  let ended = false; // `done` or an `error` event: the prediction is over, so its usage is reported
  try {
    if (!created.urls?.stream) {
      if (options.fallback !== 'wait') {
        await cancelQuietly(context.predictions, created.id);
        throw new StreamError(
          `${ref} does not stream; pass fallback: 'wait' to get its output once.`,
          'not-supported',
          created,
        );
      }
      yield* finalOutputEvents(context, created, signal, startedAt, ref);
    } else {
      for await (const event of streamEvents(context.http, created, options)) {
        if (event.type === 'done') ended = true;
        yield event;
      }
    }
    finished = true;
  } catch (error) {
    if (error instanceof StreamError && error.reason === 'error-event') ended = true;
    if (signal?.aborted) {
      finished = true;
      await cancelQuietly(context.predictions, created.id);
      throw signal.reason;
    }
    throw error;
  } finally {
    // After `done` or an `error` event the prediction is over: a `break` there has nothing to cancel.
    if (!finished && !ended && options.cancelOnBreak) await cancelQuietly(context.predictions, created.id);
    if (ended) await reportStreamed(context, created.id, startedAt, ref);
  }
}

/** For `fallback: 'wait'`: wait for the prediction, then yield its output as events and `done`. */
async function* finalOutputEvents(
  context: LifecycleContext,
  created: Prediction,
  signal: AbortSignal | undefined,
  startedAt: number,
  ref: string,
): AsyncGenerator<PredictionEvent, void, undefined> {
  const final = await waitForPrediction(context.http, context.predictions, created, {
    signal,
    cancelOnAbort: true,
  });
  context.usage?.(final, startedAt, ref);
  if (final.status === 'failed') throw new PredictionFailedError(final);
  if (final.status !== 'succeeded') throw new PredictionCanceledError(final);
  const items = Array.isArray(final.output) ? final.output : [final.output];
  for (const item of items) {
    if (item === null || item === undefined) continue;
    const data = typeof item === 'string' ? item : JSON.stringify(item);
    const file = typeof item === 'string' && isFileUrl(item) ? new FileOutput(item, context.http) : undefined;
    yield file ? { type: 'output', data, id: undefined, file } : { type: 'output', data, id: undefined };
  }
  yield { type: 'done', id: undefined };
}
