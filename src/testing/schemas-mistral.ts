import type { PresetSchema } from './preset-schema.js';

const number = (title: string, value: number, order: number, description: string) => ({
  type: 'number',
  title,
  default: value,
  'x-order': order,
  description,
});

/**
 * mistralai/mistral-7b-instruct-v0.2 is an official, versionless model absent from Replicate's model dump;
 * its inputs are reconstructed from published usage (`max_new_tokens`, `prompt_template` with `[INST]`).
 * Names are reliable, defaults approximate: fetch the live schema if a default matters. No version id is
 * published, so the fake derives one.
 */
export const MISTRAL_7B_INSTRUCT: PresetSchema = {
  description:
    'The Mistral-7B-Instruct-v0.2 Large Language Model (LLM) is an improved instruct fine-tuned version of Mistral-7B-Instruct-v0.1.',
  input: {
    type: 'object',
    title: 'Input',
    required: ['prompt'],
    properties: {
      prompt: { type: 'string', title: 'Prompt', 'x-order': 0, description: 'Prompt to send to the model.' },
      max_new_tokens: {
        type: 'integer',
        title: 'Max New Tokens',
        default: 512,
        'x-order': 1,
        description: 'The maximum number of tokens the model should generate as output.',
      },
      min_new_tokens: {
        type: 'integer',
        title: 'Min New Tokens',
        default: -1,
        'x-order': 2,
        description: 'The minimum number of tokens the model should generate as output.',
      },
      temperature: number('Temperature', 0.6, 3, 'The value used to modulate the next token probabilities.'),
      top_p: number('Top P', 0.9, 4, 'A probability threshold for generating the output.'),
      top_k: {
        type: 'integer',
        title: 'Top K',
        default: 50,
        'x-order': 5,
        description: 'The number of highest probability tokens to consider for generating the output.',
      },
      presence_penalty: number('Presence Penalty', 0, 6, 'Presence penalty'),
      frequency_penalty: number('Frequency Penalty', 0, 7, 'Frequency penalty'),
      prompt_template: {
        type: 'string',
        title: 'Prompt Template',
        default: '<s>[INST] {prompt} [/INST] ',
        'x-order': 8,
        description:
          'Template for formatting the prompt. Can be an arbitrary string, but must contain the substring `{prompt}`.',
      },
    },
  },
  output: {
    type: 'array',
    items: { type: 'string' },
    title: 'Output',
    'x-cog-array-type': 'iterator',
    'x-cog-array-display': 'concatenate',
  },
};
