import type { EventSourceMessage } from 'eventsource-parser/stream';
import { ReplicateError } from '../errors';
import { FileOutput, isFileUrl } from '../files/output';
import type { HttpClient } from '../http/core';
import type { Prediction } from '../schemas/prediction';
import { StreamError } from './errors';
import { sleep } from './signals';
import { EventDeduper, readServerSentEvents } from './sse';

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
   * Reconnections (with `Last-Event-ID`) after the connection ends before `done`.
   * @default 3
   */
  maxReconnects?: number | undefined;
  /**
   * Delay before the first reconnection, in ms; doubles on each further one.
   * @default 250
   */
  reconnectDelay?: number | undefined;
}

/**
 * The typed events of a prediction's `urls.stream`, until `done`. A connection that ends early is
 * resumed with `Last-Event-ID` and no event is delivered twice; an `error` event throws `StreamError`.
 */
export async function* streamEvents(
  http: HttpClient,
  prediction: Prediction,
  options: StreamEventsOptions = {},
): AsyncGenerator<PredictionEvent, void, undefined> {
  const url = prediction.urls?.stream;
  if (!url) {
    throw new StreamError(
      `Prediction ${prediction.id} has no stream URL: the model does not stream.`,
      'not-supported',
      prediction,
    );
  }
  const isFileStream = new URL(url).pathname.includes('/v1/files/');
  const maxReconnects = options.maxReconnects ?? 3;
  const deduper = new EventDeduper();
  for (let attempt = 0; ; attempt++) {
    const body = await connect(http, url, deduper.lastId, options.signal, prediction);
    let dropped: unknown;
    try {
      for await (const message of readServerSentEvents(body)) {
        if (!deduper.accept(message.id)) continue;
        const event = toEvent(message, prediction, isFileStream, http);
        if (!event) continue;
        yield event;
        if (event.type === 'done') return;
      }
    } catch (error) {
      // A reset mid-body is a network error from the body reader: resume like a clean early end.
      // Our own errors (an `error` event) and aborts propagate.
      if (options.signal?.aborted || error instanceof ReplicateError) throw error;
      dropped = error;
    }
    options.signal?.throwIfAborted();
    if (attempt >= maxReconnects) {
      throw new StreamError(
        `The stream of prediction ${prediction.id} ended before "done" ${attempt + 1} times.`,
        'disconnected',
        prediction,
        dropped,
      );
    }
    await sleep((options.reconnectDelay ?? 250) * 2 ** attempt, options.signal);
  }
}

/** The typed event of an SSE message; `undefined` for event types we do not know. */
function toEvent(
  message: EventSourceMessage,
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
