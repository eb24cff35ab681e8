/** One server-sent event: `event` and `id` as sent (absent when the event has none), `data` lines joined by `\n`. */
export interface SseMessage {
  event?: string | undefined;
  id?: string | undefined;
  data: string;
}

/**
 * An SSE parser (WHATWG "parsing an event stream") over decoded text fed in arbitrary pieces: lines end in
 * LF, CR or CRLF (also split across pieces), `:` lines are comments, `field: value` loses one leading space,
 * `data` lines join with `\n`, a blank line dispatches an event that has data, an `id` holding NUL is
 * ignored, and unknown fields (`retry` too: reconnects follow our own schedule) are skipped. An event cut
 * off by the end of the body is never dispatched. The byte-order mark is the `TextDecoder`'s to strip.
 * `id` belongs to its event, as in eventsource-parser: the resume id is `EventDeduper`'s.
 */
export function createSseParser(onEvent: (message: SseMessage) => void): (chunk: string) => void {
  /** Pieces of a line not yet ended: joined once a line break arrives, so a long line costs linear time. */
  const pending: string[] = [];
  /** The last piece ended in CR: an LF starting the next one is the same line break. */
  let afterCr = false;
  let data: string | undefined;
  let event: string | undefined;
  let id: string | undefined;

  return (chunk) => {
    if (afterCr && chunk.charCodeAt(0) === 10) chunk = chunk.slice(1);
    afterCr = false;
    if (chunk === '') return;
    let text = chunk;
    let cr = chunk.indexOf('\r');
    let lf = chunk.indexOf('\n');
    if (cr < 0 && lf < 0) {
      pending.push(chunk);
      return;
    }
    if (pending.length > 0) {
      // `join`, not `+`: a flat string, where a concatenation would be a rope that every read walks
      pending.push(chunk);
      text = pending.join('');
      pending.length = 0;
      const shift = text.length - chunk.length;
      cr += cr < 0 ? 0 : shift;
      lf += lf < 0 ? 0 : shift;
    }
    let start = 0;
    for (;;) {
      let end = cr < 0 || (lf >= 0 && lf < cr) ? lf : cr;
      if (end < 0) break;
      if (end === start) {
        if (data !== undefined) onEvent({ id, event, data });
        data = event = id = undefined;
      } else {
        const value = fieldValue(text, start, end, 'data');
        if (value === undefined) {
          const type = fieldValue(text, start, end, 'event');
          const given = type === undefined ? fieldValue(text, start, end, 'id') : undefined;
          if (type !== undefined) event = type || undefined;
          else if (given !== undefined && !given.includes('\0')) id = given;
        } else if (data === undefined && end === lf && text.charCodeAt(end + 1) === 10) {
          // a one-line `data` and the blank line: the usual event, dispatched without another turn
          onEvent({ id, event, data: value });
          event = id = undefined;
          end++;
        } else {
          data = data === undefined ? value : `${data}\n${value}`;
        }
      }
      start = end + 1;
      if (end === cr && text.charCodeAt(start) === 10) start++;
      if (lf >= 0 && lf < start) lf = text.indexOf('\n', start);
      if (cr >= 0 && cr < start) cr = text.indexOf('\r', start);
    }
    afterCr = start === text.length && text.charCodeAt(start - 1) === 13;
    if (start < text.length) pending.push(text.slice(start));
  };
}

/** The value of the line `text[start..end)` when it is the field `name` (`name`, `name:value`, `name: value`). */
function fieldValue(text: string, start: number, end: number, name: string): string | undefined {
  const colon = start + name.length;
  if (!text.startsWith(name, start)) return undefined;
  if (colon === end) return '';
  if (text.charCodeAt(colon) !== 58) return undefined;
  return text.slice(text.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1, end);
}
