import { tinyImage } from './images.js';
import type { FakeModel, JsonSchema, RunStep } from './model.js';

/**
 * Options of {@link imageModel}.
 * @example
 * const options: ImageModelOptions = { steps: 28, stepDelay: 100, singleOutput: true };
 */
export interface ImageModelOptions extends Omit<FakeModel, 'run'> {
  /**
   * Milliseconds per denoising step.
   * @default 25
   */
  stepDelay?: number;
  /**
   * Denoising steps (one progress line each).
   * @default the input's `num_inference_steps` or `steps`, else 4
   */
  steps?: number;
  /**
   * Return one URL instead of an array of URLs (as flux-1.1-pro does).
   * @default false
   */
  singleOutput?: boolean;
}

/** `Output` of Replicate's image models: an array of file URLs. */
export const IMAGE_OUTPUT_SCHEMA: JsonSchema = {
  type: 'array',
  items: { type: 'string', format: 'uri' },
  title: 'Output',
};

const DEFAULT_INPUT_SCHEMA: JsonSchema = {
  type: 'object',
  title: 'Input',
  required: ['prompt'],
  properties: {
    prompt: { type: 'string', title: 'Prompt', 'x-order': 0, description: 'Prompt for generated image' },
    num_outputs: { type: 'integer', title: 'Num Outputs', default: 1, minimum: 1, maximum: 4, 'x-order': 1 },
    output_format: { type: 'string', title: 'Output Format', default: 'webp', 'x-order': 2 },
    seed: { type: 'integer', title: 'Seed', 'x-order': 3 },
  },
};

/**
 * An image model: logs tqdm-style `NN%|` progress bars step by step (what `onProgress` reads), then
 * returns URLs of images the fake serves (`num_outputs` of them, in `output_format`), with
 * `metrics.image_count`.
 * @example
 * const fake = createFakeReplicate({ models: { 'acme/painter': imageModel({ stepDelay: 100 }) } });
 * const [url] = (await replicate.run('acme/painter', { input: { prompt: 'a fox' }, fileOutput: false })) as string[];
 */
export function imageModel(options: ImageModelOptions = {}): FakeModel {
  const { stepDelay = 25, steps: fixedSteps, singleOutput = false, ...model } = options;
  return {
    inputSchema: DEFAULT_INPUT_SCHEMA,
    outputSchema: singleOutput ? { type: 'string', format: 'uri', title: 'Output' } : IMAGE_OUTPUT_SCHEMA,
    ...model,
    run(input, context) {
      const total = positive(fixedSteps) ?? positive(input.num_inference_steps) ?? positive(input.steps) ?? 4;
      const count = positive(input.num_outputs) ?? 1;
      const seed = positive(input.seed) ?? Math.floor(context.random() * 2 ** 31);
      const format = typeof input.output_format === 'string' ? input.output_format : 'webp';
      const steps: RunStep[] = [
        { at: 0, logs: `Using seed: ${seed}` },
        { at: 0, logs: progressLine(0, total) },
      ];
      for (let step = 1; step <= total; step++) {
        steps.push({ at: step * stepDelay, logs: progressLine(step, total) });
      }
      const done = total * stepDelay;
      steps.push({ at: done, logs: `Total safe images: ${count} out of ${count}` });
      const image = tinyImage(format);
      const urls = Array.from({ length: count }, (_, index) =>
        context.file(`out-${index}.${image.extension}`, image.bytes, image.contentType),
      );
      if (model.streams) for (const url of urls) steps.push({ at: done, output: url });
      return {
        steps,
        duration: done + stepDelay,
        result: { status: 'succeeded', output: singleOutput ? urls[0] : urls },
        metrics: { image_count: count },
      };
    },
  };
}

/** A tqdm progress line: ` 75%|███████▌  | 3/4 [00:00<00:00, 18.26it/s]`. */
export function progressLine(step: number, total: number): string {
  const percent = Math.floor((step / total) * 100);
  const filled = Math.floor(percent / 10);
  const bar = '█'.repeat(filled) + (percent % 10 >= 5 && filled < 10 ? '▌' : '');
  const rate = step === 0 ? '?it/s' : '18.26it/s';
  const eta = step === 0 ? '[00:00<?, ' : '[00:00<00:00, ';
  return `${String(percent).padStart(3)}%|${bar.padEnd(10)}| ${step}/${total} ${eta}${rate}]`;
}

function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 ? Math.floor(value) : undefined;
}
