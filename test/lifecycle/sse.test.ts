import { describe, expect, it } from 'vitest';
import { EventDeduper } from '../../src/lifecycle/sse';
import {
  collect,
  LLAMA_TEXT,
  randomSplits,
  readServerSentEvents,
  splitBytes,
  sseFixture,
  streamOf,
} from '../helpers/sse';

const parse = (pieces: Uint8Array[]) => collect(readServerSentEvents(streamOf(pieces)));
const crlf = (text: string) => text.replaceAll('\n', '\r\n');
const outputText = (messages: Array<{ event?: string | undefined; data: string }>) =>
  messages
    .filter((m) => m.event === 'output')
    .map((m) => m.data)
    .join('');

/** Every way of cutting a body the tests use: whole, byte by byte, fixed sizes, random places. */
const cuts: Array<[string, (text: string) => Uint8Array[]]> = [
  ['in one chunk', (text) => splitBytes(text, Number.MAX_SAFE_INTEGER)],
  ['byte by byte', (text) => splitBytes(text, 1)],
  ['in 2/3/5-byte pieces', (text) => splitBytes(text, 2, 3, 5)],
  ['at random places (seed 1)', (text) => randomSplits(text, 1)],
  ['at random places (seed 42)', (text) => randomSplits(text, 42)],
  ['at random places (seed 2024)', (text) => randomSplits(text, 2024)],
];

describe('readServerSentEvents on the recorded llama-2-70b-chat stream', () => {
  const body = sseFixture('llama-2-70b-chat.sse');

  it.each(cuts)('parses the joke %s', async (_, cut) => {
    const messages = await parse(cut(body));
    expect(outputText(messages)).toBe(LLAMA_TEXT);
    // 24 output events (the first one empty), one done, and nothing from the `: hi` / `:408` comments.
    expect(messages.map((m) => m.event)).toEqual([...Array(24).fill('output'), 'done']);
    expect(messages[0]).toMatchObject({ event: 'output', id: '1707756341:0', data: '' });
    expect(messages.at(-1)).toMatchObject({ event: 'done', id: '1707756343:7', data: '{}' });
  });

  it.each(cuts)('parses the same body with CRLF line endings %s', async (_, cut) => {
    const messages = await parse(cut(crlf(body)));
    expect(outputText(messages)).toBe(LLAMA_TEXT);
    expect(messages).toHaveLength(25);
  });

  it('joins multi-line data with \\n and keeps leading spaces of tokens', async () => {
    const messages = await parse(splitBytes(body, 7));
    const byId = new Map(messages.map((m) => [m.id, m.data]));
    expect(byId.get('1707756342:2')).toBe(':\n\nWhy');
    expect(byId.get('1707756342:7')).toBe('\n\nB');
    expect(byId.get('1707756342:3')).toBe(' did the Open');
  });
});

describe('readServerSentEvents on the hand-written streams of the official JS client', () => {
  it.each(cuts)('ignores a leading `: hi` comment and blank line (%s)', async (_, cut) => {
    const messages = await parse(cut(sseFixture('js-comment.sse')));
    expect(messages).toEqual([
      { event: 'output', id: 'EVENT_1', data: 'hello world' },
      { event: 'done', id: 'EVENT_2', data: '{}' },
    ]);
  });

  it.each(['js-multi-line.sse', 'js-multi-line-chunked.sse'])('joins the data lines of %s', async (name) => {
    for (const [, cut] of cuts) {
      const messages = await parse(cut(crlf(sseFixture(name))));
      expect(messages[0]).toEqual({
        event: 'output',
        id: 'EVENT_1',
        data: 'hello,\nthis is a new line,\nand this is a new line too',
      });
    }
  });

  it('reads several events in order', async () => {
    const messages = await parse(randomSplits(sseFixture('js-multiple-events.sse'), 7));
    expect(messages.map((m) => [m.event, m.data])).toEqual([
      ['output', 'hello world'],
      ['output', 'hello dave'],
      ['done', '{}'],
    ]);
  });

  it('ends without a done event when the body does', async () => {
    const messages = await parse(splitBytes(sseFixture('js-no-done.sse'), 3));
    expect(messages).toEqual([{ event: 'output', id: 'EVENT_1', data: 'hello world' }]);
  });

  it('drops an event the body cuts off before its blank line', async () => {
    const messages = await parse(splitBytes('event: output\ndata: whole\n\nevent: output\ndata: half\n', 4));
    expect(messages.map((m) => m.data)).toEqual(['whole']);
  });

  it('decodes multi-byte UTF-8 split across chunks (tqdm bars) byte by byte', async () => {
    const messages = await parse(splitBytes(sseFixture('flux-schnell-logs.sse'), 1));
    const logs = messages.filter((m) => m.event === 'logs').map((m) => m.data);
    expect(logs).toEqual([
      'running quantized prediction',
      'Using seed: 1371263524',
      '  0%|          | 0/4 [00:00<?, ?it/s]',
      ' 75%|███████▌  | 3/4 [00:00<00:00, 18.26it/s]',
      '100%|██████████| 4/4 [00:00<00:00, 16.20it/s]',
      'Total safe images: 1 out of 1',
    ]);
  });
});

