import {
  ConnectionError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  TimeoutError,
} from '../errors.js';
import type { HttpClient } from '../http/core.js';
import type { CorePredictions } from '../resources/predictions.js';
import { isTerminal, type Prediction } from '../schemas/prediction.js';
import { type ProgressCallback, progressReporter } from './progress.js';
import { sleep, withDeadline } from './signals.js';
import { streamEvents } from './stream.js';

/** Options of `replicate.wait()`. */
export interface WaitOptions {
  /** Stops waiting; the call rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
  /**
   * First delay between polls, in ms; grows ×1.5 per poll up to `maxPollInterval`.
   * @default 500
   */
  pollInterval?: number | undefined;
  /**
   * Longest delay between polls, in ms.
   * @default 5000
   */
  maxPollInterval?: number | undefined;
  /**
   * Give up after this many ms with `TimeoutError`.
   * @default no limit
   */
  timeout?: number | undefined;
  /**
   * Wait on the prediction's event stream (one long request) when it has one, instead of polling.
   * @default true
   */
  useStream?: boolean | undefined;
  /**
   * Cancel the prediction (best effort) when `signal` aborts or `timeout` fires.
   * @default false for `wait`, true for `run`
   */
  cancelOnAbort?: boolean | undefined;
  /** Called on status changes and `NN%|` progress found in the logs. */
  onProgress?: ProgressCallback | undefined;
}

/** Waiting gives up at this many failed polls in a row (each after its own HTTP retries). */
const MAX_POLL_FAILURES = 3;

/**
 * A poll that failed in a way the next poll may not: a body cut short or not JSON, a 5xx or 429 that
 * outlasted the HTTP retries, an attempt timeout. Polling is safe to repeat; failing the whole wait on one
 * bad answer would lose an output that is on its way (and leave the prediction running, unseen).
 */
function isTransient(error: unknown): boolean {
  if (error instanceof ResponseValidationError) return error.issues[0]?.code === 'invalid_json';
  return (
    error instanceof ConnectionError ||
    error instanceof ServerError ||
    error instanceof RateLimitError ||
    error instanceof TimeoutError
  );
}

/**
 * Wait until a prediction is terminal (`succeeded`, `failed`, `canceled` or `aborted`) and return it.
 * Waits on `urls.stream` for `done` when there is one, else polls `GET` with growing intervals.
 */
export async function waitForPrediction(
  http: HttpClient,
  predictions: CorePredictions,
  prediction: Prediction,
  options: WaitOptions = {},
): Promise<Prediction> {
  const report = progressReporter(options.onProgress);
  report(prediction);
  if (isTerminal(prediction.status)) return prediction;
  const deadline = withDeadline(options.signal, options.timeout, `Waiting for prediction ${prediction.id}`);
  const signal = deadline.signal;
  try {
    if (options.useStream !== false && prediction.urls?.stream) {
      const streamed = await waitOnStream(http, predictions, prediction, signal, report);
      if (streamed) return streamed;
    }
    return await poll(predictions, prediction.id, options, signal, report);
  } catch (error) {
    if (signal?.aborted && options.cancelOnAbort) await cancelQuietly(predictions, prediction.id);
    throw signal?.aborted ? signal.reason : error;
  } finally {
    deadline.clear();
  }
}

/** Wait for `done` on the stream, then fetch the final prediction; `undefined` to fall back to polling. */
async function waitOnStream(
  http: HttpClient,
  predictions: CorePredictions,
  prediction: Prediction,
  signal: AbortSignal | undefined,
  report: (prediction: Prediction, logs?: string) => void,
): Promise<Prediction | undefined> {
  let logs = '';
  try {
    for await (const event of streamEvents(http, prediction, { signal })) {
      if (event.type === 'logs') {
        logs += `${event.data}\n`;
        report({ ...prediction, status: 'processing' }, logs);
      }
      if (event.type === 'done') break;
    }
  } catch (error) {
    // An error event means the prediction failed: its final state says how. A broken stream (bad
    // response, 404/5xx, unreachable host, too many drops) says nothing about the prediction: poll.
    if (signal?.aborted) throw error;
  }
  let final: Prediction;
  try {
    final = await predictions.get(prediction.id, { signal });
  } catch (error) {
    if (signal?.aborted || !isTransient(error)) throw error;
    return undefined; // poll instead
  }
  report(final);
  return isTerminal(final.status) ? final : undefined;
}

/** Poll `GET` until terminal: after `pollInterval`, then intervals growing ×1.5 up to `maxPollInterval`. */
async function poll(
  predictions: CorePredictions,
  id: string,
  options: WaitOptions,
  signal: AbortSignal | undefined,
  report: (prediction: Prediction) => void,
): Promise<Prediction> {
  const first = options.pollInterval ?? 500;
  const longest = Math.max(first, options.maxPollInterval ?? 5000);
  let failures = 0;
  for (let interval = first; ; interval = Math.min(longest, interval * 1.5)) {
    await sleep(Math.round(interval), signal);
    let current: Prediction;
    try {
      current = await predictions.get(id, { signal });
    } catch (error) {
      if (signal?.aborted || !isTransient(error) || ++failures >= MAX_POLL_FAILURES) throw error;
      continue;
    }
    failures = 0;
    report(current);
    if (isTerminal(current.status)) return current;
  }
}

/** How long an abort or timeout waits for its cancel request, in ms. */
const CANCEL_WAIT = 5_000;

/**
 * Best-effort cancel that never throws (the caller is already failing with a better reason), and gives up
 * after 5 s: a slow or rate-limited cancel must not hold back the caller's abort or `timeout` for a minute.
 */
export async function cancelQuietly(predictions: CorePredictions, id: string): Promise<void> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), CANCEL_WAIT);
  try {
    await predictions.cancel(id, { signal: controller.signal });
  } catch {
    // Best effort: the prediction may already be over, or the API unreachable.
  } finally {
    clearTimeout(timer);
  }
}
