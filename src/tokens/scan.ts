/**
 * One pass over a string that cuts it where BPE pre-tokenizers cut (letter runs, digit runs,
 * punctuation runs, spaces, newlines, one piece per CJK character or emoji) and counts the pieces by
 * class. The counts are the features that the per-family weights in `weights.ts` multiply.
 */

/** Feature names, in the order of the counts vector and of every weight vector. */
export const FEATURES = [
  'text', // 1 per non-empty text: the edges of a text (a first word without its leading space)
  'word', // Latin letter runs: most English words are one token with their leading space
  'long', // letters past the sixth of a Latin run: long or rare words split
  'nospace', // Latin runs not after a space (after punctuation, a digit, a newline): fewer whole-word tokens
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

/** How many features `scan` counts. */
export const FEATURE_COUNT = FEATURES.length;

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

/** Piece names reported to `scan`'s `onPiece` callback. */
export const PIECE_NAMES: Readonly<Record<number, string>> = {
  [LATIN]: 'word',
  [DIGIT]: 'digits',
  [PUNCT]: 'punct',
  [SPACE]: 'space',
  [TAB]: 'tab',
  [NEWLINE]: 'newline',
  [HAN]: 'han',
  [KANA]: 'kana',
  [HANGUL]: 'hangul',
  [CYRILLIC]: 'cyrillic',
  [GREEK]: 'greek',
  [ARABIC]: 'arabic',
  [INDIC]: 'indic',
  [OTHER]: 'other',
  [EMOJI]: 'emoji',
  [SYMBOL]: 'symbol',
};

/**
 * Add the feature counts of `text` to `counts` (length `FEATURE_COUNT`). `onPiece`, for tests and
 * debugging, receives each run of one kind with its bounds (`text.slice(start, end)`).
 */
export function scan(
  text: string,
  counts: Float64Array,
  onPiece?: (piece: string, start: number, end: number) => void,
): void {
  const n = text.length;
  if (n === 0) return;
  const table = ascii ?? asciiKinds();
  counts[0]!++;
  let prev = -1; // kind of the current run
  let before = -1; // kind of the run before it
  let start = 0; // where the current run starts
  let size = 0; // code points in the current run
  let lower = false; // the last Latin letter was lower case
  let accent = false; // the Latin run holds a non-ASCII letter
  let last = 0; // last code unit of the run
  for (let i = 0; i <= n; i++) {
    const c = i < n ? text.charCodeAt(i) : -1;
    const k = c < 0 ? -1 : c < 128 ? table[c]! : kindOf(c);
    if (k === LOW_SURROGATE) continue;
    if (k === prev) {
      size++;
      last = c;
      if (k === LATIN) {
        if (c >= 97) {
          lower = true;
          if (c > 127) accent = true;
        } else if (lower) {
          counts[4]!++;
          lower = false;
        }
      } else if (k === NEWLINE && c === 10) counts[11]!++;
      continue;
    }
    // Close the current run.
    if (prev === LATIN) {
      counts[1]!++;
      if (size > 6) counts[2]! += size - 6;
      if (before !== SPACE && before !== TAB) counts[3]!++;
      if (before === DIGIT) counts[7]!++;
      if (accent) counts[5]!++;
      // Runs with an accent or ending in a/i/o/u: Romance and other non-English words.
      if (size > 3 && (accent || last === 97 || last === 105 || last === 111 || last === 117)) {
        counts[6]! += size - 3;
      }
    } else if (prev === DIGIT) {
      counts[8]! += size;
      counts[9]! += Math.ceil(size / 3);
    } else if (prev === PUNCT) counts[10]!++;
    else if (prev === SPACE) {
      if (size > 1) {
        counts[13]!++;
        counts[14]! += size;
      }
    } else if (prev === TAB) counts[15]! += size;
    else if (prev === NEWLINE) counts[12]!++;
    else if (prev >= HAN) counts[prev]! += size;
    if (onPiece && prev > 0) onPiece(PIECE_NAMES[prev]!, start, i);
    if (k < 0) break;
    // Open the next one.
    before = prev;
    prev = k;
    start = i;
    size = 1;
    last = c;
    accent = c > 127 && k === LATIN;
    lower = accent || (c >= 97 && c <= 122);
    if (k === NEWLINE && c === 10) counts[11]!++;
  }
}
