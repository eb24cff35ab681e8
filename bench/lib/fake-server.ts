/**
 * The fake Replicate the benchmarks run against, in its own process so that its work is not timed as the
 * client's: `node bench/lib/fake-server.ts` prints `{"baseUrl": …}` on its first line and serves until
 * its stdin closes (or SIGTERM). Rate limiting is off; every model starts at once unless said otherwise.
 *
 * - `bench/instant`: succeeds at creation (`Prefer: wait` returns it finished), output `["Hello", " world"]`.
 * - `bench/tokens`: a language model that streams `max_tokens` tokens (up to 1M) all at once, 250 ms after
 *   creation, so the create answers `starting` without output, as Replicate does. (The fake dates a
 *   prediction from the start of the create, and planning 100k tokens takes a while: a shorter start would
 *   have it finished before the create answers, which the chat adapter rightly treats as nothing to stream.)
 * - `bench/chat`: the Llama 3 preset's schema with `bench/tokens`'s run, for the chat adapter.
 * - `meta/meta-llama-3-8b-instruct`: the same, starting after 5 s, for 1M tokens (the heap benchmark).
 */
import { createFakeReplicate, defineModel, presetModels, textModel } from 'replikit/testing';
import { benchTokens } from './tokens-text.ts';

const MAX_TOKENS = 1_000_000;
const chunks = benchTokens(MAX_TOKENS);
const tokens = textModel({ respond: () => chunks, tokenDelay: 0, firstTokenDelay: 0, startDelay: 250 });
const llama = presetModels()['meta/meta-llama-3-8b-instruct']!;

const fake = createFakeReplicate({
  rateLimit: false,
  models: {
    'bench/instant': defineModel({
      startDelay: 0,
      run: () => ({ steps: [], duration: 0, result: { status: 'succeeded', output: ['Hello', ' world'] } }),
    }),
    'bench/tokens': tokens,
    'bench/chat': { ...llama, official: false, startDelay: 250, run: tokens.run },
    'meta/meta-llama-3-8b-instruct': { ...llama, startDelay: 5_000, run: tokens.run },
  },
});
const server = await fake.listen({ port: 0 });
process.stdout.write(`${JSON.stringify({ baseUrl: server.baseUrl })}\n`);

const stop = async () => {
  await fake.close();
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
