import { imageModel } from './image-model.js';
import type { FakeModel } from './model.js';
import type { PresetSchema } from './preset-schema.js';
import { FLUX_DEV, FLUX_SCHNELL } from './schemas-flux.js';
import { LLAMA_3_INSTRUCT_8B, LLAMA_3_INSTRUCT_70B, LLAMA_31_INSTRUCT_405B } from './schemas-llama.js';
import { MISTRAL_7B_INSTRUCT } from './schemas-mistral.js';
import { textModel } from './text-model.js';

/**
 * Pacing of the preset models.
 * @example
 * createFakeReplicate({ presets: { tokenDelay: 0, stepDelay: 0, startDelay: 0 } });
 */
export interface PresetOptions {
  /**
   * Milliseconds between two tokens of the language models.
   * @default 10
   */
  tokenDelay?: number;
  /**
   * Milliseconds per denoising step of the image models.
   * @default 25
   */
  stepDelay?: number;
  /**
   * Milliseconds in `starting` (official models are always on: a short queue, no cold start).
   * @default 20
   */
  startDelay?: number;
}

function fromSchema(schema: PresetSchema): Omit<FakeModel, 'run'> {
  return {
    official: true,
    description: schema.description,
    version: schema.version,
    versionCreatedAt: schema.versionCreatedAt,
    cogVersion: schema.cogVersion,
    inputSchema: schema.input,
    outputSchema: schema.output,
    schemas: schema.schemas ?? {},
  };
}

/**
 * The popular official models, with their real input schemas: Llama 3 8B/70B instruct, Llama 3.1 405B
 * instruct and Mistral 7B instruct (streaming, deterministic `babble` text), FLUX schnell and dev
 * (progress logs, webp/png/jpg outputs). `createFakeReplicate` includes them unless `presets: false`.
 * @example
 * const fake = createFakeReplicate({ models: { ...presetModels({ tokenDelay: 0 }), 'acme/mine': textModel() } });
 */
export function presetModels(options: PresetOptions = {}): Record<string, FakeModel> {
  const { tokenDelay = 10, stepDelay = 25, startDelay = 20 } = options;
  const text = (schema: PresetSchema) => textModel({ ...fromSchema(schema), tokenDelay, startDelay });
  const image = (schema: PresetSchema) => imageModel({ ...fromSchema(schema), stepDelay, startDelay });
  return {
    'meta/meta-llama-3-8b-instruct': text(LLAMA_3_INSTRUCT_8B),
    'meta/meta-llama-3-70b-instruct': text(LLAMA_3_INSTRUCT_70B),
    'meta/meta-llama-3.1-405b-instruct': text(LLAMA_31_INSTRUCT_405B),
    'mistralai/mistral-7b-instruct-v0.2': text(MISTRAL_7B_INSTRUCT),
    'black-forest-labs/flux-schnell': image(FLUX_SCHNELL),
    'black-forest-labs/flux-dev': image(FLUX_DEV),
  };
}
