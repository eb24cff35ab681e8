import { type EventSourceMessage, EventSourceParserStream } from 'eventsource-parser/stream';

/**
 * Parse an SSE body into messages: `body → TextDecoderStream → EventSourceParserStream`. Handles split
 * chunks, `: comments`, multi-line `data:` and CRLF. `finally` cancels the reader, so a consumer's `break`
 * closes the connection.
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<EventSourceMessage> {
  const reader = body
    .pipeThrough(new TextDecoderStream() as unknown as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Replicate event ids are `<unix-ts>:<seq>`; returns them comparable, or `undefined` for other ids. */
function eventOrder(id: string | undefined): [number, number] | undefined {
  const match = id ? /^(\d+):(\d+)$/.exec(id) : null;
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

const RECENT_IDS = 1024;

/**
 * Remembers delivered event ids so a resumed connection never delivers an event twice. Replicate's
 * `<ts>:<seq>` ids are compared by order (constant memory); other ids against the last 1,024 seen.
 */
export class EventDeduper {
  #last: string | undefined;
  readonly #recent = new Set<string>();

  /** The id to send as `Last-Event-ID` on reconnect. */
  get lastId(): string | undefined {
    return this.#last;
  }

  /** Whether an event is new; records it if so. Events without an id are always new. */
  accept(id: string | undefined): boolean {
    if (id === undefined || id === '') return true;
    const order = eventOrder(id);
    const last = eventOrder(this.#last);
    const seen =
      order && last
        ? !(order[0] > last[0] || (order[0] === last[0] && order[1] > last[1]))
        : this.#recent.has(id);
    if (seen) return false;
    this.#last = id;
    this.#recent.add(id);
    if (this.#recent.size > RECENT_IDS) this.#recent.delete(this.#recent.values().next().value as string);
    return true;
  }
}
