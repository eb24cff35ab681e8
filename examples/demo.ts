// The replikit tour: a streamed chat completion, an image model with a progress bar, a verified webhook,
// a prediction list, then the tokens and cost of everything that ran. Against the embedded fake Replicate
// unless REPLICATE_API_TOKEN is set (then against the real API, which costs a few cents).
import { Replicate } from 'replikit';
import { calculateCost, type PredictionUsageWithCost, withCost } from 'replikit/pricing';
import { createFakeReplicate } from 'replikit/testing';
import { estimateTokens, tokenEstimator } from 'replikit/tokens';
import { signWebhook, verifyWebhook } from 'replikit/webhooks';

const CHAT_MODEL = 'meta/meta-llama-3-8b-instruct';
const IMAGE_MODEL = 'black-forest-labs/flux-schnell';
const real = Boolean(process.env.REPLICATE_API_TOKEN);
const deliveries: Request[] = [];
const fake = real
  ? undefined
  : createFakeReplicate({ onWebhook: (request) => void deliveries.push(request) });
const spend: PredictionUsageWithCost[] = [];
const replicate = new Replicate({
  ...(fake ? { auth: 'demo', fetch: fake.fetch } : {}),
  onUsage: withCost((usage) => void spend.push(usage), { estimator: tokenEstimator }),
});
const title = (text: string) => console.log(`\n\x1b[1m${text}\x1b[0m`);

console.log(
  real
    ? 'Using the real Replicate API.'
    : 'Using the embedded fake Replicate (set REPLICATE_API_TOKEN for the real API).',
);

title(`1. A streamed chat completion (${CHAT_MODEL})`);
const stream = await replicate.chat.completions.create({
  model: CHAT_MODEL,
  messages: [
    { role: 'system', content: 'You answer in one sentence.' },
    { role: 'user', content: 'Why should HTTP clients retry with jitter?' },
  ],
  max_tokens: 60,
  stream: true,
  stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  process.stdout.write(chunk.choices[0]?.delta.content ?? '');
  if (chunk.usage) {
    const { prompt_tokens, completion_tokens, estimated } = chunk.usage;
    console.log(
      `\n  usage: ${prompt_tokens} prompt + ${completion_tokens} completion tokens${estimated ? ' (estimated)' : ''}`,
    );
  }
}

title(`2. An image model with a progress bar (${IMAGE_MODEL})`);
const image = await replicate.runPrediction(IMAGE_MODEL, {
  input: { prompt: 'a lighthouse at dusk, watercolor', num_outputs: 2 },
  onProgress: ({ status, fraction }) => {
    const bar =
      fraction === undefined
        ? ''
        : `[${'#'.repeat(Math.round(fraction * 20)).padEnd(20, '.')}] ${Math.round(fraction * 100)}%`;
    process.stdout.write(`\r  ${status.padEnd(10)} ${bar}`);
  },
});
console.log(`\n  ${image.status}: ${JSON.stringify(image.output)}`);

title('3. A webhook delivery, verified');
if (fake) {
  await replicate.predictions.create({
    model: CHAT_MODEL,
    input: { prompt: 'Say hi', max_tokens: 8 },
    webhook: 'https://example.com/replicate-webhook',
    webhookEventsFilter: ['completed'],
    wait: 60,
  });
  // The fake delivers `completed` a moment after the prediction ends, as Replicate does.
  for (let waited = 0; deliveries.length === 0 && waited < 5000; waited += 20)
    await new Promise((r) => setTimeout(r, 20));
  for (const delivery of deliveries) {
    const prediction = await verifyWebhook(delivery, { secret: fake.webhooks.secret });
    console.log(
      `  verified ${delivery.headers.get('webhook-id')}: prediction ${prediction.id} ${prediction.status}`,
    );
  }
} else {
  // A live delivery needs a public URL; sign a body with the account's real secret and verify that instead.
  const { key } = await replicate.webhooks.default.secret.get();
  const body = JSON.stringify(image);
  const headers = await signWebhook({ body, secret: key });
  const prediction = await verifyWebhook({ body, headers }, { secret: key });
  console.log(`  verified a signed delivery of prediction ${prediction.id} (${prediction.status})`);
}

title('4. Recent predictions');
for (const p of await replicate.predictions.list().toArray(5)) {
  console.log(`  ${p.id}  ${p.status.padEnd(10)} ${p.model ?? p.version}`);
}

title('5. Tokens and cost of what ran');
for (const usage of spend) {
  const tokens =
    usage.inputTokens === undefined
      ? ''
      : `${usage.inputTokens} in / ${usage.outputTokens ?? 0} out tokens, `;
  const cost = usage.cost
    ? `$${usage.cost.totalExact} (${usage.cost.basis}, per ${usage.cost.unit})`
    : 'no price';
  console.log(`  ${usage.model ?? '?'} ${usage.predictionId}: ${tokens}${usage.latencyMs} ms, ${cost}`);
}
const total = spend.reduce((sum, usage) => sum + (usage.cost?.total ?? 0), 0);
console.log(`  total ≈ $${total.toFixed(6)}; the image alone: $${calculateCost(image).totalExact}`);
const sentence =
  'Replicate bills official language models per token, counted with the model’s own tokenizer.';
console.log(`  "${sentence}" ≈ ${estimateTokens(sentence, { model: CHAT_MODEL })} Llama 3 tokens`);
fake?.close();
