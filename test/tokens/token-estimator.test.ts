import { readFileSync } from 'node:fs';
import { calculateCost, estimateCost, type TokenEstimator } from 'replikit/pricing';
import { type ChatMessageLike, countChatTokens, estimateTokens, tokenEstimator } from 'replikit/tokens';
import { describe, expect, expectTypeOf, it } from 'vitest';

const corpus = new URL('../fixtures/token-corpus/', import.meta.url);
const files = (
  JSON.parse(readFileSync(new URL('counts.json', corpus), 'utf8')) as { files: Array<{ file: string }> }
).files.map((f) => f.file);
const texts = files.map((file) => readFileSync(new URL(`samples/${file}`, corpus), 'utf8'));

// one priced model of each tokenizer family (gpt-4o: generic), in the spellings pricing normalises
const MODELS = [
  'meta/meta-llama-3-8b-instruct',
  'meta/llama-2-7b-chat',
  'mistralai/mistral-7b-instruct-v0.2',
  'qwen/qwen3-235b-a22b-instruct-2507',
  'deepseek-ai/deepseek-v3',
  'openai/gpt-4o',
];
const chat: ChatMessageLike[] = [
  { role: 'system', content: 'You answer in one sentence.' },
  { role: 'user', content: [{ type: 'text', text: 'Why retry with jitter?' }] },
  { role: 'assistant', content: 'So that clients do not retry in lockstep.' },
  { role: 'user', content: 'And the cap?' },
];

/** What `replikit/pricing` counted before the estimator became an option (src/pricing/count.ts). */
function counted(model: string | undefined, parts: unknown[], messages?: ChatMessageLike[]): number {
  const textOf = (value: unknown) =>
    typeof value === 'string'
      ? value
      : Array.isArray(value)
        ? value.filter((part) => typeof part === 'string').join('')
        : '';
  const text = parts.map(textOf).filter(Boolean).join('\n');
  return (messages ? countChatTokens(messages, { model }) : 0) + estimateTokens(text, { model });
}

describe('tokenEstimator', () => {
  it('is a TokenEstimator', () => {
    expectTypeOf(tokenEstimator).toExtend<TokenEstimator>();
  });

  it.each([...MODELS, undefined])('counts text as estimateTokens does for %s', (model) => {
    for (const [i, text] of texts.entries()) {
      expect(tokenEstimator.text(text, model), files[i]).toBe(estimateTokens(text, { model }));
    }
    // spellings pricing may pass: any `familyOf` takes
    expect(tokenEstimator.text('Hello there', 'replicate:chat:meta/meta-llama-3-8b-instruct')).toBe(
      estimateTokens('Hello there', { family: 'llama3' }),
    );
  });

  it.each([...MODELS, undefined])('counts messages as countChatTokens does for %s', (model) => {
    expect(tokenEstimator.chat(chat, model)).toBe(countChatTokens(chat, { model }));
    expect(tokenEstimator.chat([], model)).toBe(countChatTokens([], { model }));
  });

  it('throws what countChatTokens throws for messages that are not messages', () => {
    expect(() => tokenEstimator.chat([{ content: 'hi' } as ChatMessageLike], undefined)).toThrow(
      'countChatTokens: messages[0] must be an object with a string role',
    );
  });
});

describe('calculateCost and estimateCost with tokenEstimator', () => {
  it.each(MODELS)('give the numbers pricing gave before for %s', (model) => {
    const [prompt = '', system = '', answer = ''] = [texts[0], texts[1], texts[2]];
    const output = answer.match(/[\s\S]{1,7}/g) ?? []; // a streamed output: string chunks
    const options = { estimator: tokenEstimator };
    const cases: Array<[Record<string, unknown>, unknown[], ChatMessageLike[] | undefined]> = [
      [{ prompt }, [undefined, prompt], undefined],
      [{ prompt, system_prompt: system }, [system, prompt], undefined],
      [{ messages: chat }, [undefined, undefined], chat],
      [{ messages: chat, prompt }, [undefined, prompt], chat],
      [{ max_tokens: 10 }, [undefined, undefined], undefined], // nothing to count: 0, as before
    ];
    for (const [input, parts, messages] of cases) {
      const cost = calculateCost({ model, status: 'succeeded', input, output }, options);
      expect(cost.breakdown.map((line) => line.quantity)).toEqual([
        counted(model, parts, messages),
        counted(model, [output]),
      ]);
      expect(cost).toMatchObject({ basis: 'estimated', estimated: true });
    }
    const estimate = estimateCost(model, { prompt, messages: chat, maxTokens: 50, ...options });
    expect(estimate.breakdown.map((line) => line.quantity)).toEqual([counted(model, [prompt], chat), 50]);
  });
});
