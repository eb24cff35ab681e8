import { describe, expect, it } from 'vitest';
import { estimateTokens, FAMILIES, familyOf } from '../../src/entries/tokens';

const VERSION = 'fbfb20b472b2f3bdd101412a9f70a0ed4fc0ced78a77ff00970ee7a2383c575d';

describe('familyOf', () => {
  it.each([
    ['meta/meta-llama-3-70b-instruct', 'llama3'],
    ['meta/meta-llama-3-8b', 'llama3'],
    ['meta/meta-llama-3.1-405b-instruct', 'llama3'],
    ['meta/llama-3.3-70b-instruct', 'llama3'],
    ['meta/llama-guard-3-8b', 'llama3'],
    ['meta/llama-2-70b-chat', 'llama2'],
    ['meta/llama-2-7b', 'llama2'],
    ['meta/codellama-34b-instruct', 'llama2'],
    ['mistralai/mixtral-8x7b-instruct-v0.1', 'mistral'],
    ['mistralai/mistral-7b-instruct-v0.2', 'mistral'],
    ['qwen/qwen2.5-72b-instruct', 'qwen'],
    ['qwen/qwq-32b', 'qwen'],
    ['deepseek-ai/deepseek-v3', 'deepseek'],
    ['deepseek-ai/deepseek-r1', 'deepseek'],
    ['deepseek-ai/deepseek-r1-distill-qwen-32b', 'qwen'],
    ['deepseek-ai/deepseek-r1-distill-llama-70b', 'llama3'],
    ['meta/llama-4-maverick-instruct', 'generic'],
    ['black-forest-labs/flux-schnell', 'generic'],
    ['ibm-granite/granite-3.3-8b-instruct', 'generic'],
  ])('%s → %s', (id, family) => {
    expect(familyOf(id)).toBe(family);
  });

  it('accepts versions, the gateway spellings and any case', () => {
    expect(familyOf(`meta/meta-llama-3-70b-instruct:${VERSION}`)).toBe('llama3');
    expect(familyOf('replicate/meta/llama-2-70b-chat')).toBe('llama2');
    expect(familyOf('replicate:chat:mistralai/mixtral-8x7b-instruct-v0.1')).toBe('mistral');
    expect(familyOf(`replicate/qwen/qwen2.5-7b-instruct:${VERSION}`)).toBe('qwen');
    expect(familyOf('Meta/Meta-Llama-3-8B-Instruct')).toBe('llama3');
  });

  it('lists the six families', () => {
    expect(FAMILIES).toEqual(['llama3', 'llama2', 'mistral', 'qwen', 'deepseek', 'generic']);
  });

  it('rejects a model id that is not a string and an unknown family name', () => {
    expect(() => familyOf(42 as unknown as string)).toThrow(TypeError);
    expect(() => familyOf(42 as unknown as string)).toThrow(
      'familyOf: the model id must be a string, got number',
    );
    expect(() => estimateTokens('hi', { family: 'gpt4' as 'generic' })).toThrow(
      'Unknown tokenizer family "gpt4": use one of llama3, llama2, mistral, qwen, deepseek, generic',
    );
  });
});
