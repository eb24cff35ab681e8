import type { RequestContext } from './env.js';
import { type TimelineEvent, timeline } from './prediction.js';
import { notFound } from './responses.js';
import { waitUntil } from './state.js';

/** Options of a stream response (faults). */
export interface StreamOptions {
  /** End the connection (without `done`) after this many events. */
  truncateAfter?: number | undefined;
}

/**
 * A prediction's `urls.stream`: `output`, `logs`, `error` and `done` events as they happen on the fake's
 * clock, ids `<unix seconds>:<n>`, a leading `: hi` comment as Replicate's streams have. `Last-Event-ID`
 * resumes after that event. Multi-line data is sent as several `data:` lines.
 */
export function streamPrediction(context: RequestContext, options: StreamOptions = {}): Response {
  const { env, request } = context;
  const record = env.state.predictions.get(context.params[0]!);
  if (!record) return notFound('Stream not found.');
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  context.signal.addEventListener('abort', onAbort, { once: true });
  const encoder = new TextEncoder();
  let cursor = parseId(request.headers.get('last-event-id'));
  let sent = 0;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => controller.enqueue(encoder.encode(text));
      const finish = () => {
        context.signal.removeEventListener('abort', onAbort);
        context.release();
        stop.abort();
        try {
          // A client that aborted sees its reason, as with a real fetch body; anything else is a clean end.
          if (request.signal.aborted) controller.error(request.signal.reason);
          else controller.close();
        } catch {}
      };
      // Events due at the same moment go out together (up to 64 KB a chunk), as a server's socket buffer
      // would send them: one chunk per event made a burst of 100k tokens take 100k writes.
      let pending = ': hi\n\n';
      const flush = () => {
        if (pending) write(pending);
        pending = '';
      };
      const run = async () => {
        // `afterEvents: 0`: the connection ends before its first event.
        if (options.truncateAfter === 0) {
          flush();
          return finish();
        }
        for (;;) {
          const now = env.clock.now();
          const events = timeline(record);
          // Ids grow along the timeline: once one event is past the cursor, all later ones are.
          let past = cursor === undefined;
          let last: string | undefined;
          for (const event of events) {
            if (event.at > now) continue;
            if (!past && !isAfter(event.id, cursor)) continue;
            past = true;
            pending += format(event);
            last = event.id;
            sent++;
            const ends =
              event.event === 'done' ||
              (options.truncateAfter !== undefined && sent >= options.truncateAfter);
            if (ends || pending.length >= 65_536) flush();
            if (ends) return finish();
          }
          flush();
          if (last !== undefined) cursor = parseId(last);
          if (stop.signal.aborted) return finish();
          const next = events.find((event) => event.at > now)?.at ?? Number.POSITIVE_INFINITY;
          await waitUntil(env.clock, env.state, record.id, next, stop.signal);
        }
      };
      // A write after the reader cancelled throws: the stream is over either way.
      run().catch(finish);
    },
    cancel() {
      context.signal.removeEventListener('abort', onAbort);
      context.release();
      stop.abort();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store' },
  });
}

/** One event in wire format. */
export function format(event: TimelineEvent): string {
  const data = event.data.includes('\n')
    ? event.data
        .split('\n')
        .map((line) => `data: ${line}\n`)
        .join('')
    : `data: ${event.data}\n`;
  return `event: ${event.event}\nid: ${event.id}\n${data}\n`;
}

function parseId(id: string | null): [number, number] | undefined {
  const match = id ? /^(\d+):(\d+)$/.exec(id.trim()) : null;
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

function isAfter(id: string, cursor: [number, number] | undefined): boolean {
  if (!cursor) return true;
  const order = parseId(id);
  if (!order) return true;
  return order[0] > cursor[0] || (order[0] === cursor[0] && order[1] > cursor[1]);
}
