/**
 * One pass over a string that cuts it where BPE pre-tokenizers cut (letter runs, digit runs,
 * punctuation runs, spaces, newlines, one piece per CJK character or emoji) and counts the pieces by
 * class. The counts are the features that the per-family weights in `weights.ts` multiply.
 */

/** Feature names, in the order of the counts vector and of every weight vector. */
export const FEATURES = [
  'word', // Latin letter runs: most English words are one token with their leading space
  'long', // letters past the sixth of a Latin run: long or rare words split
  'nospace', // Latin runs not after a space (after punctuation, a digit, a newline): fewer whole-word tokens
  'nslong', // letters past the sixth of those runs: a long word without its space splits more
  'hump', // lower→upper case changes inside a Latin run (camelCase)
  'accent', // Latin runs holding a non-ASCII letter (café, Müller)
  'foreign', // letters past the third in runs that look non-English (an accent, or ending in a/i/o/u)
  'alnum', // Latin runs right after a digit run (hex digests, base64, random ids)
  'digit', // digits (Llama 2, Mistral and Qwen cut every digit)
  'digit3', // digit groups of up to three (Llama 3 and DeepSeek cut \p{N}{1,3})
  'punct', // runs of ASCII punctuation
  'newline', // \n characters (SentencePiece: one byte token each)
  'nlrun', // runs of newlines (byte-level BPE: one token per run)
  'indent', // runs of two or more spaces
  'indentch', // spaces in those runs
  'tab', // tab characters
  'han', // CJK ideographs
  'kana', // Hiragana and Katakana
  'hangul', // Hangul syllables and jamo
  'cyrillic', // Cyrillic letters
  'greek', // Greek letters
  'arabic', // Arabic letters
  'indic', // Devanagari … Sinhala letters
  'other', // letters of other scripts (Hebrew, Armenian, Thai, Georgian …)
  'emoji', // emoji and other astral code points
  'symbol', // other non-ASCII: typographic punctuation, CJK punctuation, selectors, NBSP
] as const;

/** A feature name. */
export type Feature = (typeof FEATURES)[number];

/** How many features `scan` counts (`FEATURES.length`, spelled out so the names stay out of bundles). */
export const FEATURE_COUNT = 26;

// Piece kinds. Those of 16 and up are the feature index that counts their characters.
const LATIN = 1;
const DIGIT = 2;
const PUNCT = 3;
const SPACE = 4;
const TAB = 5;
const NEWLINE = 6;
const HAN = 16;
const KANA = 17;
const HANGUL = 18;
const CYRILLIC = 19;
const GREEK = 20;
const ARABIC = 21;
const INDIC = 22;
const OTHER = 23;
const EMOJI = 24;
const SYMBOL = 25;
const LOW_SURROGATE = 0;

/** Kinds of the ASCII code units, built once on first use (no work at import time). */
let ascii: Uint8Array | undefined;
function asciiKinds(): Uint8Array {
  const t = new Uint8Array(128).fill(PUNCT);
  for (let c = 0; c < 32; c++) t[c] = SYMBOL;
  for (let c = 48; c < 58; c++) t[c] = DIGIT;
  for (let c = 65; c < 91; c++) t[c] = t[c + 32] = LATIN;
  t[32] = SPACE;
  t[9] = TAB;
  t[10] = t[13] = NEWLINE;
  t[127] = SYMBOL;
  ascii = t;
  return t;
}

/** The piece kind of a non-ASCII UTF-16 code unit. */
function kindOf(c: number): number {
  if (c < 0x250) return c >= 0xc0 && c !== 0xd7 && c !== 0xf7 ? LATIN : SYMBOL;
  if (c < 0x370) return LATIN; // IPA, spacing modifiers, combining accents
  if (c < 0x400) return GREEK;
  if (c < 0x530) return CYRILLIC;
  if (c < 0x600) return OTHER; // Armenian, Hebrew
  if (c < 0x780) return c < 0x700 || c >= 0x750 ? ARABIC : OTHER;
  if (c < 0x900) return OTHER;
  if (c < 0xe00) return INDIC;
  if (c < 0x1100) return OTHER; // Thai, Lao, Tibetan, Myanmar, Georgian
  if (c < 0x1200) return HANGUL;
  if (c < 0x1e00) return OTHER;
  if (c < 0x1f00) return LATIN; // Latin Extended Additional (Vietnamese)
  if (c < 0x2000) return GREEK;
  if (c < 0x3000) return (c >= 0x2600 && c < 0x27c0) || (c >= 0x2b00 && c < 0x2c00) ? EMOJI : SYMBOL;
  if (c < 0x3040) return SYMBOL; // CJK punctuation
  if (c < 0x3100) return KANA;
  if (c < 0x3190) return c >= 0x3130 ? HANGUL : OTHER;
  if (c < 0x3400) return SYMBOL;
  if (c < 0xa000) return HAN;
  if (c < 0xac00) return OTHER;
  if (c < 0xd800) return HANGUL;
  if (c < 0xdc00) return EMOJI; // a high surrogate: one astral code point
  if (c < 0xe000) return LOW_SURROGATE; // counted with its high half
  if (c < 0xf900) return SYMBOL;
  if (c < 0xfb00) return HAN;
  if (c < 0xfe00) return OTHER;
  return SYMBOL; // selectors, half/full-width forms, specials
}

