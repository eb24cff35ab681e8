import { describe, expect, it } from 'vitest';
import { OutputTally } from '../../src/chat/usage';
import { estimateTokens } from '../../src/entries/tokens';

const MODEL = 'meta/meta-llama-3-8b-instruct';

describe('OutputTally (streamed text kept for usage estimates)', () => {
  it('keeps a short text whole', () => {
    const tally = new OutputTally(MODEL);
    for (const delta of ['Hello', ' there', '!']) tally.push(delta);
    expect(tally.finish()).toEqual({ text: 'Hello there!', foldedTokens: 0 });
  });

  it('folds a long text into a token count at word boundaries, holding little text, within 1 % of the whole estimate', () => {
    const tally = new OutputTally(MODEL);
    const words = Array.from({ length: 60_000 }, (_, i) => `word${i % 97} `);
    for (const word of words) tally.push(word);
    const { text, foldedTokens } = tally.finish();
    expect(foldedTokens).toBeGreaterThan(0);
    expect(text.length).toBeLessThan(70_000); // not the whole ~400 KB
    const total = (foldedTokens ?? 0) + estimateTokens(text, { model: MODEL });
    const whole = estimateTokens(words.join(''), { model: MODEL });
    expect(Math.abs(total - whole) / whole).toBeLessThan(0.01);
  });
});
