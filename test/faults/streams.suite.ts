import { Replicate, StreamError } from 'replikit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collect, drive, leftovers, setup, TEXT } from './helpers';

const NOW = new Date('2025-06-01T00:00:00Z').getTime();

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A prompt of `n` distinct words: the echo model streams them back one token each. */
const words = (n: number, tag = 'w') => Array.from({ length: n }, (_, index) => `${tag}${index}`).join(' ');

/**
 * Wrap a fetch so that event-stream bodies break after `cut(connection)` bytes: in the middle of an
 * event, a `data:` line or a multi-byte character, ending with a reset (an error) or a clean close.
 */
function cutStreams(
  inner: typeof fetch,
  cut: (connection: number) => { bytes: number; reset: boolean } | undefined,
) {
  let connection = 0;
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const response = await inner(input, init);
    if (!response.headers.get('content-type')?.startsWith('text/event-stream') || !response.body)
      return response;
    const plan = cut(connection++);
    if (!plan) return response;
    const reader = response.body.getReader();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        const room = plan.bytes - sent;
        if (value.byteLength < room) {
          sent += value.byteLength;
          return controller.enqueue(value);
        }
        if (room > 0) controller.enqueue(value.subarray(0, room));
        await reader.cancel();
        if (plan.reset)
          controller.error(new TypeError('terminated', { cause: new Error('other side closed') }));
        else controller.close();
      },
      cancel: (reason) => reader.cancel(reason),
    });
    return new Response(body, { status: response.status, headers: response.headers });
  }) as typeof fetch;
}

describe('truncated event streams are resumed with nothing lost and nothing twice', () => {
  it('two drops after 3 events each: the text is the whole answer, three connections', async () => {
    const prompt = words(12);
    const { fake, replicate, bodies } = setup({
      faults: [{ route: 'stream', type: 'truncate', afterEvents: 3, times: 2 }],
    });
    const outcome = await drive(() => collect(replicate.stream(TEXT, { input: { prompt } })));
    expect(outcome.value?.text).toBe(prompt);
    expect(new Set(outcome.value?.ids).size).toBe(12);
    expect(fake.count('stream')).toBe(3);
    expect(await leftovers(bodies)).toEqual({ timers: 0, openBodies: 0 });
  });

  it('a long answer whose every connection drops after 20 events arrives whole with maxReconnects: 20', async ({
    task,
  }) => {
    const prompt = words(200);
    const { fake, replicate } = setup({ faults: [{ route: 'stream', type: 'truncate', afterEvents: 20 }] });
    const outcome = await drive(() =>
      collect(replicate.stream(TEXT, { input: { prompt }, maxReconnects: 20 })),
    );
    expect(outcome.value?.text).toBe(prompt);
    expect(new Set(outcome.value?.ids).size).toBe(200);
    task.meta.figures = {
      tokens: 200,
      connections: fake.count('stream'),
      'tokens lost': 0,
      'tokens twice': 0,
    };
  });

  it('the default budget (3 reconnections) is for drops in a row: a long answer dropping every 20 events arrives whole', async () => {
    const prompt = words(200);
    const { fake, replicate } = setup({ faults: [{ route: 'stream', type: 'truncate', afterEvents: 20 }] });
    const outcome = await drive(() => collect(replicate.stream(TEXT, { input: { prompt } })));
    expect(outcome.error).toBeUndefined();
    expect(outcome.value?.text).toBe(prompt);
    expect(new Set(outcome.value?.ids).size).toBe(200);
    expect(fake.count('stream')).toBeGreaterThanOrEqual(10);
  });

  it('four drops in a row with no progress give a typed StreamError, not a hang', async () => {
    const { fake, replicate, bodies } = setup({
      faults: [{ route: 'stream', type: 'truncate', afterEvents: 0 }],
    });
    const outcome = await drive(() => collect(replicate.stream(TEXT, { input: { prompt: words(5) } })));
    expect(outcome.error).toBeInstanceOf(StreamError);
    expect((outcome.error as StreamError).reason).toBe('disconnected');
    expect(fake.count('stream')).toBe(4);
    expect(await leftovers(bodies)).toEqual({ timers: 0, openBodies: 0 });
  });

  it('bodies cut at every byte offset, by resets and by clean closes, never lose or repeat a token', async ({
    task,
  }) => {
    const prompt = `${words(6, 'ß')} 🦙 done`;
    // The length of an uncut stream body, to try every cut inside it.
    let length = 0;
    const { fake: measuring } = setup();
    const measure = new Replicate({
      auth: 'r8_fault_suite',
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        const response = await measuring.fetch(input, init);
        if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return response;
        const bytes = new Uint8Array(await response.arrayBuffer());
        length = bytes.byteLength;
        return new Response(bytes, { headers: response.headers });
      }) as typeof fetch,
    });
    const whole = await drive(() => collect(measure.stream(TEXT, { input: { prompt } })));
    expect(whole.value?.text).toBe(prompt);
    let cuts = 0;
    for (let bytes = 1; bytes < length; bytes++) {
      for (const reset of [true, false]) {
        const { fake } = setup();
        const replicate = new Replicate({
          auth: 'r8_fault_suite',
          fetch: cutStreams(fake.fetch, (connection) => (connection === 0 ? { bytes, reset } : undefined)),
        });
        const outcome = await drive(() => collect(replicate.stream(TEXT, { input: { prompt } })));
        expect(outcome.value?.text, `cut at byte ${bytes} (${reset ? 'reset' : 'close'})`).toBe(prompt);
        cuts++;
      }
    }
    task.meta.figures = { 'first body (bytes)': length, 'cuts tried': cuts, 'texts equal': cuts };
  });
});
