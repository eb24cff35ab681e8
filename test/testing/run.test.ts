import {
  AuthenticationError,
  FileOutput,
  InvalidRequestError,
  NotFoundError,
  PredictionFailedError,
  type Progress,
  Replicate,
} from 'replikit';
import { createFakeReplicate, echo, failingModel, imageModel, scripted, textModel } from 'replikit/testing';
import { describe, expect, it } from 'vitest';

function setup(options: Parameters<typeof createFakeReplicate>[0] = {}) {
  const fake = createFakeReplicate({
    presets: { tokenDelay: 1, stepDelay: 2, startDelay: 1 },
    ...options,
  });
  return { fake, replicate: new Replicate({ auth: 'test', fetch: fake.fetch }) };
}

describe('run against the fake', () => {
  it('runs a text model and returns its tokens', async () => {
    const { replicate } = setup({ models: { 'acme/echo': textModel({ respond: echo, tokenDelay: 1 }) } });
    const output = (await replicate.run('acme/echo', {
      input: { prompt: 'Hello there, llama' },
    })) as string[];
    expect(output).toEqual(['Hello', ' there,', ' llama']);
  });

  it('reports token metrics like an official language model', async () => {
    const { replicate } = setup();
    const prediction = await replicate.runPrediction('meta/meta-llama-3-8b-instruct', {
      input: { prompt: 'Write a haiku about llamas', max_tokens: 7 },
    });
    expect(prediction.status).toBe('succeeded');
    expect(prediction.version).toBe('hidden');
    expect(prediction.output).toHaveLength(7);
    expect(prediction.metrics).toMatchObject({ input_token_count: 7, output_token_count: 7 });
    expect(prediction.metrics?.predict_time).toBeGreaterThan(0);
    expect(prediction.metrics?.total_time).toBeGreaterThanOrEqual(prediction.metrics?.predict_time ?? 0);
  });

  it('generates deterministic text for a prompt', async () => {
    const a = setup();
    const b = setup();
    const input = { prompt: 'Tell me about llamas', max_tokens: 12 };
    const first = (await a.replicate.run('meta/meta-llama-3-70b-instruct', { input })) as string[];
    const second = (await b.replicate.run('meta/meta-llama-3-70b-instruct', { input })) as string[];
    expect(first.join('')).toBe(second.join(''));
    expect(first.join('')).toMatch(/^[A-Z]/);
  });

  it('answers scripted responses in turn', async () => {
    const { replicate } = setup({
      models: { 'acme/bot': textModel({ respond: scripted(['One.', ['T', 'wo', '.']]), tokenDelay: 0 }) },
    });
    const run = async () =>
      ((await replicate.run('acme/bot', { input: { prompt: 'x' } })) as string[]).join('');
    expect([await run(), await run(), await run()]).toEqual(['One.', 'Two.', 'Two.']);
  });

  it('runs an image model with progress and downloadable file outputs', async () => {
    const { replicate } = setup();
    const progress: Progress[] = [];
    const output = (await replicate.run('black-forest-labs/flux-schnell', {
      input: { prompt: 'a fox', num_outputs: 2, output_format: 'png' },
      wait: false,
      pollInterval: 5,
      onProgress: (event) => progress.push(event),
    })) as FileOutput[];
    expect(output).toHaveLength(2);
    expect(output[0]).toBeInstanceOf(FileOutput);
    expect(String(output[0])).toMatch(/^https:\/\/replicate\.delivery\/xezq\/[a-z0-9]{26}\/out-0\.png$/);
    const blob = await output[0]!.blob();
    expect(blob.type).toBe('image/png');
    const bytes = new Uint8Array(await blob.arrayBuffer());
    expect([...bytes.slice(1, 4)].map((byte) => String.fromCharCode(byte)).join('')).toBe('PNG');
    expect(progress.at(-1)).toMatchObject({ status: 'succeeded', fraction: 1 });
  });

  it('logs NN%| progress bars and counts images', async () => {
    const { fake, replicate } = setup({ models: { 'acme/painter': imageModel({ stepDelay: 1 }) } });
    const prediction = await replicate.runPrediction('acme/painter', { input: { prompt: 'x', seed: 7 } });
    expect(prediction.logs).toContain('Using seed: 7\n');
    expect(prediction.logs).toContain('  0%|          | 0/4');
    expect(prediction.logs).toContain(' 50%|█████     | 2/4');
    expect(prediction.logs).toContain('100%|██████████| 4/4');
    expect(prediction.metrics?.image_count).toBe(1);
    expect(fake.predictions.get(prediction.id)?.status).toBe('succeeded');
  });

  it('fails like a failing model: status failed, error and logs', async () => {
    const { replicate } = setup({ models: { 'acme/broken': failingModel({ error: 'boom', after: 2 }) } });
    const error = await replicate.run('acme/broken', { input: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PredictionFailedError);
    const failed = (error as PredictionFailedError).prediction;
    expect(failed).toMatchObject({ status: 'failed', error: 'boom', output: null });
    expect(failed.logs).toContain('RuntimeError');
  });

  it('runs by version id and by owner/name:version', async () => {
    const { fake, replicate } = setup();
    const model = await replicate.models.get('black-forest-labs', 'flux-schnell');
    const version = model.latest_version!.id;
    expect(version).toBe('53d5d1586a229bd033e060941789bfb0c177cefd5ef638f34b3099658343a897');
    const byId = await replicate.predictions.create({ version, input: { prompt: 'x' } });
    const byRef = await replicate.predictions.create({
      model: `black-forest-labs/flux-schnell:${version}`,
      input: { prompt: 'y' },
    });
    expect(byId.version).toBe(version);
    expect(byRef.model).toBe('black-forest-labs/flux-schnell');
    expect(fake.count('predictions.create')).toBe(2);
  });

  it('serves the real input schemas of the presets', async () => {
    const { replicate } = setup();
    const model = await replicate.models.get('meta', 'meta-llama-3-8b-instruct');
    const schema = model.latest_version?.openapi_schema as {
      components: { schemas: Record<string, unknown> };
    };
    const input = schema.components.schemas.Input as { properties: Record<string, { default?: unknown }> };
    expect(input.properties.max_tokens?.default).toBe(512);
    expect(input.properties.presence_penalty?.default).toBe(1.15);
    expect(schema.components.schemas.Output).toMatchObject({ 'x-cog-array-display': 'concatenate' });
    const versions = await replicate.models.versions.list('meta', 'meta-llama-3-8b-instruct').toArray();
    expect(versions.map((v) => v.id)).toEqual([
      '5a6809ca6288247d06daf6365557e5e429063f32a21146b2a807c682652136b8',
    ]);
  });

  it('answers 404 for unknown models and 401 without a token', async () => {
    const { fake, replicate } = setup();
    await expect(replicate.run('acme/nope', { input: {} })).rejects.toBeInstanceOf(NotFoundError);
    await expect(replicate.models.get('acme', 'nope')).rejects.toBeInstanceOf(NotFoundError);
    const response = await fake.fetch('https://api.replicate.com/v1/predictions');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({
      title: 'Unauthenticated',
      detail: 'You did not pass a valid authentication token',
      status: 401,
    });
    const outsideV1 = await fake.fetch('https://api.replicate.com/predictions', {
      headers: { authorization: 'Bearer t' },
    });
    expect(outsideV1.status).toBe(404);
    const strict = createFakeReplicate({ auth: 'r8_right' });
    const wrong = new Replicate({ auth: 'r8_wrong', fetch: strict.fetch });
    await expect(wrong.account.get()).rejects.toBeInstanceOf(AuthenticationError);
  });

  it('rejects unknown top-level keys with 422 invalid_fields', async () => {
    const { fake } = setup();
    const response = await fake.fetch(
      'https://api.replicate.com/v1/models/black-forest-labs/flux-schnell/predictions',
      {
        method: 'POST',
        headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
        body: JSON.stringify({ inptu: { prompt: 'typo' }, version: 'x' }),
      },
    );
    expect(response.status).toBe(422);
    const body = (await response.json()) as { invalid_fields: unknown[]; detail: string };
    expect(body.invalid_fields).toEqual([
      { type: 'required', field: '', description: 'input is required' },
      {
        type: 'additional_property_not_allowed',
        field: '',
        description: 'Additional property inptu is not allowed',
      },
      {
        type: 'additional_property_not_allowed',
        field: '',
        description: 'Additional property version is not allowed',
      },
    ]);
    expect(body.detail).toContain('- Additional property inptu is not allowed\n');
  });

  it('validates inputs against the model schema (422 through the client)', async () => {
    const { replicate } = setup();
    const error = await replicate.predictions
      .create({
        model: 'black-forest-labs/flux-schnell',
        input: { prompt: 'x', num_outputs: 9, aspect_ratio: '7:3' },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).problem?.invalid_fields).toEqual([
      { type: 'number_lte', field: 'input.num_outputs', description: 'Must be less than or equal to 4' },
      expect.objectContaining({ type: 'enum', field: 'input.aspect_ratio' }),
    ]);
    await expect(
      replicate.predictions.create({ model: 'black-forest-labs/flux-schnell', input: {} }),
    ).rejects.toThrow(/prompt is required/);
  });
});
