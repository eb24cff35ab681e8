const WORDS = [
  'the',
  'llama',
  'walks',
  'across',
  'a',
  'quiet',
  'green',
  'valley,',
  'while',
  'clouds',
  'drift',
  'over',
];

/**
 * `count` token-like chunks of pseudo-English (`" llama"`, `" valley,"`, a newline now and then), the same
 * every time: what a language model streams.
 */
export function benchTokens(count: number): string[] {
  const chunks = new Array<string>(count);
  let state = 7;
  for (let index = 0; index < count; index++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const word = WORDS[(state >>> 16) % WORDS.length]!;
    chunks[index] = index % 40 === 39 ? `\n${word}` : ` ${word}`;
  }
  return chunks;
}
