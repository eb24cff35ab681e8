import { createFakeReplicate, presetModels, textModel } from 'replikit/testing';
import { countChatTokens } from 'replikit/tokens';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type ChatCompletion, type ChatCompletionChunk, Replicate } from '../../src/index';
import { track } from '../helpers/sse';

const NOW = new Date('2025-01-01T00:00:00Z').getTime();
const MODEL = 'meta/meta-llama-3-8b-instruct';
const messages = [{ role: 'user' as const, content: 'Tell me about rivers.' }];
const MAX = 400;
/** What one completion reserves: the estimated prompt plus its token limit. */
const RESERVED = countChatTokens(messages, { model: MODEL }) + MAX;

/** A fake whose llama answers `words` (2 tokens by default) or its full `max_tokens` (`full`). */
function setup(tokensPerMinute: number, full = false) {
  const preset = presetModels({ tokenDelay: 0, startDelay: 0 })[MODEL]!;
  const short = textModel({ respond: () => ['Nile', '.'], tokenDelay: 0, startDelay: 0 });
  const fake = createFakeReplicate({
    presets: false,
    models: { [MODEL]: full ? preset : { ...preset, run: short.run } },
  });
  const creates: number[] = [];
  const replicate = new Replicate({
    auth: 'test',
    fetch: fake.fetch,
    rateLimit: { tokensPerMinute },
    onRequest: (event) => {
      if (event.kind === 'create') creates.push(Date.now() - NOW);
    },
  });
  return { fake, replicate, creates };
}

const ask = (replicate: Replicate, signal?: AbortSignal) =>
  replicate.chat.completions.create({ model: MODEL, messages, max_tokens: MAX }, { signal });

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('tokensPerMinute on chat completions', () => {
  it('holds the next completion until the reservation fits, then charges what Replicate reported', async () => {
    const perMinute = RESERVED + 50;
    const { replicate, creates } = setup(perMinute, true);
    const first = track(() => ask(replicate));
    const second = track(() => ask(replicate));
    await vi.advanceTimersByTimeAsync(120_000);
    const usage = (first.outcome.value as ChatCompletion).usage;
    expect(usage.estimated).toBeUndefined();
    expect(second.outcome.error).toBeUndefined();
    // After the first is charged its reported total, the level is perMinute - total; the second needs RESERVED.
    const expected = ((RESERVED - (perMinute - usage.total_tokens)) * 60_000) / perMinute;
    expect(creates[0]).toBe(0);
    expect(creates[1]).toBeGreaterThanOrEqual(Math.floor(expected));
    expect(creates[1]).toBeLessThanOrEqual(Math.ceil(expected) + 5);
  });

  it('refunds the unused part of the token limit: a short answer frees the budget at once', async () => {
    const { replicate, creates } = setup(RESERVED + 50);
    const runs = [track(() => ask(replicate)), track(() => ask(replicate))];
    await vi.advanceTimersByTimeAsync(120_000);
    expect(runs.map((run) => run.outcome.error)).toEqual([undefined, undefined]);
    expect(creates[0]).toBe(0);
    expect(creates[1]).toBeLessThan(1000); // not the ~50 s a reservation of the full limit would take
  });

  it('settles a stream with its usage chunk, or the text it saw', async () => {
    const { replicate, creates } = setup(RESERVED + 50);
    const chunks: ChatCompletionChunk[] = [];
    const streamed = track(async () => {
      const stream = await replicate.chat.completions.create({
        model: MODEL,
        messages,
        max_tokens: MAX,
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const chunk of stream) chunks.push(chunk);
    });
    const next = track(() => ask(replicate));
    await vi.advanceTimersByTimeAsync(120_000);
    expect(streamed.outcome.error).toBeUndefined();
    expect(next.outcome.error).toBeUndefined();
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(2);
    expect(creates[1]).toBeLessThan(1000);
  });

  it('an abort while waiting for tokens rejects with signal.reason and creates nothing', async () => {
    const { fake, replicate } = setup(RESERVED + 50, true);
    const first = track(() => ask(replicate));
    const controller = new AbortController();
    const waiting = track(() => ask(replicate, controller.signal));
    await vi.advanceTimersByTimeAsync(1000);
    const reason = new DOMException('no time', 'AbortError');
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(first.outcome.error).toBeUndefined();
    expect(waiting.outcome.error).toBe(reason);
    expect(fake.count('create')).toBe(1);
  });
});
