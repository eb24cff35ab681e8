import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { createSseParser, type SseMessage } from '../../src/lifecycle/sse-parse';

/** Our parser's events for `text` fed in the given pieces. */
function ours(pieces: string[]): SseMessage[] {
  const events: SseMessage[] = [];
  const feed = createSseParser((message) => events.push(message));
  for (const piece of pieces) feed(piece);
  return events;
}

/** eventsource-parser's events for the same pieces: the reference this parser replaced. */
function reference(pieces: string[]): SseMessage[] {
  const events: SseMessage[] = [];
  const parser = createParser({ onEvent: ({ id, event, data }) => events.push({ id, event, data }) });
  for (const piece of pieces) parser.feed(piece);
  return events;
}

/** `text` cut at every position into two pieces, and into pieces of one character. */
function splits(text: string): string[][] {
  const all = [[text], [...text]];
  for (let at = 1; at < text.length; at++) all.push([text.slice(0, at), text.slice(at)]);
  return all;
}

describe('createSseParser', () => {
  it('parses fields as the WHATWG event-stream rules say', () => {
    const text =
      ': a comment\nevent: output\nid: 1:0\ndata: Hello\n\n' + // one event
      'data:no space\ndata:  two spaces\n\n' + // one space is dropped, the second kept
      'data\n\n' + // a field without a colon: empty data
      'event: x\nid: 7\n\n' + // no data: not dispatched, id and event reset
      'retry: 3000\nfoo: bar\ndata: after unknown fields\n\n' +
      'id: a\0b\ndata: NUL id ignored\n\n' +
      'event:\ndata: empty event name\n\n';
    expect(ours([text])).toEqual([
      { id: '1:0', event: 'output', data: 'Hello' },
      { id: undefined, event: undefined, data: 'no space\n two spaces' },
      { id: undefined, event: undefined, data: '' },
      { id: undefined, event: undefined, data: 'after unknown fields' },
      { id: undefined, event: undefined, data: 'NUL id ignored' },
      { id: undefined, event: undefined, data: 'empty event name' },
    ]);
  });

  it('ends lines at LF, CR and CRLF, a CRLF split between two pieces counting once', () => {
    const text = 'data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r';
    const expected = [
      { id: undefined, event: undefined, data: 'a\nb\nc' },
      { id: undefined, event: undefined, data: 'd' },
    ];
    for (const pieces of splits(text)) expect(ours(pieces), JSON.stringify(pieces)).toEqual(expected);
    // LF, then a piece starting with LF: two line breaks, not one CRLF
    expect(ours(['data: x\n', '\n'])).toEqual([{ id: undefined, event: undefined, data: 'x' }]);
    expect(ours(['data: x\r', '', '\n', '\n'])).toEqual([{ id: undefined, event: undefined, data: 'x' }]);
  });

  it('never dispatches an event the body cuts off before its blank line', () => {
    expect(ours(['data: complete\n\ndata: cut off\n'])).toEqual([
      { id: undefined, event: undefined, data: 'complete' },
    ]);
  });

  it('joins a line sent in many pieces (a 1 MB data line in 1 KB pieces)', () => {
    const payload = 'x'.repeat(1 << 20);
    const pieces = ['data: '];
    for (let at = 0; at < payload.length; at += 1024) pieces.push(payload.slice(at, at + 1024));
    pieces.push('\n\n');
    const [event] = ours(pieces);
    expect(event?.data.length).toBe(payload.length);
    expect(event?.data === payload).toBe(true);
  });

  it('agrees with eventsource-parser on the recorded and hand-written streams, split at every position', () => {
    const dir = fileURLToPath(new URL('../fixtures/sse/', import.meta.url));
    const names = readdirSync(dir).filter((name) => name.endsWith('.sse'));
    expect(names.length).toBeGreaterThan(2);
    for (const name of names) {
      const text = readFileSync(dir + name, 'utf8');
      const whole = reference([text]);
      expect(ours([text]), name).toEqual(whole);
      // every two-piece split of the first 4 KB (the recordings are long), and CRLF versions
      const head = text.slice(0, 4096);
      for (const variant of [head, head.replaceAll('\n', '\r\n'), head.replaceAll('\n', '\r')]) {
        const expected = reference([variant]);
        for (const pieces of splits(variant))
          expect(ours(pieces), `${name} ${pieces[0]?.length}`).toEqual(expected);
      }
    }
  });

  it('agrees with eventsource-parser on 2,000 random streams in random pieces', () => {
    // a seeded generator: the same streams every run
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const atoms = [
      'data',
      'event',
      'id',
      'retry',
      'x',
      ':',
      ': ',
      ' ',
      'a',
      '0',
      '\n',
      '\r',
      '\r\n',
      '\n\n',
      'é',
      '\0',
    ];
    for (let run = 0; run < 2000; run++) {
      let text = '';
      const length = 1 + Math.floor(random() * 60);
      for (let index = 0; index < length; index++) text += atoms[Math.floor(random() * atoms.length)];
      const pieces: string[] = [];
      for (let at = 0; at < text.length; ) {
        const size = 1 + Math.floor(random() * 8);
        pieces.push(text.slice(at, at + size));
        at += size;
      }
      expect(ours(pieces), JSON.stringify(text)).toEqual(reference([text]));
    }
  });
});
