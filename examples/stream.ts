// Stream a language model's tokens as they are generated.
import { Replicate, StreamError } from 'replikit';

const replicate = new Replicate();
const controller = new AbortController();
setTimeout(() => controller.abort(), 30_000); // give up (and cancel the prediction) after 30 s

try {
  for await (const event of replicate.stream('meta/meta-llama-3-8b-instruct', {
    input: { prompt: 'Write a haiku about HTTP retries.', max_tokens: 128 },
    signal: controller.signal,
  })) {
    if (event.type === 'output') process.stdout.write(event.data);
    if (event.type === 'done') console.log(event.reason ? `\n(ended: ${event.reason})` : '\n');
  }
} catch (error) {
  if (error instanceof StreamError) console.error(`stream failed (${error.reason}):`, error.message);
  else throw error;
}
