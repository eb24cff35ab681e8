import { ReplicateError } from '../errors.js';
import { FileOutput, isFileUrl } from '../files/output.js';
import type { HttpClient } from '../http/core.js';
import type { Prediction } from '../schemas/prediction.js';
import { type Batches, batchedIterator } from './batched-iterator.js';
import { StreamError } from './errors.js';
import { sleep } from './signals.js';
import { EventDeduper, readEventBatches } from './sse.js';
import type { SseMessage } from './sse-parse.js';

/** One event of a prediction's stream. */
export type PredictionEvent =
  | {
      type: 'output';
      /** The chunk, verbatim (leading spaces matter: tokens like `" Sure"`). */
      data: string;
      id: string | undefined;
      /** Set when the chunk is a file (URL or data URI), e.g. from image-streaming models. */
      file?: FileOutput;
    }
  | { type: 'logs'; data: string; id: string | undefined }
  | {
      type: 'done';
      /** Why a non-successful prediction ended, e.g. `'canceled'` or `'error'`; absent on success. */
      reason?: string;
      id: string | undefined;
    };

/** Options of the event stream of an existing prediction. */
export interface StreamEventsOptions {
  /** Aborts the stream; iteration rejects with `signal.reason`. */
  signal?: AbortSignal | undefined;
  /**
   * Reconnections (with `Last-Event-ID`) in a row after the connection ends before `done` with no new event
   * since the last one: a connection that delivered something starts the count (and the delay) again.
   * @default 3
   */
  maxReconnects?: number | undefined;
  /**
   * Delay before the first reconnection, in ms; doubles on each further one in a row.
   * @default 250
   */
  reconnectDelay?: number | undefined;
}

/**
 * The typed events of a prediction's `urls.stream`, until `done`. A connection that ends early is
 * resumed with `Last-Event-ID` and no event is delivered twice; an `error` event throws `StreamError`.
 */
export function streamEvents(
  http: HttpClient,
  prediction: Prediction,
  options: StreamEventsOptions = {},
): AsyncGenerator<PredictionEvent, void, undefined> {
  return batchedIterator(new PredictionEventStream(http, prediction, options).batches());
}

/**
 * A prediction's `urls.stream`, for a `BatchedIterator`: `batches()` yields the stream itself after each
 * network read that brought messages, and its `next()` hands out their events. Events are deduplicated and
 * typed as they are taken, so `Last-Event-ID` is always the last event the consumer got.
 */
export class PredictionEventStream implements Iterator<PredictionEvent, undefined> {
  readonly #http: HttpClient;
  readonly #prediction: Prediction;
  readonly #options: StreamEventsOptions;
  readonly #deduper = new EventDeduper();
  #isFileStream = false;
  #messages: SseMessage[] = [];
  #index = 0;
  #done = false;

  constructor(http: HttpClient, prediction: Prediction, options: StreamEventsOptions) {
    this.#http = http;
    this.#prediction = prediction;
    this.#options = options;
  }

  /** Whether `done` has been handed out. */
  get done(): boolean {
    return this.#done;
  }

