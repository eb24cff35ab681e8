/** (b) and (c) of `bench/run.ts`: the streaming clients compared, and the timing of one of their runs. */
import { createParser } from 'eventsource-parser';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import Official from 'replicate';
import { Replicate } from 'replikit';
import { AUTH } from './config.ts';

export interface StreamRun {
  /** ms from the call to the first output token. */
  first: number;
  /** ms from the call to the end of the iteration. */
  total: number;
  tokens: number;
}

export interface StreamResult {
  client: string;
  /** Median ms from the first token to the end. */
  body: number;
  /** Median ms from the call to the end. */
  total: number;
  tokensPerSecond: number;
  mbPerSecond: number;
  /** Tokens received when the run was cut short by its time budget. */
  partial?: number;
}

/** Time an iteration of token deltas; stop after `budget` ms (a partial run) when given. */
export async function timed(
  name: string,
  deltas: () => AsyncIterable<unknown>,
  budget = Number.POSITIVE_INFINITY,
): Promise<StreamRun> {
  const start = performance.now();
  let first = 0;
  let tokens = 0;
  try {
    for await (const _ of deltas()) {
      if (tokens === 0) first = performance.now() - start;
      tokens++;
      if (performance.now() - start > budget) break;
    }
  } catch (error) {
    throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return { first, total: performance.now() - start, tokens };
}

export async function createStreaming(baseUrl: string, model: string, tokens: number): Promise<string> {
  const response = await fetch(`${baseUrl}/models/${model}/predictions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${AUTH}`, 'content-type': 'application/json' },
    body: JSON.stringify({ input: { prompt: 'Write a long story.', max_tokens: tokens } }),
  });
  const prediction = (await response.json()) as { urls: { stream: string } };
  return prediction.urls.stream;
}

export async function openStream(url: string): Promise<ReadableStream<Uint8Array>> {
  const response = await fetch(url, { headers: { accept: 'text/event-stream' } });
  if (!response.body) throw new Error('no stream body');
  return response.body;
}

/** Each client as a function yielding one item per output token. */
export function streamClients(baseUrl: string, model: `${string}/${string}`, tokens: number) {
  const replikit = new Replicate({ auth: AUTH, baseUrl });
  const official = new Official({ auth: AUTH, baseUrl });
  const input = { prompt: 'Write a long story.', max_tokens: tokens };
  return {
    /** Read the whole body without parsing: its size, and ms from the first event's bytes to the end. */
    bytes: async (): Promise<{ bytes: number; ms: number }> => {
      const body = await openStream(await createStreaming(baseUrl, model, tokens));
      let bytes = 0;
      let first = 0;
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        // The stream opens with a `: hi` comment at once; the events follow when the model starts.
        if (first === 0 && chunk.byteLength > ': hi\n\n'.length) first = performance.now();
        bytes += chunk.byteLength;
      }
      return { bytes, ms: performance.now() - first };
    },
    clients: [
      [
        'bare eventsource-parser (`createParser`, `TextDecoder`)',
        async function* () {
          const body = await openStream(await createStreaming(baseUrl, model, tokens));
          const decoder = new TextDecoder();
          let ready: string[] = [];
          let done = false;
          const parser = createParser({
            onEvent: (event) => {
              if (event.event === 'output') ready.push(event.data);
              else if (event.event === 'done') done = true;
            },
          });
          for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
            parser.feed(decoder.decode(chunk, { stream: true }));
            const batch = ready;
            ready = [];
            yield* batch;
            if (done) return;
          }
        },
      ],
      [
        'eventsource-parser pipeline (`TextDecoderStream` → `EventSourceParserStream`)',
        async function* () {
          const body = await openStream(await createStreaming(baseUrl, model, tokens));
          const events = body
            .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
            .pipeThrough(new EventSourceParserStream());
          for await (const event of events as unknown as AsyncIterable<{ event?: string; data: string }>) {
            if (event.event === 'output') yield event.data;
            else if (event.event === 'done') return;
          }
        },
      ],
      [
        'replikit `stream`',
        async function* () {
          for await (const event of replikit.stream(model, { input }))
            if (event.type === 'output') yield event.data;
        },
      ],
      [
        'official `stream`',
        async function* () {
          // Cut short by its time budget, the official stream must be aborted: it reads on in the background.
          const controller = new AbortController();
          try {
            for await (const event of official.stream(model, { input, signal: controller.signal })) {
              if (event.event === 'output') yield event.data;
            }
          } finally {
            controller.abort();
          }
        },
      ],
    ] as Array<[string, () => AsyncIterable<string>]>,
  };
}