/** The name of a piece kind that `scan` reports to `onPiece` (for tests and debugging). */
export function pieceName(kind: number): string {
  return kind >= HAN
    ? FEATURES[kind]!
    : ['symbol', 'word', 'digits', 'punct', 'space', 'tab', 'newline'][kind]!;
}

/**
 * Add the feature counts of `text` to `counts` (length `FEATURE_COUNT`). `onPiece`, for tests and
 * debugging, receives each run of one kind (named by `pieceName`) with its bounds.
 */
export function scan(
  text: string,
  counts: Float64Array,
  onPiece?: (kind: number, start: number, end: number) => void,
): void {
  const n = text.length;
  if (n === 0) return;
  const table = ascii ?? asciiKinds();
  // Locals, not `counts[…]`, in the loop: V8 keeps them in registers.
  let word = 0;
  let long = 0;
  let nospace = 0;
  let nslong = 0;
  let hump = 0;
  let accents = 0;
  let foreign = 0;
  let alnum = 0;
  let digits = 0;
  let groups = 0;
  let punct = 0;
  let newlines = 0;
  let nlruns = 0;
  let indent = 0;
  let indentch = 0;
  let tabs = 0;
  let before = -1; // kind of the previous run
  let i = 0;
  // Every inner loop stops with `c` holding the code unit at `i`: the next run starts from it.
  let c = text.charCodeAt(0);
  while (i < n) {
    const start = i;
    const k = c < 128 ? table[c]! : kindOf(c);
    if (k === LATIN) {
      let lower = c >= 97;
      let accent = c > 127;
      let last = c;
      while (++i < n) {
        c = text.charCodeAt(i);
        if (c >= 97 && c <= 122) lower = true;
        else if (c >= 65 && c <= 90) {
          if (lower) hump++;
          lower = false;
        } else if (c > 127 && kindOf(c) === LATIN) {
          accent = lower = true;
        } else break;
        last = c;
      }
      const size = i - start;
      word++;
      if (size > 6) long += size - 6;
      if (before !== SPACE && before !== TAB) {
        nospace++;
        if (size > 6) nslong += size - 6;
      }
      if (before === DIGIT) alnum++;
      if (accent) accents++;
      // Runs with an accent or ending in a/i/o/u: Romance and other non-English words.
      if (size > 3 && (accent || last === 97 || last === 105 || last === 111 || last === 117)) {
        foreign += size - 3;
      }
    } else if (k === SPACE) {
      while (++i < n) {
        c = text.charCodeAt(i);
        if (c !== 32) break;
      }
      if (i - start > 1) {
        indent++;
        indentch += i - start;
      }
    } else if (k === DIGIT) {
      while (++i < n) {
        c = text.charCodeAt(i);
        if (c < 48 || c > 57) break;
      }
      digits += i - start;
      groups += ((i - start + 2) / 3) | 0;
    } else if (k === PUNCT) {
      while (++i < n) {
        c = text.charCodeAt(i);
        if (c >= 128 || table[c] !== PUNCT) break;
      }
      punct++;
    } else if (k === NEWLINE) {
      nlruns++;
      if (c === 10) newlines++;
      while (++i < n) {
        c = text.charCodeAt(i);
        if (c === 10) newlines++;
        else if (c !== 13) break;
      }
    } else if (k === TAB) {
      while (++i < n) {
        c = text.charCodeAt(i);
        if (c !== 9) break;
      }
      tabs += i - start;
    } else {
      // One kind of non-Latin letters, CJK, emoji or symbols; a low surrogate rides with its high half.
      let size = k === LOW_SURROGATE ? 0 : 1;
      while (++i < n) {
        c = text.charCodeAt(i);
        const next = c < 128 ? table[c]! : kindOf(c);
        if (next === k) size++;
        else if (next !== LOW_SURROGATE) break;
      }
      counts[k === LOW_SURROGATE ? SYMBOL : k]! += size;
    }
    if (onPiece) onPiece(k, start, i);
    before = k;
  }
  counts[0]! += word;
  counts[1]! += long;
  counts[2]! += nospace;
  counts[3]! += nslong;
  counts[4]! += hump;
  counts[5]! += accents;
  counts[6]! += foreign;
  counts[7]! += alnum;
  counts[8]! += digits;
  counts[9]! += groups;
  counts[10]! += punct;
  counts[11]! += newlines;
  counts[12]! += nlruns;
  counts[13]! += indent;
  counts[14]! += indentch;
  counts[15]! += tabs;
}
