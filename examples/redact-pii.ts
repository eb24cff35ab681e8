// Redact personal data from every model input before it leaves the process. `transformInput` sees each
// prediction create's input (chat prompts included, as rendered for the model) and is awaited; if it throws,
// the call fails and nothing is sent. Against the embedded fake Replicate unless REPLICATE_API_TOKEN is set.
import { Replicate } from 'replikit';
import { createFakeReplicate } from 'replikit/testing';

const fake = process.env.REPLICATE_API_TOKEN ? undefined : createFakeReplicate();

const PATTERNS: Array<[RegExp, string]> = [
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]'],
  [/\+?\d[\d ()-]{7,}\d/g, '[phone]'],
  [/\b\d{4}[ -]?\d{4}[ -]?\d{4}[ -]?\d{4}\b/g, '[card]'],
];

/** Every string in a value, however deeply nested, with the patterns replaced. */
function redact(value: unknown): unknown {
  if (typeof value === 'string')
    return PATTERNS.reduce((text, [pattern, label]) => text.replace(pattern, label), value);
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item)]));
  }
  return value;
}

const replicate = new Replicate({
  ...(fake ? { auth: 'demo', fetch: fake.fetch } : {}),
  transformInput: (input, { model }) => {
    const clean = redact(input) as Record<string, unknown>;
    if (JSON.stringify(clean) !== JSON.stringify(input)) console.log(`redacted the input for ${model}`);
    return clean;
  },
  // what actually left the process, for the record
  onRequest: ({ kind, body }) => {
    if (kind === 'create') console.log('sent:', JSON.stringify(body));
  },
});

const completion = await replicate.chat.completions.create({
  model: 'meta/meta-llama-3-8b-instruct',
  messages: [{ role: 'user', content: 'Draft a reply to ada@example.com, phone +44 20 7946 0958.' }],
  max_tokens: 30,
});
console.log(completion.choices[0]?.message.content);
await fake?.close();
