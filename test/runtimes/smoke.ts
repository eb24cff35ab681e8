// The one smoke suite of the runtime matrix (`npm run test:runtimes`, test/runtimes/run.ts). Every runtime
// runs this file against the packed tarball. The library comes in as a parameter, so each consumer loads it
// its own way (import, require(), a Worker or browser bundle) and this file stays free of runtime APIs: no
// `process`, no `node:` modules, no network (the fake is the `fetch`).
import type * as Core from 'replikit';
import type * as Pricing from 'replikit/pricing';
import type * as Testing from 'replikit/testing';
import type * as Tokens from 'replikit/tokens';
import type * as Webhooks from 'replikit/webhooks';

/** The package's entries, as a consumer loaded them. */
export interface SmokeLibrary {
  core: typeof Core;
  webhooks: typeof Webhooks;
  pricing: typeof Pricing;
  tokens: typeof Tokens;
  testing: typeof Testing;
}

export interface SmokeCheck {
  name: string;
  ok: boolean;
  ms: number;
  error?: string;
}

export interface SmokeReport {
  ok: boolean;
  checks: SmokeCheck[];
}

const CHAT_MODEL = 'meta/meta-llama-3-8b-instruct';
const IMAGE_MODEL = 'black-forest-labs/flux-schnell';
/** A `completed` delivery's body, as Replicate sends it. */
const DELIVERY = {
  id: 'ufawqhfynnddngldkgtslldrkq',
  model: CHAT_MODEL,
  version: 'hidden',
  input: { prompt: 'Say hi' },
  output: ['Hi', '!'],
  status: 'succeeded',
  created_at: '2025-01-01T00:00:00.000Z',
  started_at: '2025-01-01T00:00:00.100Z',
  completed_at: '2025-01-01T00:00:00.900Z',
  metrics: { predict_time: 0.8, input_token_count: 3, output_token_count: 2 },
};

