import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { readEventBatches } from '../../src/lifecycle/sse';
import type { SseMessage } from '../../src/lifecycle/sse-parse';

/** The joke the recorded llama-2-70b-chat stream spells out, token by token. */
export const LLAMA_TEXT =
  "Sure, here's a joke about OpenTelemetry:\n\nWhy did the OpenTelemetry agent go to therapy?\n\n" +
  'Because it was feeling a little "disconnected" from its trace!\n\n' +
  'I hope that brought a smile to your face! Is there anything else I can assist you with?';

/** Read an SSE body from test/fixtures/sse. */
export function sseFixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/sse/${name}`, import.meta.url)), 'utf8');
}

const encoder = new TextEncoder();

/** The body's bytes in pieces of the given sizes (the last size repeats). */
export function splitBytes(text: string, ...sizes: number[]): Uint8Array[] {
  const bytes = encoder.encode(text);
  const pieces: Uint8Array[] = [];
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = sizes[Math.min(i, sizes.length - 1)]!;
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

/** The body's bytes cut at pseudo-random places (deterministic per seed), splitting UTF-8 sequences too. */
export function randomSplits(text: string, seed: number): Uint8Array[] {
  const bytes = encoder.encode(text);
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(next() * 17);
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

/** How an SSE response body ends after its chunks. */
export type SseEnd = 'close' | 'reset' | 'hang';

/** A live SSE body: `cancelled` says whether the client closed the connection. */
export interface SseBody {
  stream: ReadableStream<Uint8Array>;
  readonly cancelled: boolean;
}

/** A body that writes `chunks` one per macrotask, then closes, resets (errors) or stays open. */
export function sseBody(chunks: Array<string | Uint8Array>, end: SseEnd = 'close'): SseBody {
  let cancelled = false;
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      // Looked up at call time: with fake timers each chunk waits for the fake clock, so pacing and the
      // client's own timers (reconnect delays) advance together.
      await new Promise((resolve) => setImmediate(resolve));
      if (index < chunks.length) {
        const chunk = chunks[index++]!;
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      } else if (end === 'close') controller.close();
      else if (end === 'reset') controller.error(new Error('connection reset'));
      else await new Promise(() => {});
    },
    cancel() {
      cancelled = true;
    },
  });
  return {
    stream,
    get cancelled() {
      return cancelled;
    },
  };
}

/**
 * A `text/event-stream` response. `Transfer-Encoding: chunked` as Replicate sends it: it also makes a
 * reset surface as a network error in the client, and lets the client abort mid-body cleanly under msw.
 */
export function sseResponse(
  body: SseBody | string | Array<string | Uint8Array>,
  end: SseEnd = 'close',
): Response {
  const live =
    typeof body === 'string' ? sseBody([body], end) : Array.isArray(body) ? sseBody(body, end) : body;
  return new Response(live.stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'transfer-encoding': 'chunked' },
  });
}

/** Collect an async iterable. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** A `ReadableStream` of the given byte pieces, for feeding the parser directly. */
export function streamOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
}

/** A reply that arrives `ms` milliseconds (of fake time) after the request. */
export const delayed = (ms: number, response: () => Response) => async (): Promise<Response> => {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return response();
};

/** How far `settle` drives fake time by default: past every retry, poll and reconnect schedule. */
export const DRAIN = 10 * 60_000;

/** Start `call`, drive fake time by `ms`, and return how it settled. */
export async function settle<T>(call: () => Promise<T>, ms = DRAIN) {
  const { outcome, done } = track(call);
  await vi.advanceTimersByTimeAsync(ms);
  await done;
  return outcome;
}

/** Start `call` and record when and how it settles (drive time with `vi.advanceTimersByTimeAsync`). */
export function track<T>(call: () => Promise<T>) {
  const outcome: { settled: boolean; value?: T; error?: unknown; at?: number } = { settled: false };
  const done = call().then(
    (value) => Object.assign(outcome, { settled: true, value, at: Date.now() }),
    (error: unknown) => Object.assign(outcome, { settled: true, error, at: Date.now() }),
  );
  return { outcome, done };
}

/** The messages of an SSE body one at a time: `readEventBatches`, flattened. */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<SseMessage, void, undefined> {
  for await (const messages of readEventBatches(body)) yield* messages;
}
