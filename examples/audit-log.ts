// An audit log of every call replikit makes: one JSON line per request (key fingerprint, never the key),
// its outcome and timing, and per prediction the tokens and cost. Also shows a key pool, a rate limit and a
// chat fallback. Against the embedded fake Replicate unless REPLICATE_API_TOKEN is set (comma-separate
// several keys to use them as a pool).
import { appendFile } from 'node:fs/promises';
import { Replicate } from 'replikit';
import { withCost } from 'replikit/pricing';
import { createFakeReplicate } from 'replikit/testing';
import { tokenEstimator } from 'replikit/tokens';

const LOG = process.env.AUDIT_LOG ?? 'audit.jsonl';
const keys = process.env.REPLICATE_API_TOKEN?.split(',').filter(Boolean) ?? [];
const fake = keys.length > 0 ? undefined : createFakeReplicate();

/** Writes one line; hooks are not awaited, and a failed write is reported here, never to the caller. */
function audit(entry: Record<string, unknown>): void {
  const line = `${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`;
  appendFile(LOG, line).catch((error: unknown) => console.error('audit log write failed:', error));
}

const replicate = new Replicate({
  ...(fake
    ? { auth: ['r8_fake_key_number_one_0001', 'r8_fake_key_number_two_0002'], fetch: fake.fetch }
    : { auth: keys }),
  rateLimit: { createsPerMinute: 600, requestsPerMinute: 3000 },
  fallback: ['mistralai/mistral-7b-instruct-v0.2'],
  onRequest: ({ id, method, url, kind, model, headers }) =>
    audit({ event: 'request', id, method, url, kind, model, key: headers.authorization }),
  onResponse: ({ request, status, predictionId, requestId, durationMs, queuedMs, attempts }) =>
    audit({
      event: 'response',
      id: request.id,
      status,
      predictionId,
      requestId,
      durationMs,
      queuedMs,
      attempts,
    }),
  onError: ({ request, error, status, durationMs, attempts }) =>
    audit({ event: 'error', id: request.id, status, error: String(error), durationMs, attempts }),
  onUsage: withCost(
    (usage) =>
      audit({
        event: 'usage',
        model: usage.model,
        predictionId: usage.predictionId,
        status: usage.status,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        usd: usage.cost?.totalExact,
        costError: usage.costError?.message,
      }),
    { estimator: tokenEstimator }, // counts the tokens of a prediction whose metrics report none
  ),
});

const completion = await replicate.chat.completions.create({
  model: 'meta/meta-llama-3-8b-instruct',
  messages: [{ role: 'user', content: 'Name three rivers.' }],
  max_tokens: 40,
});
console.log(`${completion.model}: ${completion.choices[0]?.message.content}`);
await replicate.run('black-forest-labs/flux-schnell', { input: { prompt: 'a heron at dawn' } });
console.log(`audit trail appended to ${LOG}`);
await fake?.close();