  /**
   * Connect, and yield this stream after each read that brought messages until `done` has been handed out.
   * A connection that ends before is resumed; `finally` closes the connection on `return()`.
   * @throws {StreamError} `not-supported` when the prediction has no stream URL.
   */
  async *batches(): Batches<PredictionEvent> {
    const prediction = this.#prediction;
    const { signal } = this.#options;
    const url = prediction.urls?.stream;
    if (!url) {
      throw new StreamError(
        `Prediction ${prediction.id} has no stream URL: the model does not stream.`,
        'not-supported',
        prediction,
      );
    }
    this.#isFileStream = new URL(url).pathname.includes('/v1/files/');
    const maxReconnects = this.#options.maxReconnects ?? 3;
    for (let failures = 0; ; failures++) {
      const before = this.#deduper.lastId;
      const body = await connect(this.#http, url, this.#deduper.lastId, signal, prediction);
      let dropped: unknown;
      try {
        for await (const messages of readEventBatches(body)) {
          this.#messages = messages;
          this.#index = 0;
          yield this;
          if (this.#done) return;
        }
      } catch (error) {
        // A reset mid-body is a network error from the body reader: resume like a clean early end.
        // Our own errors (an `error` event, thrown in at the `yield`) and aborts propagate.
        if (signal?.aborted || error instanceof ReplicateError) throw error;
        dropped = error;
      }
      signal?.throwIfAborted();
      // A connection that delivered new events was progress: the budget is for drops in a row.
      if (this.#deduper.lastId !== before) failures = 0;
      if (failures >= maxReconnects) {
        throw new StreamError(
          `The stream of prediction ${prediction.id} ended before "done" ${failures + 1} times in a row.`,
          'disconnected',
          prediction,
          dropped,
        );
      }
      await sleep((this.#options.reconnectDelay ?? 250) * 2 ** failures, signal);
    }
  }

  /**
   * The next new event of the last read, up to `done`. Throws `StreamError` at an `error` event, and the
   * abort reason once the signal has aborted.
   */
  next(): IteratorResult<PredictionEvent, undefined> {
    while (!this.#done && this.#index < this.#messages.length) {
      this.#options.signal?.throwIfAborted();
      const message = this.#messages[this.#index++]!;
      if (!this.#deduper.accept(message.id)) continue;
      const event = toEvent(message, this.#prediction, this.#isFileStream, this.#http);
      if (!event) continue;
      if (event.type === 'done') this.#done = true;
      return { value: event, done: false };
    }
    return { value: undefined, done: true };
  }
}

/** The typed event of an SSE message; `undefined` for event types we do not know. */
function toEvent(
  message: SseMessage,
  prediction: Prediction,
  isFileStream: boolean,
  http: HttpClient,
): PredictionEvent | undefined {
  const event = message.event ?? 'message';
  if (event === 'output') {
    // In a file stream every chunk should be a URL or data URI; one that is not stays text.
    const isFile = isFileUrl(message.data) || (isFileStream && URL.canParse(message.data));
    return isFile
      ? { type: 'output', data: message.data, id: message.id, file: new FileOutput(message.data, http) }
      : { type: 'output', data: message.data, id: message.id };
  }
  if (event === 'logs') return { type: 'logs', data: message.data, id: message.id };
  if (event === 'error') {
    throw new StreamError(
      `Prediction ${prediction.id} failed: ${http.redact(errorText(message.data))}`,
      'error-event',
      prediction,
    );
  }
  if (event === 'done') {
    const reason = doneReason(message.data);
    return reason ? { type: 'done', reason, id: message.id } : { type: 'done', id: message.id };
  }
  return undefined;
}

async function connect(
  http: HttpClient,
  url: string,
  lastEventId: string | undefined,
  signal: AbortSignal | undefined,
  prediction: Prediction,
): Promise<ReadableStream<Uint8Array>> {
  const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-store' };
  if (lastEventId) headers['last-event-id'] = lastEventId;
  const response = await http.send({ method: 'GET', path: '', url, headers, signal });
  const type = response.headers.get('content-type') ?? '';
  if (!response.body || !type.includes('text/event-stream')) {
    await response.body?.cancel();
    throw new StreamError(
      `The stream URL answered ${type || 'no content type'}, not text/event-stream.`,
      'http',
      prediction,
    );
  }
  return response.body;
}

/** `done` data is JSON: `{}` on success, `{"reason":"canceled"}` otherwise. */
function doneReason(data: string): string | undefined {
  try {
    const parsed = JSON.parse(data) as { reason?: unknown };
    return typeof parsed?.reason === 'string' && parsed.reason ? parsed.reason : undefined;
  } catch {
    return undefined;
  }
}

/** `error` data is a message, or JSON with `detail`. */
function errorText(data: string): string {
  try {
    const parsed = JSON.parse(data) as { detail?: unknown };
    if (typeof parsed?.detail === 'string') return parsed.detail;
  } catch {}
  return data || 'unknown error';
}
