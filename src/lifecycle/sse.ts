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
function eventOrder(id: string): [number, number] | undefined {
  // The same test as /^(\d+):(\d+)$/, without a regex match and its arrays: this runs once per event.
  const colon = id.indexOf(':');
  if (colon <= 0 || colon === id.length - 1) return undefined;
  for (let index = 0; index < id.length; index++) {
    const code = id.charCodeAt(index);
    if (index !== colon && (code < 48 || code > 57)) return undefined;
  }
  return [Number(id.slice(0, colon)), Number(id.slice(colon + 1))];
}

const RECENT_IDS = 1024;

/**
 * Remembers delivered event ids so a resumed connection never delivers an event twice. Replicate's
 * `<ts>:<seq>` ids are compared by order (constant memory); other ids against the last 1,024 seen.
 */
export class EventDeduper {
  #last: string | undefined;
  /** `eventOrder(#last)`, kept so each event parses one id, not two. */
  #lastOrder: [number, number] | undefined;
  /**
   * The last 1,024 delivered ids, oldest overwritten first. Consulted only for ids that cannot be ordered,
   * so a ring (no hashing per event) is cheaper than a set on Replicate's streams.
   */
  readonly #recent: string[] = [];
  #next = 0;

  /** The id to send as `Last-Event-ID` on reconnect. */
  get lastId(): string | undefined {
    return this.#last;
  }

  /** Whether an event is new; records it if so. Events without an id are always new. */
  accept(id: string | undefined): boolean {
    if (id === undefined || id === '') return true;
    const order = eventOrder(id);
    const last = this.#lastOrder;
    const seen =
      order && last
        ? !(order[0] > last[0] || (order[0] === last[0] && order[1] > last[1]))
        : this.#recent.includes(id);
    if (seen) return false;
    this.#last = id;
    this.#lastOrder = order;
    this.#recent[this.#next] = id;
    this.#next = (this.#next + 1) % RECENT_IDS;
    return true;
  }
}
