/** (b) stream throughput and (c) the chat adapter of `bench/run.ts`: interleaved runs of the streaming clients. */
import { Replicate } from 'replikit';
import { AUTH, OFFICIAL_BUDGET, quick, STREAM_TOKENS } from './config.ts';
import { median, rotate } from './stats.ts';
import { type StreamResult, type StreamRun, streamClients, timed } from './stream-clients.ts';

/**
 * A pause between runs. A run that keeps the event loop busy for long (the official client parses for
 * seconds without yielding) leaves keep-alive sockets the server has closed in the pool until the loop
 * gets to their close events; without this the next request can go out on one ("other side closed").
 */
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

/** A client too slow for the full stream: timed once, for `budget` ms, without a warm-up. */
interface Limited {
  name: string;
  budget: number;
}

async function compare(
  clients: Array<[string, () => AsyncIterable<unknown>]>,
  tokens: number,
  bytes: number,
  rounds: number,
  limited?: Limited,
): Promise<StreamResult[]> {
  for (const [name, deltas] of clients) {
    if (name === limited?.name) continue;
    const run = await timed(name, deltas); // warm up
    await settle();
    if (run.tokens !== tokens) throw new Error(`${name}: ${run.tokens} tokens, expected ${tokens}`);
  }
  const runs = new Map<string, StreamRun[]>(clients.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, deltas] of rotate(clients, round)) {
      if (name === limited?.name && round > 0) continue;
      runs.get(name)!.push(await timed(name, deltas, name === limited?.name ? limited.budget : undefined));
      await settle();
    }
  }
  return clients.map(([client]) => {
    const measured = runs.get(client)!;
    const body = median(measured.map((run) => run.total - run.first));
    const received = median(measured.map((run) => run.tokens));
    const result: StreamResult = {
      client,
      body,
      total: median(measured.map((run) => run.total)),
      tokensPerSecond: received / (body / 1000),
      mbPerSecond: (bytes * (received / tokens)) / 1e6 / (body / 1000),
    };
    if (received < tokens) result.partial = received;
    return result;
  });
}

export async function streamThroughput(
  baseUrl: string,
): Promise<{ results: StreamResult[]; bytes: number; ceiling: number }> {
  const { bytes: drain, clients } = streamClients(baseUrl, 'bench/tokens', STREAM_TOKENS);
  const drains: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    const read = await drain();
    bytes = read.bytes;
    drains.push(read.ms);
    await settle();
  }
  // The official client parses ~1k tokens/s here (see the notes): one run of 10 s, not 100 s a run.
  const limited = { name: 'official `stream`', budget: OFFICIAL_BUDGET };
  const results = await compare(clients, STREAM_TOKENS, bytes, quick ? 3 : 13, limited);
  return { results, bytes, ceiling: bytes / 1e6 / (median(drains) / 1000) };
}

export async function chatOverhead(baseUrl: string): Promise<StreamResult[]> {
  const replikit = new Replicate({ auth: AUTH, baseUrl });
  const model = 'bench/chat';
  const { bytes: drain } = streamClients(baseUrl, model, STREAM_TOKENS);
  const { bytes } = await drain();
  const clients: Array<[string, () => AsyncIterable<unknown>]> = [
    [
      'replikit `stream`',
      async function* () {
        const input = { prompt: 'Write a long story.', max_tokens: STREAM_TOKENS };
        for await (const event of replikit.stream(model, { input }))
          if (event.type === 'output') yield event.data;
      },
    ],
    [
      'replikit `chat.completions.create({ stream: true })`',
      async function* () {
        const stream = await replikit.chat.completions.create({
          model,
          messages: [{ role: 'user', content: 'Write a long story.' }],
          max_tokens: STREAM_TOKENS,
          stream: true,
        });
        for await (const chunk of stream) {
          const content = chunk.choices[0]?.delta.content;
          if (content) yield content;
        }
      },
    ],
  ];
  return compare(clients, STREAM_TOKENS, bytes, quick ? 3 : 13);
}
