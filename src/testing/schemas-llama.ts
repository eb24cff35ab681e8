import type { PresetSchema } from './preset-schema.js';

/**
 * Input schemas of the Llama 3 instruct models (8B and 70B share one) and Llama 3.1 405B.
 * Copied from Replicate's own dump of `GET /v1/models` (npm `all-the-public-replicate-models@1.352.0`, data up to
 * 2025-01-15): `latest_version.openapi_schema.components.schemas`, unchanged.
 */

export const LLAMA_3_INSTRUCT_8B: PresetSchema = {
  description: 'An 8 billion parameter language model from Meta, fine tuned for chat completions',
  version: '5a6809ca6288247d06daf6365557e5e429063f32a21146b2a807c682652136b8',
  versionCreatedAt: '2024-04-17T21:58:45.726276Z',
  cogVersion: '0.9.4',
  input: {
    type: 'object',
    title: 'Input',
    properties: {
      prompt: { type: 'string', title: 'Prompt', default: '', 'x-order': 0, description: 'Prompt' },
      min_tokens: {
        type: 'integer',
        title: 'Min Tokens',
        default: 0,
        'x-order': 1,
        description: 'The minimum number of tokens the model should generate as output.',
      },
      max_tokens: {
        type: 'integer',
        title: 'Max Tokens',
        default: 512,
        'x-order': 2,
        description: 'The maximum number of tokens the model should generate as output.',
      },
      temperature: {
        type: 'number',
        title: 'Temperature',
        default: 0.6,
        'x-order': 3,
        description: 'The value used to modulate the next token probabilities.',
      },
      top_p: {
        type: 'number',
        title: 'Top P',
        default: 0.9,
        'x-order': 4,
        description:
          'A probability threshold for generating the output. If < 1.0, only keep the top tokens with cumulative probability >= top_p (nucleus filtering). Nucleus filtering is described in Holtzman et al. (http://arxiv.org/abs/1904.09751).',
      },
      top_k: {
        type: 'integer',
        title: 'Top K',
        default: 50,
        'x-order': 5,
        description:
          'The number of highest probability tokens to consider for generating the output. If > 0, only keep the top k tokens with highest probability (top-k filtering).',
      },
      presence_penalty: {
        type: 'number',
        title: 'Presence Penalty',
        default: 1.15,
        'x-order': 6,
        description: 'Presence penalty',
      },
      frequency_penalty: {
        type: 'number',
        title: 'Frequency Penalty',
        default: 0.2,
        'x-order': 7,
        description: 'Frequency penalty',
      },
      prompt_template: {
        type: 'string',
        title: 'Prompt Template',
        default: '{prompt}',
        'x-order': 8,
        description:
          'Prompt template. The string `{prompt}` will be substituted for the input prompt. If you want to generate dialog output, use this template as a starting point and construct the prompt string manually, leaving `prompt_template={prompt}`.',
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

/** meta/meta-llama-3-70b-instruct: the same inputs as the 8B, its own version. */
export const LLAMA_3_INSTRUCT_70B: PresetSchema = {
  ...LLAMA_3_INSTRUCT_8B,
  description: 'A 70 billion parameter language model from Meta, fine tuned for chat completions',
  version: 'fbfb20b472b2f3bdd101412a9f70a0ed4fc0ced78a77ff00970ee7a2383c575d',
  versionCreatedAt: '2024-04-17T21:58:54.806446Z',
};

export const LLAMA_31_INSTRUCT_405B: PresetSchema = {
  description: "Meta's flagship 405 billion parameter language model, fine-tuned for chat completions",
  version: 'e6cb7fc3ed90eae2c879c48deda8f49152391ad66349fe7694be24089c29f71c',
  versionCreatedAt: '2024-07-23T15:24:35.230971Z',
  cogVersion: '0.10.0-alpha17',
  input: {
    type: 'object',
    title: 'Input',
    properties: {
      prompt: { type: 'string', title: 'Prompt', default: '', 'x-order': 0, description: 'Prompt' },
      system_prompt: {
        type: 'string',
        title: 'System Prompt',
        default: 'You are a helpful assistant.',
        'x-order': 1,
        description:
          'System prompt to send to the model. This is prepended to the prompt and helps guide system behavior. Ignored for non-chat models.',
      },
      min_tokens: {
        type: 'integer',
        title: 'Min Tokens',
        default: 0,
        'x-order': 2,
        description: 'The minimum number of tokens the model should generate as output.',
      },
      max_tokens: {
        type: 'integer',
        title: 'Max Tokens',
        default: 512,
        'x-order': 3,
        description: 'The maximum number of tokens the model should generate as output.',
      },
      temperature: {
        type: 'number',
        title: 'Temperature',
        default: 0.6,
        'x-order': 4,
        description: 'The value used to modulate the next token probabilities.',
      },
      top_p: {
        type: 'number',
        title: 'Top P',
        default: 0.9,
        'x-order': 5,
        description:
          'A probability threshold for generating the output. If < 1.0, only keep the top tokens with cumulative probability >= top_p (nucleus filtering). Nucleus filtering is described in Holtzman et al. (http://arxiv.org/abs/1904.09751).',
      },
      top_k: {
        type: 'integer',
        title: 'Top K',
        default: 50,
        'x-order': 6,
        description:
          'The number of highest probability tokens to consider for generating the output. If > 0, only keep the top k tokens with highest probability (top-k filtering).',
      },
      presence_penalty: {
        type: 'number',
        title: 'Presence Penalty',
        default: 0,
        'x-order': 7,
        description: 'Presence penalty',
      },
      frequency_penalty: {
        type: 'number',
        title: 'Frequency Penalty',
        default: 0,
        'x-order': 8,
        description: 'Frequency penalty',
      },
      stop_sequences: {
        type: 'string',
        title: 'Stop Sequences',
        'x-order': 9,
        description:
          "A comma-separated list of sequences to stop generation at. For example, '<end>,<stop>' will stop generation at the first instance of 'end' or '<stop>'.",
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
