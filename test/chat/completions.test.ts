import type { ChatCompletionChunk } from 'replikit';
import { PredictionFailedError, Replicate, UnsupportedParameterError } from 'replikit';
import { describe, expect, it } from 'vitest';
import { chatModel } from '../helpers/chat-model';
import { calls } from '../helpers/server';

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

describe('chat.completions.create', () => {
  it('answers a chat.completion with the streamed text and reported usage', async () => {
    const model = chatModel();
    const completion = await client().chat.completions.create({
      model: 'meta/meta-llama-3-8b-instruct',
      messages,
      max_tokens: 50,
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toMatch(/^chatcmpl-[0-9a-f]{24}$/);
    expect(completion.model).toBe('meta/meta-llama-3-8b-instruct');
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: { role: 'assistant', content: 'Hello there!', refusal: null },
        finish_reason: 'stop',
        logprobs: null,
      },
    ]);
    expect(completion.usage).toEqual({ prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 });
    expect(completion.replicate).toEqual({ predictions: ['pred0'] });
    const [input] = model.inputs();
    expect(input).toEqual({
      prompt:
        '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
      prompt_template: '{prompt}',
      max_tokens: 50,
    });
  });

  it('accepts the gateway spellings of a model id', async () => {
    chatModel();
    const replicate = client();
    for (const model of [
      'replicate/meta/meta-llama-3-8b-instruct',
      'replicate:chat:meta/meta-llama-3-8b-instruct',
    ]) {
      const completion = await replicate.chat.completions.create({ model, messages });
      expect(completion.model).toBe('meta/meta-llama-3-8b-instruct');
    }
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(2);
  });

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

  it('runs n predictions in parallel and indexes the choices', async () => {
    const model = chatModel({ tokens: (i) => [`answer ${i}`] });
    const completion = await client().chat.completions.create({
      model: 'meta/meta-llama-3-8b-instruct',
      messages,
      n: 3,
    });
    expect(model.inputs()).toHaveLength(3);
    expect(completion.choices.map((c) => [c.index, c.message.content]).sort()).toEqual([
      [0, 'answer 0'],
      [1, 'answer 1'],
      [2, 'answer 2'],
    ]);
    // Replicate bills each prediction: usage is the sum.
    expect(completion.usage).toEqual({ prompt_tokens: 63, completion_tokens: 9, total_tokens: 72 });
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

  it('estimates usage when Replicate reports no token counts, and says so', async () => {
    chatModel({ metrics: null });
    const completion = await client().chat.completions.create({
      model: 'meta/meta-llama-3-8b-instruct',
      messages,
    });
    expect(completion.usage.estimated).toBe(true);
    expect(completion.usage.prompt_tokens).toBeGreaterThan(5);
    expect(completion.usage.completion_tokens).toBeGreaterThanOrEqual(2);
    expect(completion.usage.total_tokens).toBe(
      completion.usage.prompt_tokens + completion.usage.completion_tokens,
    );
  });

  it("reports finish_reason 'length' when the output reached max_tokens", async () => {
    chatModel({ metrics: { input_token_count: 10, output_token_count: 3 } });
    const completion = await client().chat.completions.create({
      model: 'meta/meta-llama-3-8b-instruct',
      messages,
      max_tokens: 3,
    });
    expect(completion.choices[0]?.finish_reason).toBe('length');
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

  it('throws PredictionFailedError with the model error', async () => {
    chatModel({ streaming: false, status: 'failed' });
    const error = await client()
      .chat.completions.create({ model: 'meta/meta-llama-3-8b-instruct', messages })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PredictionFailedError);
    expect((error as PredictionFailedError).message).toContain('CUDA out of memory');
  });

  it.each([
    ['tools', { tools: [{ type: 'function', function: { name: 'f' } }] }],
    ['tool_choice', { tool_choice: 'auto' }],
    ['logprobs', { logprobs: true }],
    ['response_format', { response_format: { type: 'json_schema', json_schema: {} } }],
  ])('rejects %s with UnsupportedParameterError before any request', async (param, extra) => {
    const error = await client()
      .chat.completions.create({ model: 'meta/meta-llama-3-8b-instruct', messages, ...extra })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedParameterError);
    expect((error as UnsupportedParameterError).param).toBe(param);
    expect(calls).toHaveLength(0);
  });

  it('rejects image parts for a text model, and drops them when asked', async () => {
    const content = [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
    ];
    const params = { model: 'meta/meta-llama-3-8b-instruct', messages: [{ role: 'user' as const, content }] };
    await expect(client().chat.completions.create(params)).rejects.toMatchObject({
      param: 'messages[0].content[1]',
    });
    const model = chatModel();
    await client().chat.completions.create(params, { dropUnsupported: true });
    expect(model.inputs()[0]?.prompt).toContain('What is this?<|eot_id|>');
  });

  it('rejects a bad n and a bad model id before any request', async () => {
    await expect(
      client().chat.completions.create({ model: 'meta/meta-llama-3-8b-instruct', messages, n: 0 }),
    ).rejects.toThrow(/Invalid n 0/);
    await expect(client().chat.completions.create({ model: 'owner', messages })).rejects.toThrow(/owner/);
    expect(calls).toHaveLength(0);
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

  it('reports each choice to onUsage with its reported tokens', async () => {
    chatModel();
    const seen: Array<{ model: string; predictionId: string; inputTokens?: number; outputTokens?: number }> =
      [];
    const replicate = new Replicate({ auth: 'r8_test', onUsage: (usage) => seen.push(usage) });
    await replicate.chat.completions.create({ model: 'meta/meta-llama-3-8b-instruct', messages, n: 2 });
    expect(seen.map((u) => [u.model, u.inputTokens, u.outputTokens])).toEqual([
      ['meta/meta-llama-3-8b-instruct', 21, 3],
      ['meta/meta-llama-3-8b-instruct', 21, 3],
    ]);
    expect(new Set(seen.map((u) => u.predictionId))).toEqual(new Set(['pred0', 'pred1']));
  });
});
