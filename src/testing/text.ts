import type { ModelContext } from './model.js';
import { hashString, seededRandom } from './random.js';

/**
 * What a text model answers: a text (split into tokens) or the exact chunks to stream.
 * @example
 * const shout: TextResponder = (input) => String(input.prompt).toUpperCase();
 */
export type TextResponder = (
  input: Record<string, unknown>,
  context: ModelContext,
) => string | readonly string[];

/**
 * Split text into token-like chunks the way Replicate's language models stream them: each chunk is a word
 * with its leading whitespace (`" llamas"`), so joining the chunks gives the text back exactly.
 * @example
 * tokenize('Hello there,\nfriend'); // ['Hello', ' there,', '\nfriend']
 */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+|\s+/g) ?? [];
}

/** The prompt of an input (`prompt`, else `text`, else the JSON of the input). */
export function promptOf(input: Record<string, unknown>): string {
  const prompt = input.prompt ?? input.text;
  return typeof prompt === 'string' ? prompt : JSON.stringify(input);
}

/**
 * Answer with the prompt itself.
 * @example
 * textModel({ respond: echo }); // run({ prompt: 'hi' }) → ['hi']
 */
export const echo: TextResponder = (input) => promptOf(input);

/**
 * Answer with each text in turn, one per prediction; the last one repeats. An array item is streamed as
 * exactly those chunks.
 * @example
 * textModel({ respond: scripted(['First answer.', ['Sec', 'ond', ' answer.']]) });
 */
export function scripted(responses: ReadonlyArray<string | readonly string[]>): TextResponder {
  if (responses.length === 0) throw new RangeError('scripted(responses): give at least one response');
  let call = 0;
  return () => responses[Math.min(call++, responses.length - 1)]!;
}

const WORDS = [
  'the',
  'llama',
  'walks',
  'slowly',
  'across',
  'a',
  'quiet',
  'green',
  'valley',
  'while',
  'clouds',
  'drift',
  'over',
  'distant',
  'mountains',
  'and',
  'gentle',
  'rain',
  'begins',
  'to',
  'fall',
  'on',
  'soft',
  'grass',
  'every',
  'morning',
  'brings',
  'new',
  'light',
  'warm',
  'wind',
  'river',
  'stone',
  'path',
  'home',
  'bright',
];

/**
 * A tiny deterministic generator: pseudo-English whose words depend only on the prompt and `seed`, and
 * whose length follows `max_tokens` / `max_new_tokens` (capped at `words`, default 32).
 * @example
 * textModel({ respond: babble({ words: 12 }) });
 */
export function babble(options: { words?: number } = {}): TextResponder {
  return (input, context) => {
    const limit = tokenLimit(input) ?? Number.POSITIVE_INFINITY;
    const count = Math.max(1, Math.min(options.words ?? 32, limit));
    const random = seededRandom(hashString(promptOf(input), context.seed));
    const chunks: string[] = [];
    let sentenceStart = true;
    for (let index = 0; index < count; index++) {
      let word = WORDS[Math.floor(random() * WORDS.length)]!;
      if (sentenceStart) word = word[0]!.toUpperCase() + word.slice(1);
      const ends = index === count - 1 || random() < 0.12;
      chunks.push(`${index === 0 ? '' : ' '}${word}${ends ? '.' : ''}`);
      sentenceStart = ends;
    }
    return chunks;
  };
}

/** The output token limit an input asks for (`max_tokens`, `max_new_tokens`, `max_length`), if any. */
export function tokenLimit(input: Record<string, unknown>): number | undefined {
  for (const key of ['max_tokens', 'max_new_tokens', 'max_length']) {
    const value = input[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.floor(value);
  }
  return undefined;
}

/** A rough prompt token count (about four characters a token), for `metrics.input_token_count`. */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}
