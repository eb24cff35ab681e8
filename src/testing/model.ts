import type { Random } from './random.js';

/**
 * A JSON Schema object, as found in a model version's `openapi_schema`.
 * @example
 * const inputSchema: JsonSchema = { type: 'object', required: ['prompt'], properties: { prompt: { type: 'string' } } };
 */
export type JsonSchema = { [key: string]: unknown };

/**
 * One moment of a run, in ms after the prediction started processing.
 * @example
 * const step: RunStep = { at: 250, logs: ' 50%|█████     | 2/4' };
 */
export interface RunStep {
  /** Milliseconds after `started_at`. */
  at: number;
  /** An output item: a token of a language model, a file URL; appended to `output` when `iterator`. */
  output?: unknown;
  /** One log line (without its newline). */
  logs?: string;
}

/**
 * How a run goes, decided when the prediction is created. The fake plays it out on its clock.
 * @example
 * const plan: RunPlan = { steps: [{ at: 10, output: 'Hi' }], duration: 20, iterator: true, result: { status: 'succeeded', output: ['Hi'] } };
 */
export interface RunPlan {
  /** Outputs and log lines in time order. */
  steps: RunStep[];
  /** Milliseconds after `started_at` at which the prediction ends. */
  duration: number;
  /** How it ends. `output` is the final output of a success. */
  result: { status: 'succeeded'; output: unknown } | { status: 'failed'; error: string };
  /**
   * Whether `output` grows as steps happen (a language model's token array); else it stays `null` until
   * the end.
   * @default false
   */
  iterator?: boolean;
  /** Extra metrics of a success (`input_token_count`, `image_count`, …); times are added by the fake. @default {} */
  metrics?: Record<string, number>;
}

/**
 * What a model's `run` gets besides the input.
 * @example
 * defineModel({ run: (input, context: ModelContext) => ({ steps: [], duration: 1, result: { status: 'succeeded', output: context.file('a.txt', new Uint8Array([104, 105]), 'text/plain') } }) });
 */
export interface ModelContext {
  /** The prediction's id. */
  predictionId: string;
  /** A seed for generated content: the input's `seed` when it is a number, else 0. */
  seed: number;
  /** The fake's seeded random source. */
  random: Random;
  /** Serve `bytes` from the fake's delivery host and return the URL (`https://replicate.delivery/…`). */
  file(name: string, bytes: Uint8Array, contentType: string): string;
}

/**
 * A model the fake can run. Make one with `textModel`, `imageModel`, `failingModel` or `defineModel`.
 * @example
 * const models: Record<string, FakeModel> = { 'acme/echo': textModel({ respond: echo }) };
 */
export interface FakeModel {
  /** @default '' */
  description?: string;
  /**
   * An official model: versionless (`version: "hidden"`), runnable with `version: 'owner/name'`.
   * @default false
   */
  official?: boolean;
  /**
   * The 64-hex id of its one version.
   * @default derived from the model name
   */
  version?: string;
  /** When the version was pushed (ISO 8601). @default '2024-01-01T00:00:00.000000Z' */
  versionCreatedAt?: string;
  /** The Cog version of the version. @default '0.9.4' */
  cogVersion?: string;
  /**
   * `components.schemas.Input` of the version's `openapi_schema`; inputs are validated against it.
   * @default an open object (anything goes)
   */
  inputSchema?: JsonSchema;
  /** `components.schemas.Output`. @default `{}` */
  outputSchema?: JsonSchema;
  /** Other `components.schemas` entries the input schema refers to (enums). @default {} */
  schemas?: Record<string, JsonSchema>;
  /**
   * Milliseconds in `starting` before it runs: the queue and a cold start.
   * @default 20
   */
  startDelay?: number;
  /**
   * Whether predictions get `urls.stream` (server-sent events).
   * @default false
   */
  streams?: boolean;
  /** Decide how a prediction runs. Called once, at creation. */
  run(input: Record<string, unknown>, context: ModelContext): RunPlan;
}

/**
 * A model from a plan function, for behaviour the presets do not cover.
 * @example
 * const slowEcho = defineModel({
 *   startDelay: 30_000, // a cold start
 *   run: (input) => ({ steps: [], duration: 1000, result: { status: 'succeeded', output: input } }),
 * });
 */
export function defineModel(model: FakeModel): FakeModel {
  return model;
}

/**
 * Options of {@link failingModel}.
 * @example
 * const options: FailingModelOptions = { error: 'NSFW content detected', after: 500, logs: [] };
 */
export interface FailingModelOptions extends Omit<FakeModel, 'run'> {
  /**
   * The prediction's `error`.
   * @default 'Prediction failed: CUDA out of memory'
   */
  error?: string;
  /**
   * Milliseconds after starting at which it fails.
   * @default 50
   */
  after?: number;
  /**
   * Log lines printed before failing.
   * @default ['Traceback (most recent call last):', 'RuntimeError: CUDA out of memory']
   */
  logs?: string[];
}

/**
 * A model whose predictions always end `failed`, with logs and an `error`.
 * @example
 * const fake = createFakeReplicate({ models: { 'acme/broken': failingModel({ error: 'boom' }) } });
 * await replicate.run('acme/broken', { input: {} }); // throws PredictionFailedError('boom')
 */
export function failingModel(options: FailingModelOptions = {}): FakeModel {
  const { error = 'Prediction failed: CUDA out of memory', after = 50, logs, ...model } = options;
  const lines = logs ?? ['Traceback (most recent call last):', 'RuntimeError: CUDA out of memory'];
  return {
    ...model,
    run: () => ({
      steps: lines.map((line, index) => ({
        at: Math.round((after * index) / Math.max(1, lines.length)),
        logs: line,
      })),
      duration: after,
      result: { status: 'failed', error },
    }),
  };
}

/** The seed an input asks for, else 0. */
export function inputSeed(input: Record<string, unknown>): number {
  return typeof input.seed === 'number' && Number.isFinite(input.seed) ? Math.floor(input.seed) : 0;
}
