import type { ChatCompletionChunk } from 'replikit';
import { Replicate } from 'replikit';
import { describe, expect, it } from 'vitest';
import { chatModel } from '../helpers/chat-model';

const client = () => new Replicate({ auth: 'r8_test' });
const messages = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Hi' },
];

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const out: ChatCompletionChunk[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

describe('chat.completions.create with stream: true', () => {
  it('streams chunks: role first, deltas, finish_reason, then a usage chunk when asked', async () => {
    chatModel();
    const stream = await client().chat.completions.create({
      model: 'meta/meta-llama-3-8b-instruct',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = await collect(stream);
    expect(chunks.map((c) => c.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '' },
      { content: 'Hello' },
      { content: ' there' },
      { content: '!' },
      {},
      undefined,
    ]);
    expect(chunks.map((c) => c.choices[0]?.finish_reason ?? null)).toEqual([
      null,
      null,
      null,
      null,
      'stop',
      null,
    ]);
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 },
    });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk')).toBe(true);
  });

  it('sends no usage field without stream_options.include_usage', async () => {
    chatModel();
    const chunks = await collect(
      await client().chat.completions.create({
        model: 'meta/meta-llama-3-8b-instruct',
        messages,
        stream: true,
      }),
    );
    expect(chunks).toHaveLength(5);
    expect(chunks.some((c) => 'usage' in c)).toBe(false);
  });

  it('streams n choices with their own index and a finish chunk each', async () => {
    chatModel({ tokens: (i) => [`a${i}`, `b${i}`] });
    const chunks = await collect(
      await client().chat.completions.create({
        model: 'meta/meta-llama-3-8b-instruct',
        messages,
        n: 2,
        stream: true,
      }),
    );
    for (const index of [0, 1]) {
      const mine = chunks.filter((c) => c.choices[0]?.index === index);
      expect(mine.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(`a${index}b${index}`);
      expect(mine.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    }
  });

  it('enforces a stop across chunk boundaries, cancels the prediction and finishes with stop', async () => {
    const model = chatModel({ tokens: () => ['one, tw', 'o, thr', 'ee'], metrics: null });
    const chunks = await collect(
      await client().chat.completions.create({
        model: 'meta/meta-llama-3-8b-instruct',
        messages,
        stop: ', three',
        stream: true,
      }),
    );
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('one, two');
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(model.canceled()).toEqual(['pred0']);
  });

  it('rejects with the signal reason and cancels the running prediction on abort', async () => {
    const model = chatModel({ tokens: () => ['a', 'b', 'c'] });
    const controller = new AbortController();
    const stream = await client().chat.completions.create(
      { model: 'meta/meta-llama-3-8b-instruct', messages, stream: true },
      { signal: controller.signal },
    );
    const reason = new Error('user left');
    const seen: string[] = [];
    const error = await (async () => {
      for await (const chunk of stream) {
        seen.push(chunk.choices[0]?.delta.content ?? '');
        if (seen.length === 2) controller.abort(reason);
      }
    })().catch((e: unknown) => e);
    expect(error).toBe(reason);
    expect(model.canceled()).toEqual(['pred0']);
  });

  it('cancels the prediction when the consumer breaks out of the stream', async () => {
    const model = chatModel({ tokens: () => ['a', 'b', 'c'] });
    const stream = await client().chat.completions.create({
      model: 'meta/meta-llama-3-8b-instruct',
      messages,
      stream: true,
    });
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content === 'a') break;
    expect(model.canceled()).toEqual(['pred0']);
  });
});
