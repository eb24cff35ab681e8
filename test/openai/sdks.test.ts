import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, streamText } from 'ai';
import OpenAI from 'openai';
import { Replicate } from 'replikit';
import { createOpenAIFetch } from 'replikit/openai';
import { describe, expect, it } from 'vitest';
import { chatModel } from '../helpers/chat-model';

const MODEL = 'meta/meta-llama-3-8b-instruct';
const LLAMA3_PROMPT =
  '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
  '<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n';

function openai(): OpenAI {
  const fetch = createOpenAIFetch(new Replicate({ auth: 'r8_test' }));
  return new OpenAI({ apiKey: 'unused', baseURL: 'https://replicate.invalid/v1', fetch, maxRetries: 0 });
}

function aiProvider() {
  const fetch = createOpenAIFetch(new Replicate({ auth: 'r8_test' }));
  return createOpenAICompatible({
    name: 'replicate',
    baseURL: 'https://replicate.invalid/v1',
    fetch,
    includeUsage: true,
  });
}

const messages = [
  { role: 'system' as const, content: 'Be brief.' },
  { role: 'user' as const, content: 'Hi' },
];

describe('the official openai SDK through createOpenAIFetch', () => {
  it('chat.completions.create returns the answer and Replicate received the Llama 3 prompt', async () => {
    const model = chatModel();
    const completion = await openai().chat.completions.create({
      model: MODEL,
      messages,
      max_tokens: 40,
      stop: ['\n\n'],
    });
    expect(completion.choices[0]?.message.content).toBe('Hello there!');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 });
    expect(model.inputs()).toEqual([{ prompt: LLAMA3_PROMPT, prompt_template: '{prompt}', max_tokens: 40 }]);
  });

  it('streams through the SDK stream parser, usage chunk included', async () => {
    chatModel();
    const stream = await openai().chat.completions.create({
      model: MODEL,
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: OpenAI.CompletionUsage | null | undefined;
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe('Hello there!');
    expect(finish).toBe('stop');
    expect(usage).toMatchObject({ prompt_tokens: 21, completion_tokens: 3, total_tokens: 24 });
  });

  it('surfaces Replicate errors as the SDK error classes', async () => {
    const error = await openai()
      .chat.completions.create({
        model: MODEL,
        messages,
        tools: [{ type: 'function', function: { name: 'f' } }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('tools');
  });

  it('lists models', async () => {
    const page = await openai().models.list();
    expect(page.data.map((m) => m.id)).toContain(MODEL);
  });
});

describe("Vercel's AI SDK through createOpenAIFetch", () => {
  it('generateText', async () => {
    const model = chatModel();
    const result = await generateText({
      model: aiProvider()(MODEL),
      system: 'Be brief.',
      prompt: 'Hi',
      maxOutputTokens: 40,
    });
    expect(result.text).toBe('Hello there!');
    expect(result.usage.inputTokens).toBe(21);
    expect(result.usage.outputTokens).toBe(3);
    expect(model.inputs()[0]).toMatchObject({ prompt: LLAMA3_PROMPT, max_tokens: 40 });
  });

  it('streamText', async () => {
    chatModel({ tokens: () => ['Red', ' is', ' a', ' color.'] });
    const result = streamText({ model: aiProvider()(MODEL), system: 'Be brief.', prompt: 'Hi' });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('Red is a color.');
    expect((await result.usage).outputTokens).toBe(3);
  });
});
