import { describe, expect, it } from 'vitest';
import {
  type ChatMessageLike,
  countChatTokens,
  estimateTokens,
  FAMILIES,
  TEMPLATE_TOKENS,
} from '../../src/entries/tokens';
import { chatTokens } from '../../src/tokens/chat';

// With a counter that returns the length, what is left over is the template's own tokens.
const counter = (text: string) => text.length;
const chat: ChatMessageLike[] = [
  { role: 'system', content: 'Be brief.' }, // 9
  { role: 'user', content: 'Hi' }, // 2
  { role: 'assistant', content: 'Hello!' }, // 6
  { role: 'user', content: 'Bye' }, // 3
];
const TEXT = 20;

describe('countChatTokens', () => {
  it.each([
    // once + system + 2 × user + assistant
    ['llama3', 5 + 5 + 5 + 5 + 5], // <|begin_of_text|> + cue 4; 5 per message (header ids, role, \n\n, <|eot_id|>)
    ['llama2', 0 + 13 + 8 + 2 + 8], // <<SYS>> block 13; <s>[INST] … [/INST] 8; ` </s>` 2
    ['mistral', 1 + 2 + 7 + 1 + 7], // <s>; system folded with \n\n; [INST] … [/INST] 7; </s>
    ['qwen', 3 + 5 + 5 + 5 + 5], // <|im_start|>assistant\n; 5 per ChatML message
    ['deepseek', 2 + 0 + 1 + 2 + 1], // BOS + final <｜Assistant｜>; <｜User｜>; <｜Assistant｜> + EOS
    ['generic', 3 + 3 + 3 + 3 + 3], // OpenAI's rule: 3 per message, 3 for the reply
  ] as const)('adds the %s template tokens: %i', (family, template) => {
    expect(countChatTokens(chat, { family, counter })).toBe(TEXT + template);
  });

  it('takes the family from the model id', () => {
    expect(countChatTokens(chat, { model: 'replicate:chat:meta/meta-llama-3-70b-instruct', counter })).toBe(
      TEXT + 25,
    );
    expect(countChatTokens(chat, { model: 'meta/llama-2-13b-chat', counter })).toBe(TEXT + 31);
  });

  it('matches the exact Llama 3 count of a rendered prompt (23 with llama3-tokenizer-js)', () => {
    const messages = [
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Name a prime.' },
    ];
    expect(countChatTokens(messages, { model: 'meta/meta-llama-3-70b-instruct' })).toBe(23);
    expect(countChatTokens(messages, { model: 'meta/meta-llama-3-70b-instruct', upperBound: true })).toBe(31);
  });

  it('counts the template alone for no messages, and for empty or null content', () => {
    expect(countChatTokens([], { family: 'llama3' })).toBe(TEMPLATE_TOKENS.llama3[0]);
    expect(countChatTokens([{ role: 'user', content: '' }], { family: 'qwen' })).toBe(3 + 5);
    expect(countChatTokens([{ role: 'assistant', content: null }], { family: 'deepseek' })).toBe(2 + 2);
  });

  it('opens one Llama 2 <<SYS>> block; later system messages join it with \\n\\n', () => {
    const two = [
      { role: 'system', content: 'a' },
      { role: 'system', content: 'b' },
      { role: 'user', content: 'c' },
    ];
    expect(countChatTokens(two, { family: 'llama2', counter })).toBe(3 + 13 + 2 + 8);
  });

  it('counts the text parts of array content and skips the others', () => {
    const message: ChatMessageLike = {
      role: 'user',
      content: [
        { type: 'text', text: 'ab' },
        { type: 'image_url', text: 'ignored' },
        { type: 'text', text: 'cd' },
      ],
    };
    expect(countChatTokens([message], { family: 'generic', counter })).toBe(3 + 3 + 4);
  });

  it('estimates each message with estimateTokens', () => {
    const text = 'The quick brown fox jumps over the lazy dog.';
    const one = countChatTokens([{ role: 'user', content: text }], { family: 'mistral' });
    expect(one).toBe(1 + 7 + estimateTokens(text, { family: 'mistral' }));
  });

  it('throws a TypeError for malformed messages', () => {
    expect(() => countChatTokens('hi' as unknown as ChatMessageLike[])).toThrow(
      'countChatTokens: messages must be an array',
    );
    expect(() => countChatTokens([{ content: 'x' } as unknown as ChatMessageLike])).toThrow(
      'countChatTokens: messages[0] must be an object with a string role',
    );
    expect(() => countChatTokens([null as unknown as ChatMessageLike])).toThrow(TypeError);
    expect(() => countChatTokens([{ role: 'user', content: 42 as unknown as string }])).toThrow(
      'countChatTokens: messages[0].content must be a string or an array of parts',
    );
    expect(() => countChatTokens([], { family: 'llama9' as 'llama3' })).toThrow(TypeError);
  });
});

describe('chatTokens (what tokenEstimator uses)', () => {
  it.each(FAMILIES)('gives countChatTokens for %s', (family) => {
    expect(chatTokens(chat, family)).toBe(countChatTokens(chat, { family }));
    expect(chatTokens(chat, family, counter)).toBe(countChatTokens(chat, { family, counter }));
  });

  it('throws the same TypeError for a non-array', () => {
    expect(() => chatTokens('hi' as unknown as ChatMessageLike[], 'generic')).toThrow(
      'countChatTokens: messages must be an array',
    );
  });
});
