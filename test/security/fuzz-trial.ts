import { Replicate, ReplicateError } from 'replikit';
import { createFakeReplicate, textModel } from 'replikit/testing';
import { vi } from 'vitest';
import { realTurns, trackBodies } from '../faults/helpers';

/** The fuzz suite's harness: one call against a fresh fake, classified; and the tally of every verdict. */

/** More requests than this for one call is a busy loop. */
export const MAX_REQUESTS = 200;

/**
 * `typed`: a ReplicateError. `refused`: another error (a TypeError for a value outside the option's type)
 * thrown before any request was sent. `own`: the caller's own exception (a throwing getter or stream),
 * passed through unchanged. Anything else is a failure.
 */
export type Verdict = 'ok' | 'typed' | 'refused' | 'own' | { untyped: string } | 'hang' | 'busy' | 'leak';

/** Messages of the exceptions the generated inputs throw themselves. */
export const OWN = new Set(['getter', 'toJSON', 'proxy', 'read']);

/** Build a fresh fake and client, run `call`, and classify how it ended. */
export async function trial(
  call: (replicate: Replicate) => Promise<unknown>,
  options: { client?: Record<string, unknown>; stream?: (connection: number) => Uint8Array[] } = {},
): Promise<{ verdict: Verdict; paths: string[] }> {
  const fake = createFakeReplicate({
    presets: false,
    rateLimit: false,
    models: {
      'acme/echo': textModel({
        respond: (input) => String(input.prompt ?? 'none'),
        tokenDelay: 0,
        startDelay: 0,
      }),
      'acme/slow': textModel({ respond: 'slow', tokenDelay: 0, startDelay: 5_000 }),
    },
  });
  const paths: string[] = [];
  let connections = 0;
  const serve = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (options.stream && new URL(request.url).pathname.startsWith('/v1/streams/')) {
      const chunks = options.stream(connections++);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      });
      return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
    }
    return fake.fetch(request);
  }) as typeof globalThis.fetch;
  const bodies = trackBodies(serve);
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    paths.push(`${request.method} ${new URL(request.url).pathname}`);
    if (paths.length > MAX_REQUESTS) throw new Error('busy loop');
    return bodies.fetch(request);
  }) as typeof globalThis.fetch;
  let verdict: Verdict | undefined;
  let replicate: Replicate;
  try {
    replicate = new Replicate({ auth: 'r8_fuzz', fetch, ...options.client });
  } catch (error) {
    // Thrown by the constructor: nothing was sent.
    return { verdict: error instanceof ReplicateError ? 'typed' : 'refused', paths };
  }
  let settled = false;
  (async () => {
    try {
      await call(replicate);
      verdict = 'ok';
    } catch (error) {
      const message = error instanceof Error ? error.message : '';
      const overflow = error instanceof RangeError && /call stack/.test(message);
      verdict =
        message === 'busy loop'
          ? 'busy'
          : error instanceof ReplicateError
            ? 'typed'
            : OWN.has(message)
              ? 'own'
              : paths.length === 0 && !overflow
                ? 'refused'
                : { untyped: `${summarize(error)}${paths.length ? ` after ${paths.length} requests` : ''}` };
      if (error instanceof Error) classes.set(error.name, (classes.get(error.name) ?? 0) + 1);
    } finally {
      settled = true;
    }
  })();
  for (let spent = 0; !settled && spent < 30 * 60_000; spent += 5_000) {
    await realTurns();
    await vi.advanceTimersByTimeAsync(5_000);
  }
  if (!settled) verdict = 'hang';
  if (paths.length > MAX_REQUESTS) verdict = 'busy';
  await vi.advanceTimersByTimeAsync(120_000);
  if (typeof verdict === 'string' && ['ok', 'typed', 'refused', 'own'].includes(verdict)) {
    if (vi.getTimerCount() !== 0 || bodies.open !== 0) verdict = 'leak';
  }
  await fake.close();
  vi.clearAllTimers();
  return { verdict: verdict ?? 'hang', paths };
}

function summarize(value: unknown): string {
  return value instanceof Error
    ? `${value.name}: ${value.message.slice(0, 160)}`
    : String(value).slice(0, 160);
}

/** Error classes seen across every trial, for the figures. */
export const classes = new Map<string, number>();
export const outcomes = { ok: 0, typed: 0, refused: 0, own: 0 };

export function tally(results: Array<{ label: string; verdict: Verdict }>) {
  const bad: string[] = [];
  for (const { label, verdict } of results) {
    if (verdict === 'ok' || verdict === 'typed' || verdict === 'refused' || verdict === 'own')
      outcomes[verdict]++;
    else bad.push(`${label} → ${typeof verdict === 'string' ? verdict : `untyped ${verdict.untyped}`}`);
  }
  return { bad };
}
