import { createSseParser, type SseMessage } from './sse-parse.js';

/**
 * Parse an SSE body one network read at a time: each read's complete messages in one array (reads that
 * complete none yield nothing). One `TextDecoder` and one parser for the whole body handle split chunks,
 * `: comments`, multi-line `data:` and CRLF. `finally` cancels the body, so a consumer's `break` closes
 * the connection.
 */
export async function* readEventBatches(
  body: ReadableStream<Uint8Array>,
): AsyncGenerator<SseMessage[], void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let batch: SseMessage[] = [];
  const feed = createSseParser((message) => batch.push(message));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      feed(decoder.decode(value, { stream: true }));
      if (batch.length === 0) continue;
      const messages = batch;
      batch = [];
      yield messages;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/**
 * The value of `id[from..to)` when it is all digits, else `NaN`: `Number(id.slice(from, to))` for the
 * digits of Replicate's event ids, without the slice (this runs once or twice per event).
 */
function digitsValue(id: string, from: number, to: number): number {
  if (from >= to) return Number.NaN;
  let value = 0;
  for (let index = from; index < to; index++) {
    const digit = id.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  // Past 15 digits the sum may round differently from the parse: parse those.
  return to - from > 15 ? Number(id.slice(from, to)) : value;
}

const RECENT_IDS = 1024;

/**
 * Remembers delivered event ids so a resumed connection never delivers an event twice. Replicate's
 * `<unix-ts>:<seq>` ids are compared by order (constant memory); other ids against the last 1,024 seen.
 */
export class EventDeduper {
  #last: string | undefined;
  /** The two numbers of `#last` when it is a Replicate id, else `NaN`. */
  #lastTime = Number.NaN;
  #lastSeq = Number.NaN;
  /** `<unix-ts>:` of `#last` when it is a Replicate id, else `''`: ids of the same second only parse `<seq>`. */
  #lastSecond = '';
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
    const second = this.#lastSecond;
    // Ids of the same second as the last one (nearly all of them) compare that part as text: one slice,
    // not ten digits read one by one.
    const sameSecond = second !== '' && id.slice(0, second.length) === second;
    const colon = sameSecond ? second.length - 1 : id.indexOf(':');
    const time = sameSecond ? this.#lastTime : colon > 0 ? digitsValue(id, 0, colon) : Number.NaN;
    const seq = time >= 0 ? digitsValue(id, colon + 1, id.length) : Number.NaN;
    const seen =
      seq >= 0 && this.#lastSeq >= 0
        ? !(time > this.#lastTime || (time === this.#lastTime && seq > this.#lastSeq))
        : this.#recent.includes(id);
    if (seen) return false;
    this.#last = id;
    this.#lastTime = time;
    this.#lastSeq = seq;
    this.#lastSecond = seq >= 0 ? (sameSecond ? second : id.slice(0, colon + 1)) : '';
    this.#recent[this.#next] = id;
    this.#next = (this.#next + 1) % RECENT_IDS;
    return true;
  }
}