/** Run every check (a failure does not stop the others) and report each one. Never throws. */
export async function smoke(lib: SmokeLibrary): Promise<SmokeReport> {
  const { core, webhooks, pricing, tokens, testing } = lib;
  const fake = testing.createFakeReplicate();
  const replicate = new core.Replicate({ auth: 'test', fetch: fake.fetch });
  const checks: SmokeCheck[] = [];
  const check = async (name: string, body: () => Promise<void> | void) => {
    const started = Date.now();
    try {
      await body();
      checks.push({ name, ok: true, ms: Date.now() - started });
    } catch (error) {
      checks.push({ name, ok: false, ms: Date.now() - started, error: describe(error) });
    }
  };
  await check('create + wait', async () => {
    const created = await replicate.predictions.create({
      model: CHAT_MODEL,
      input: { prompt: 'Say hi', max_tokens: 6 },
      wait: false,
    });
    assert(created.status === 'starting', `a new prediction is starting, got ${created.status}`);
    const finished = await replicate.wait(created);
    assert(finished.status === 'succeeded', `wait ends succeeded, got ${finished.status}`);
    assert(fake.count('create') === 1, `one create request, got ${fake.count('create')}`);
  });

  await check('run (text)', async () => {
    const output = await replicate.run<string[]>(CHAT_MODEL, { input: { prompt: 'Hello', max_tokens: 8 } });
    assert(Array.isArray(output) && output.length > 0, `output is a non-empty array: ${show(output)}`);
    assert(
      output.every((token) => typeof token === 'string'),
      `output tokens are strings: ${show(output)}`,
    );
  });

  await check('run (image, FileOutput)', async () => {
    const [image] = await replicate.run<Core.FileOutput[]>(IMAGE_MODEL, { input: { prompt: 'a red fox' } });
    assert(image instanceof core.FileOutput, `the output is a FileOutput: ${show(image)}`);
    assert(String(image).startsWith('https://replicate.delivery/'), `a delivery URL: ${String(image)}`);
    const blob = await image.blob();
    assert(blob.size > 0, 'the image downloads (through the fake) with some bytes');
  });

  await check('stream', async () => {
    let text = '';
    let done = false;
    for await (const event of replicate.stream(CHAT_MODEL, { input: { prompt: 'Count', max_tokens: 12 } })) {
      if (event.type === 'output') text += event.data;
      if (event.type === 'done') done = true;
    }
    assert(done, 'the stream ends with a done event');
    assert(text.trim().length > 0, 'the stream carried text');
  });

  await check('chat completion', async () => {
    const completion = await replicate.chat.completions.create({
      model: CHAT_MODEL,
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Name a color.' },
      ],
      max_tokens: 16,
    });
    assert(completion.object === 'chat.completion', `object is chat.completion, got ${completion.object}`);
    const content = completion.choices[0]?.message.content;
    assert(typeof content === 'string' && content.length > 0, `a message content: ${show(content)}`);
    assert((completion.usage?.completion_tokens ?? 0) > 0, `usage counted: ${show(completion.usage)}`);
  });

  await check('chat completion (stream)', async () => {
    const chunks = await replicate.chat.completions.create({
      model: CHAT_MODEL,
      messages: [{ role: 'user', content: 'Hi!' }],
      max_tokens: 8,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage = false;
    for await (const chunk of chunks) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = true;
    }
    assert(text.length > 0, 'the chunks carried text');
    assert(usage, 'a usage chunk came last');
  });

  await check('webhook sign + verify', async () => {
    const secret = fake.webhooks.secret;
    const body = JSON.stringify(DELIVERY);
    const headers = await webhooks.signWebhook({ body, secret });
    const request = new Request('https://example.com/hooks/replicate', { method: 'POST', body, headers });
    const verified = await webhooks.verifyWebhook(request, { secret });
    assert(verified.id === DELIVERY.id, `the verified prediction is ${DELIVERY.id}, got ${verified.id}`);
    const tampered = body.replace('"succeeded"', '"failed"');
    const reason = await webhooks.verifyWebhook({ body: tampered, headers }, { secret }).then(
      () => 'verified',
      (error: unknown) =>
        error instanceof webhooks.WebhookVerificationError ? error.reason : describe(error),
    );
    assert(reason === 'signature-mismatch', `a tampered body is a signature-mismatch, got ${reason}`);
  });

  await check('cost', async () => {
    const prediction = await replicate.runPrediction(CHAT_MODEL, { input: { prompt: 'Hi', max_tokens: 8 } });
    // the estimator counts tokens the metrics leave out (replikit/pricing bundles none of its own)
    const cost = pricing.calculateCost(prediction, { estimator: tokens.tokenEstimator });
    assert(cost.currency === 'USD' && cost.total > 0, `a positive USD cost: ${show(cost)}`);
    const counted = pricing.estimateCost(CHAT_MODEL, { prompt: 'Hi', estimator: tokens.tokenEstimator });
    const hi = tokens.estimateTokens('Hi', { model: CHAT_MODEL });
    assert(counted.breakdown[0]?.quantity === hi, `"Hi" is ${hi} estimated tokens: ${show(counted)}`);
    const estimate = pricing.estimateCost(IMAGE_MODEL, { images: 4 });
    assert(estimate.total === 0.012, `4 flux-schnell images cost 0.012, got ${estimate.total}`);
  });

  await check('estimateTokens', () => {
    const count = tokens.estimateTokens('The quick brown fox jumps over the lazy dog.', {
      model: CHAT_MODEL,
    });
    assert(Number.isInteger(count) && count >= 8 && count <= 12, `about 10 tokens, got ${count}`);
  });

  await fake.close();
  return { ok: checks.every((c) => c.ok), checks };
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function show(value: unknown): string {
  try {
    return JSON.stringify(value)?.slice(0, 200) ?? String(value);
  } catch {
    return String(value);
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${error.cause.name}: ${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`;
}
