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

async function _collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
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
    // an inherited property of the template table is no family
    await expect(
      client().chat.completions.create(
        { model: 'meta/meta-llama-3-8b-instruct', messages },
        { template: 'toString' as 'llama3' },
      ),
    ).rejects.toThrow(/Unknown template family "toString"/);
    expect(calls).toHaveLength(0);
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
