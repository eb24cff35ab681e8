import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { estimateTokens, FAMILIES, tokenUpperBound } from '../../src/entries/tokens';
import { estimateFor } from '../../src/tokens/estimate';

const corpus = new URL('../fixtures/token-corpus/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('counts.json', corpus), 'utf8')) as {
  files: Array<{ file: string; counts: Record<string, number> }>;
};
const samples = index.files.map((f) => ({
  file: f.file,
  text: readFileSync(new URL(`samples/${f.file}`, corpus), 'utf8'),
  counts: f.counts,
}));
const KEYS = {
  llama3: 'llama3',
  llama2: 'llama2',
  mistral: 'mistral',
  qwen: 'qwen3',
  deepseek: 'deepseek_v3',
} as const;
const FIVE = Object.keys(KEYS) as Array<keyof typeof KEYS>;

describe('estimateTokens', () => {
  it('estimates a sentence for a model id (exact Llama 3 count: 10)', () => {
    const text = 'The quick brown fox jumps over the lazy dog.';
    expect(estimateTokens(text, { model: 'meta/meta-llama-3-8b-instruct' })).toBe(10);
    expect(estimateTokens(text, { family: 'llama3' })).toBe(10);
    // `family` wins over `model`; Llama 2's exact count is 12.
    expect(estimateTokens(text, { model: 'meta/meta-llama-3-8b-instruct', family: 'llama2' })).toBe(11);
    expect(estimateTokens(text)).toBe(11);
  });

  it('counts CJK per character, far above chars / 4', () => {
    const text = '東京は日本の首都です。'; // 11 characters; exact: Llama 3 8, Llama 2 11
    expect(estimateTokens(text, { family: 'llama3' })).toBe(9);
    expect(estimateTokens(text, { family: 'llama2' })).toBe(16);
  });

  it('gives 0 for an empty string and at least 1 for any other', () => {
    for (const family of FAMILIES) {
      expect(estimateTokens('', { family })).toBe(0);
      expect(estimateTokens('', { family, upperBound: true })).toBe(0);
      expect(estimateTokens(' ', { family })).toBe(1);
    }
  });

  it('throws a TypeError for text that is not a string', () => {
    for (const bad of [undefined, null, 42, { text: 'hi' }, ['hi']]) {
      expect(() => estimateTokens(bad as unknown as string)).toThrow(TypeError);
    }
    expect(() => estimateTokens(null as unknown as string)).toThrow(
      'estimateTokens: text must be a string, got null',
    );
    expect(() => tokenUpperBound(3 as unknown as string)).toThrow(
      'estimateTokens: text must be a string, got number',
    );
  });

  it('returns what a plugged-in exact counter says, bound or not', () => {
    const seen: string[] = [];
    const counter = (text: string) => {
      seen.push(text);
      return 42;
    };
    expect(estimateTokens('hello there', { counter, family: 'qwen' })).toBe(42);
    expect(estimateTokens('hello there', { counter, upperBound: true })).toBe(42);
    expect(estimateTokens('', { counter })).toBe(42);
    expect(seen).toEqual(['hello there', 'hello there', '']);
    expect(() => estimateTokens('x', { counter: () => Number.NaN })).toThrow(
      'counter returned NaN: expected a count',
    );
    expect(() => estimateTokens('x', { counter: () => -1 })).toThrow(TypeError);
  });
});

describe('upper bound', () => {
  it.each(FIVE)('never under-counts a corpus sample for %s', (family) => {
    for (const s of samples) {
      const bound = estimateTokens(s.text, { family, upperBound: true });
      expect(bound, s.file).toBeGreaterThanOrEqual(s.counts[KEYS[family]]!);
      expect(bound, s.file).toBeGreaterThanOrEqual(estimateTokens(s.text, { family }));
    }
  });

  it('for generic, never under-counts any of the five families on a corpus sample', () => {
    for (const s of samples) {
      const most = Math.max(...FIVE.map((f) => s.counts[KEYS[f]]!));
      expect(tokenUpperBound(s.text), s.file).toBeGreaterThanOrEqual(most);
    }
  });

  it('is ⌈factor × estimate⌉ + 3, capped by the UTF-8 byte count + 1', () => {
    const text = 'The quick brown fox jumps over the lazy dog.';
    expect(tokenUpperBound(text, { family: 'llama3' })).toBe(15); // ⌈1.2 × 10.x⌉ + 3
    expect(tokenUpperBound(text, { family: 'llama3' })).toBe(
      estimateTokens(text, { family: 'llama3', upperBound: true }),
    );
    expect(tokenUpperBound('a', { family: 'llama3' })).toBe(2); // 1 byte + 1: no tokenizer here can exceed it
    expect(tokenUpperBound('日本', { family: 'llama2' })).toBe(7); // 6 bytes + 1
  });
});

describe('estimateFor (what tokenEstimator uses)', () => {
  it.each(FAMILIES)('gives estimateTokens for %s on every corpus sample and on empty text', (family) => {
    for (const s of samples)
      expect(estimateFor(s.text, family), s.file).toBe(estimateTokens(s.text, { family }));
    expect(estimateFor('', family)).toBe(0);
  });
});