describe('readServerSentEvents and the connection', () => {
  it('cancels the body when the consumer stops early', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('event: output\ndata: one\n\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const message of readServerSentEvents(body)) {
      expect(message.data).toBe('one');
      break;
    }
    expect(cancelled).toBe(true);
  });
});

describe('EventDeduper', () => {
  it('orders Replicate ids by timestamp, then by sequence number as a number', () => {
    const deduper = new EventDeduper();
    expect(deduper.accept('1707756342:9')).toBe(true);
    expect(deduper.accept('1707756342:10')).toBe(true);
    expect(deduper.lastId).toBe('1707756342:10');
    expect(deduper.accept('1707756342:9')).toBe(false);
    expect(deduper.accept('1707756342:10')).toBe(false);
    expect(deduper.accept('1707756341:99')).toBe(false);
    expect(deduper.accept('1707756343:0')).toBe(true);
    expect(deduper.lastId).toBe('1707756343:0');
  });

  it('remembers other ids by value and always accepts events without an id', () => {
    const deduper = new EventDeduper();
    expect(deduper.accept('EVENT_1')).toBe(true);
    expect(deduper.accept('EVENT_2')).toBe(true);
    expect(deduper.accept('EVENT_1')).toBe(false);
    expect(deduper.accept(undefined)).toBe(true);
    expect(deduper.accept('')).toBe(true);
    expect(deduper.lastId).toBe('EVENT_2');
  });

  it('decides as a full parse of every id (/^(\\d+):(\\d+)$/) would, ids of the same second included', () => {
    // The deduper reads only `<seq>` of an id in the same second as the last one: these ids probe that
    // shortcut (leading zeros, a second colon, an empty or non-digit `<seq>`, a longer or shorter second).
    const forms = [
      (t: number, s: number) => `${t}:${s}`,
      (t: number, s: number) => `${t}:0${s}`,
      (t: number, s: number) => `${t}:${s}:1`,
      (t: number, s: number) => `${t}:${s}a`,
      (t: number) => `${t}:`,
      (t: number, s: number) => `${t}0:${s}`,
      (_: number, s: number) => `EVENT_${s % 7}`,
    ];
    let state = 7;
    const random = (n: number) => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
      return state % n;
    };
    const deduper = new EventDeduper();
    const reference = fullParseDeduper();
    let time = 1_707_756_342;
    let seq = 0;
    for (let i = 0; i < 5_000; i++) {
      if (random(50) === 0) time += random(3) - 1;
      seq = Math.max(0, seq + random(5) - 1);
      const id = forms[random(8) === 0 ? random(forms.length) : 0]!(time, seq);
      expect([id, deduper.accept(id), deduper.lastId]).toEqual([id, reference.accept(id), reference.lastId]);
    }
  });
});

/** The deduper as it was before its shortcuts: every id parsed with a regex. */
function fullParseDeduper() {
  let last: [number, number] | undefined;
  const recent: string[] = [];
  return {
    lastId: undefined as string | undefined,
    accept(id: string): boolean {
      const match = /^(\d+):(\d+)$/.exec(id);
      const order: [number, number] | undefined = match ? [Number(match[1]), Number(match[2])] : undefined;
      const seen =
        order && last
          ? !(order[0] > last[0] || (order[0] === last[0] && order[1] > last[1]))
          : recent.slice(-1024).includes(id);
      if (seen) return false;
      last = order;
      recent.push(id);
      this.lastId = id;
      return true;
    },
  };
}
