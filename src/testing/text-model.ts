import type { FakeModel, JsonSchema, RunStep } from './model.js';
import { babble, countTokens, promptOf, type TextResponder, tokenize, tokenLimit } from './text.js';

/**
 * Options of {@link textModel}.
 * @example
 * const options: TextModelOptions = { respond: 'Hello there!', tokenDelay: 20, startDelay: 5000 };
 */
export interface TextModelOptions extends Omit<FakeModel, 'run' | 'streams'> {
  /**
   * What it answers: a function of the input (`echo`, `scripted([...])`, `babble()` or your own), a fixed
   * text (split into word tokens), or the exact chunks to stream.
   * @default babble(): deterministic pseudo-English from the prompt
   */
  respond?: TextResponder | string | readonly string[];
  /**
   * Milliseconds between two tokens.
   * @default 10
   */
  tokenDelay?: number;
  /**
   * Milliseconds from starting to the first token.
   * @default tokenDelay
   */
  firstTokenDelay?: number;
  /**
   * Log lines printed when it starts.
   * @default []
   */
  logs?: string[];
  /**
   * Whether predictions get `urls.stream`.
   * @default true
   */
  streams?: boolean;
}

/** `Output` of Replicate's language models: an array of tokens meant to be concatenated. */
export const TEXT_OUTPUT_SCHEMA: JsonSchema = {
  type: 'array',
  items: { type: 'string' },
  title: 'Output',
  'x-cog-array-type': 'iterator',
  'x-cog-array-display': 'concatenate',
};

const DEFAULT_INPUT_SCHEMA: JsonSchema = {
  type: 'object',
  title: 'Input',
  properties: {
    prompt: { type: 'string', title: 'Prompt', default: '', 'x-order': 0, description: 'Prompt' },
    max_tokens: {
      type: 'integer',
      title: 'Max Tokens',
      default: 512,
      'x-order': 1,
      description: 'The maximum number of tokens the model should generate as output.',
    },
  },
};

/**
 * A language model that streams tokens: `output` grows token by token, `urls.stream` serves them as SSE,
 * and a success reports `input_token_count`, `output_token_count`, `time_to_first_token` and
 * `tokens_per_second`. `max_tokens` / `max_new_tokens` in the input cut the answer short.
 * @example
 * import { createFakeReplicate, echo, textModel } from 'replikit/testing';
 * const fake = createFakeReplicate({ models: { 'acme/echo': textModel({ respond: echo, tokenDelay: 5 }) } });
 */
export function textModel(options: TextModelOptions = {}): FakeModel {
  const {
    respond = babble(),
    tokenDelay = 10,
    firstTokenDelay,
    logs = [],
    streams = true,
    ...model
  } = options;
  const responder: TextResponder = typeof respond === 'function' ? respond : () => respond;
  const first = firstTokenDelay ?? tokenDelay;
  return {
    inputSchema: DEFAULT_INPUT_SCHEMA,
    outputSchema: TEXT_OUTPUT_SCHEMA,
    ...model,
    streams,
    run(input, context) {
      const answer = responder(input, context);
      let tokens = typeof answer === 'string' ? tokenize(answer) : [...answer];
      const limit = tokenLimit(input);
      if (limit !== undefined) tokens = tokens.slice(0, limit);
      const steps: RunStep[] = logs.map((line) => ({ at: 0, logs: line }));
      tokens.forEach((token, index) => {
        steps.push({ at: first + index * tokenDelay, output: token });
      });
      const duration = Math.max(1, first + Math.max(0, tokens.length - 1) * tokenDelay + tokenDelay);
      return {
        steps,
        duration,
        iterator: true,
        result: { status: 'succeeded', output: tokens },
        metrics: {
          input_token_count: countTokens(promptOf(input)),
          output_token_count: tokens.length,
          time_to_first_token: first / 1000,
          tokens_per_second: round(tokens.length / (duration / 1000)),
        },
      };
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
