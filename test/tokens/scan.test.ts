import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT, FEATURES, type Feature, pieceName, scan } from '../../src/tokens/scan';

function pieces(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  scan(text, new Float64Array(FEATURE_COUNT), (kind, start, end) =>
    out.push([pieceName(kind), text.slice(start, end)]),
  );
  return out;
}

/** The non-zero features of `text`, by name. */
function features(text: string): Partial<Record<Feature, number>> {
  const counts = new Float64Array(FEATURE_COUNT);
  scan(text, counts);
  return Object.fromEntries(FEATURES.flatMap((name, j) => (counts[j] ? [[name, counts[j]]] : [])));
}

describe('scan', () => {
  it('names one feature per slot', () => {
    expect(FEATURES).toHaveLength(FEATURE_COUNT);
  });

  it('cuts text where BPE pre-tokenizers cut: letters, digits, punctuation, spaces, scripts, emoji', () => {
    expect(pieces('Hello wörld  x12ab\n\n日本 🚢✅')).toEqual([
      ['word', 'Hello'],
      ['space', ' '],
      ['word', 'wörld'],
      ['space', '  '],
      ['word', 'x'],
      ['digits', '12'],
      ['word', 'ab'],
      ['newline', '\n\n'],
      ['han', '日本'],
      ['space', ' '],
      ['emoji', '🚢✅'],
    ]);
    expect(pieces('a.b();\tПривет, 世界!')).toEqual([
      ['word', 'a'],
      ['punct', '.'],
      ['word', 'b'],
      ['punct', '();'],
      ['tab', '\t'],
      ['cyrillic', 'Привет'],
      ['punct', ','],
      ['space', ' '],
      ['han', '世界'],
      ['punct', '!'],
    ]);
  });

  it('counts words, long and camelCase runs, and digits in ones and in groups of three', () => {
    expect(features('getElementById(42) 1234567')).toEqual({
      word: 1,
      long: 8, // 14 letters, 8 past the sixth
      nospace: 1, // the first word has no space before it
      nslong: 8,
      hump: 3, // E, B, I
      digit: 9,
      digit3: 4, // 42 | 123 456 7
      punct: 2,
    });
  });

  it('flags accented and Romance-looking words', () => {
    expect(features('caffè latte piccolo')).toEqual({
      word: 3,
      long: 1, // piccolo
      nospace: 1,
      accent: 1, // caffè
      foreign: 6, // caffè: 2 letters past the third, piccolo (ends in o): 4; latte ends in e
    });
  });

  it('counts letters glued after digits (hex, base64, ids)', () => {
    expect(features('sha256:5064ee38')).toEqual({
      word: 2,
      nospace: 2,
      alnum: 1,
      digit: 9,
      digit3: 4,
      punct: 1,
    });
  });

  it('counts newlines and their runs, indentation and tabs', () => {
    expect(features('a\n\nb\r\nc')).toEqual({ word: 3, nospace: 3, newline: 3, nlrun: 2 });
    expect(features('if x:\n    return  y\t\tz')).toMatchObject({
      indent: 2,
      indentch: 6,
      tab: 2,
      newline: 1,
    });
  });

  it('counts the characters of each script, an astral pair once', () => {
    expect(features('Привет мир')).toEqual({ cyrillic: 9 });
    expect(features('Γειά σου')).toEqual({ greek: 7 });
    expect(features('مرحبا')).toEqual({ arabic: 5 });
    expect(features('नमस्ते')).toEqual({ indic: 6 });
    expect(features('こんにちは')).toEqual({ kana: 5 });
    expect(features('안녕')).toEqual({ hangul: 2 });
    expect(features('שלום')).toEqual({ other: 4 });
    expect(features('👍🏽')).toEqual({ emoji: 2 });
    expect(features('“ok”')).toEqual({ word: 1, nospace: 1, symbol: 2 });
  });

  it('adds nothing for an empty text and adds onto existing counts', () => {
    const counts = new Float64Array(FEATURE_COUNT);
    scan('', counts);
    expect([...counts].every((c) => c === 0)).toBe(true);
    scan('one two', counts);
    scan('one two', counts);
    expect(counts[FEATURES.indexOf('word')]).toBe(4);
  });
});
