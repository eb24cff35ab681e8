// OpenAI-style chat on a Replicate model: a plain completion, then a streamed one with usage.
import { Replicate, UnsupportedParameterError } from 'replikit';

const replicate = new Replicate();
const messages = [
  { role: 'system' as const, content: 'You answer in one short sentence.' },
  { role: 'user' as const, content: 'Why do HTTP clients retry with jitter?' },
];

const completion = await replicate.chat.completions.create({
  model: 'meta/meta-llama-3-8b-instruct',
  messages,
  max_tokens: 80,
  stop: ['\n\n'],
});
console.log(completion.choices[0]?.message.content, completion.usage);

const stream = await replicate.chat.completions.create({
  model: 'meta/meta-llama-3-8b-instruct',
  messages,
  stream: true,
  stream_options: { include_usage: true },
});
for await (const chunk of stream) {
  process.stdout.write(chunk.choices[0]?.delta.content ?? '');
  if (chunk.usage)
    console.log(`\n${chunk.usage.total_tokens} tokens${chunk.usage.estimated ? ' (estimated)' : ''}`);
}

try {
  await replicate.chat.completions.create({ model: 'meta/meta-llama-3-8b-instruct', messages, tools: [] });
} catch (error) {
  if (error instanceof UnsupportedParameterError) console.log(`not on Replicate: ${error.param}`);
  else throw error;
}
