import { Replicate, type ReplicateOptions } from 'replikit';
import { createFakeReplicate, type FakeReplicateOptions, scripted, textModel } from 'replikit/testing';
import { vi } from 'vitest';

/** Figures a test prints at the end of the run (see `figures-reporter.ts`). */
export type Figures = Record<string, number | string>;

declare module 'vitest' {
  interface TaskMeta {
    /** Figures the suite prints at the end, under this test's name. */
    figures?: Figures;
  }
}

export const TEXT = 'acme/echo';
export const SLOW = 'acme/slow';

/**
 * A fake with a streaming echo model (no token delay) and a slow one (10 s cold start), driven by vitest's
 * fake timers through the fake's system clock, with every response body tracked (see `trackBodies`).
 */
export function setup(options: FakeReplicateOptions = {}, client: ReplicateOptions = {}) {
  const fake = createFakeReplicate({
    presets: false,
    rateLimit: false,
    models: {
      [TEXT]: textModel({ respond: (input) => String(input.prompt ?? ''), tokenDelay: 0, startDelay: 0 }),
      [SLOW]: textModel({ respond: scripted(['slow answer']), tokenDelay: 0, startDelay: 10_000 }),
    },
    ...options,
  });
  const bodies = trackBodies(fake.fetch);
  const replicate = new Replicate({ auth: 'r8_fault_suite', fetch: bodies.fetch, ...client });
  return { fake, replicate, bodies };
}

/**
 * A `fetch` that counts response bodies still open: neither read to the end, nor cancelled, nor errored,
 * nor ended by an abort of their request. With a real `fetch` each of them is a socket held open.
 */
export function trackBodies(inner: typeof fetch) {
  let open = 0;
  const tracked = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const response = await inner(request);
    const source = response.body;
    if (!source) return response;
    open++;
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      open--;
      request.signal.removeEventListener('abort', close);
    };
    // An aborted fetch tears its connection down whether or not anyone reads the body.
    request.signal.addEventListener('abort', close, { once: true });
    const reader = source.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) {
            close();
            controller.close();
          } else controller.enqueue(value);
        } catch (error) {
          close();
          controller.error(error);
        }
      },
      cancel(reason) {
        close();
        return reader.cancel(reason);
      },
    });
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
  return {
    fetch: tracked as typeof fetch,
    get open() {
      return open;
    },
  };
}

/** The outcome of a call, settled while fake timers run. */
export interface Outcome<T> {
  value?: T;
  error?: unknown;
  /** `Date.now()` (fake) when it settled. */
  at?: number;
}

/** The real timers, captured before any test fakes them. */
const realImmediate = globalThis.setImmediate;
const realTimeout = globalThis.setTimeout;

/**
 * Let real asynchronous work finish (Web Crypto digests in the fake's file routes run on the thread pool):
 * fake time must not run ahead of it, or the same test would time out on one run and not on the next.
 */
export async function realTurns(turns = 3): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise<void>((resolve) => realImmediate(resolve));
  // A request body parsed as multipart, or a digest, may take a real millisecond on a busy machine.
  await new Promise<void>((resolve) => realTimeout(resolve, 1));
  await new Promise<void>((resolve) => realImmediate(resolve));
}

/** Start `call`, run fake timers until it settles (at most `limit` ms of fake time), return how it ended. */
export async function drive<T>(
  call: () => Promise<T>,
  limit = 15 * 60_000,
  step = 1_000,
): Promise<Outcome<T>> {
  const outcome: Outcome<T> = {};
  let settled = false;
  call().then(
    (value) => {
      outcome.value = value;
      outcome.at = Date.now();
      settled = true;
    },
    (error: unknown) => {
      outcome.error = error;
      outcome.at = Date.now();
      settled = true;
    },
  );
  for (let spent = 0; !settled && spent < limit; spent += step) {
    await realTurns();
    await vi.advanceTimersByTimeAsync(step);
  }
  if (!settled) throw new Error(`drive: the call did not settle within ${limit} ms of fake time`);
  return outcome;
}

/**
 * Let the fake and the client finish what they started (cancels, closing streams, a create held by
 * `Prefer: wait` for up to 60 s), then count what is left.
 */
export async function leftovers(bodies: { open: number }) {
  for (let step = 0; step < 12; step++) await vi.advanceTimersByTimeAsync(10_000);
  return { timers: vi.getTimerCount(), openBodies: bodies.open };
}

/** Collect a stream's output text (and every output event id) until it ends. */
export async function collect(
  events: AsyncIterable<{ type: string; data?: string; id?: string | undefined }>,
) {
  let text = '';
  const ids: string[] = [];
  for await (const event of events) {
    if (event.type !== 'output') continue;
    text += event.data;
    if (event.id) ids.push(event.id);
  }
  return { text, ids };
}
