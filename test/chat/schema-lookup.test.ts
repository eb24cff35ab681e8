import { PredictionFailedError, Replicate } from 'replikit';
import { describe, expect, it } from 'vitest';
import { chatModel } from '../helpers/chat-model';
import { fixture } from '../helpers/fixtures';
import { calls, json, route } from '../helpers/server';

const { models } = fixture<{ models: Record<string, { schemas: Record<string, unknown> }> }>(
  'model-input-schemas.json',
);
const messages = [{ role: 'user' as const, content: 'Hi' }];

function serveModel(name: string, schemas: Record<string, unknown>) {
  const [owner, model] = name.split('/');
  route('GET', `/models/${name}`, () =>
    json({
      url: `https://replicate.com/${name}`,
      owner,
      name: model,
      description: null,
      visibility: 'public',
      github_url: null,
      paper_url: null,
      license_url: null,
      run_count: 1,
      cover_image_url: null,
      default_example: null,
      latest_version: {
        id: 'a'.repeat(64),
        created_at: '2024-01-01T00:00:00Z',
        cog_version: '0.9.4',
        openapi_schema: { components: { schemas } },
      },
    }),
  );
}

describe('input schemas read from the API', () => {
  it('fetches an unknown model once, caches it, and maps onto its keys', async () => {
    serveModel('nateraw/mixtral-8x7b-32kseqlen', models['nateraw/mixtral-8x7b-32kseqlen']!.schemas);
    const model = chatModel({ model: 'nateraw/mixtral-8x7b-32kseqlen' });
    const replicate = new Replicate({ auth: 'r8_test' });
    for (let i = 0; i < 2; i++) {
      await replicate.chat.completions.create({
        model: 'nateraw/mixtral-8x7b-32kseqlen',
        messages,
        max_tokens: 20,
        temperature: 0.3,
        seed: 1,
      });
    }
    expect(calls.filter((c) => c.url.pathname === '/v1/models/nateraw/mixtral-8x7b-32kseqlen')).toHaveLength(
      1,
    );
    // Mistral family, no prompt_template or system_prompt: the rendered conversation; no seed key in this schema.
    expect(model.inputs()[0]).toEqual({
      prompt: '<s>[INST] Hi [/INST]',
      max_new_tokens: 20,
      temperature: 0.3,
    });
  });

  it('refuses an image model with a clear error before creating anything', async () => {
    serveModel('black-forest-labs/flux-schnell', models['black-forest-labs/flux-schnell']!.schemas);
    const replicate = new Replicate({ auth: 'r8_test' });
    await expect(
      replicate.chat.completions.create({ model: 'black-forest-labs/flux-schnell', messages }),
    ).rejects.toThrow(/not a text model/);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('a model that fails mid-stream gives PredictionFailedError with its error', async () => {
    chatModel({ status: 'failed' });
    const replicate = new Replicate({ auth: 'r8_test' });
    const stream = await replicate.chat.completions.create({
      model: 'meta/meta-llama-3-8b-instruct',
      messages,
      stream: true,
    });
    const error = await (async () => {
      for await (const _ of stream);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PredictionFailedError);
    expect((error as PredictionFailedError).prediction.error).toBe('CUDA out of memory');
  });
});
