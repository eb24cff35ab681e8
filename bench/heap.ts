/**
 * Heap while streaming 1M tokens through the chat adapter (and, for reference, through `replicate.stream`):
 * `node --expose-gc bench/heap.ts <baseUrl> [tokens]`, against `lib/fake-server.ts`. After a forced GC,
 * `heapUsed` is sampled before the request and every 50k tokens; growth is the largest sample minus the
 * one taken after the first 50k tokens (connection, parser and caches warmed up), and `total` is the
 * largest sample minus the one before the request. Prints JSON.
 */
import { Replicate } from 'replikit';

export interface HeapResult {
  path: string;
  tokens: number;
  /** MB, the samples after GC: before the request, then every 50k tokens. */
  samples: number[];
  /** MB: max(samples after the first 50k) − the sample at 50k. */
  growth: number;
  /** MB: max(samples) − the sample before the request. */
  total: number;
}

const STEP = 50_000;
const MB = 1024 * 1024;

function heap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / MB;
}

async function sampled(
  path: string,
  tokens: number,
  deltas: () => AsyncIterable<string>,
): Promise<HeapResult> {
  const samples = [heap()];
  let count = 0;
  for await (const delta of deltas()) {
    if (delta.length === 0) continue;
    count++;
    if (count % STEP === 0) samples.push(heap());
  }
  if (count !== tokens) throw new Error(`${path}: expected ${tokens} tokens, got ${count}`);
  const warmed = samples[1] ?? samples[0]!;
  return {
    path,
    tokens,
    samples: samples.map((value) => Math.round(value * 10) / 10),
    growth: Math.max(...samples.slice(1)) - warmed,
    total: Math.max(...samples) - samples[0]!,
  };
}

export async function measureHeap(baseUrl: string, tokens: number): Promise<HeapResult[]> {
  if (typeof (globalThis as { gc?: unknown }).gc !== 'function') throw new Error('run with --expose-gc');
  const replicate = new Replicate({ auth: 'bench', baseUrl });
  const model = 'meta/meta-llama-3-8b-instruct';
  // Warm up both paths (modules, connection pool, the chat adapter's schema lookup).
  for await (const _ of await replicate.chat.completions.create({
    model,
    messages: [{ role: 'user', content: 'Hi' }],
    max_tokens: 10,
    stream: true,
  })) {
  }
  for await (const _ of replicate.stream(model, { input: { prompt: 'Hi', max_tokens: 10 } })) {
  }
  const chat = await sampled(
    'chat adapter (`chat.completions.create`, `stream: true`)',
    tokens,
    async function* () {
      const stream = await replicate.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'Write a long story.' }],
        max_tokens: tokens,
        stream: true,
      });
      for await (const chunk of stream) yield chunk.choices[0]?.delta.content ?? '';
    },
  );
  const plain = await sampled('`replicate.stream`', tokens, async function* () {
    for await (const event of replicate.stream(model, {
      input: { prompt: 'Write a long story.', max_tokens: tokens },
    })) {
      if (event.type === 'output') yield event.data;
    }
  });
  return [chat, plain];
}

if (import.meta.main) {
  const [baseUrl, tokens = '1000000'] = process.argv.slice(2);
  if (!baseUrl) throw new Error('usage: node --expose-gc bench/heap.ts <baseUrl> [tokens]');
  console.log(JSON.stringify(await measureHeap(baseUrl, Number(tokens))));
}
