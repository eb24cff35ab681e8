/** (a) of `bench/run.ts`: `run` overhead for an instant prediction, over the loopback and in process. */
import Official from 'replicate';
import { Replicate } from 'replikit';
import { AUTH, quick } from './config.ts';
import { median, rotate } from './stats.ts';

/** Warm-up calls per client before `runOverhead` times anything. */
export const WARM_UP = 1_000;

export interface RunResult {
  client: string;
  /** Median µs per call. */
  perCall: number;
}

export async function runOverhead(baseUrl: string): Promise<RunResult[]> {
  const replikit = new Replicate({ auth: AUTH, baseUrl });
  const official = new Official({ auth: AUTH, baseUrl });
  const input = { prompt: 'Hi' };
  const clients: Array<[string, () => Promise<unknown>]> = [
    [
      'plain `fetch` (POST + `Prefer: wait`, `response.json()`)',
      async () => {
        const response = await fetch(`${baseUrl}/models/bench/instant/predictions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${AUTH}`, 'content-type': 'application/json', prefer: 'wait' },
          body: JSON.stringify({ input }),
        });
        if (!response.ok) throw new Error(`fetch: ${response.status}`);
        const prediction = (await response.json()) as { status: string; output: unknown };
        if (prediction.status !== 'succeeded') throw new Error(`fetch: ${prediction.status}`);
        return prediction.output;
      },
    ],
    ['replikit `run`', () => replikit.run('bench/instant', { input })],
    ['official `run`', () => official.run('bench/instant', { input })],
  ];
  // Warm up until steady: with 200 calls each, the first rounds still ran cold code in every client (and in
  // undici): all three were ~30 % slower than in a second measurement in the same process.
  return timeClients(clients, { warmUp: WARM_UP, rounds: quick ? 5 : 15, calls: quick ? 50 : 100 });
}

/**
 * The same calls without a network: a `fetch` that answers every request with the same finished
 * prediction at once, so what is timed is each client's own work.
 */
export async function clientCpu(): Promise<RunResult[]> {
  const prediction = JSON.stringify({
    id: 'bench0000000000000000000000',
    model: 'bench/instant',
    version: 'hidden',
    input: { prompt: 'Hi' },
    logs: '',
    output: ['Hello', ' world'],
    data_removed: false,
    error: null,
    source: 'api',
    status: 'succeeded',
    created_at: '2025-01-01T00:00:00.000Z',
    started_at: '2025-01-01T00:00:00.000Z',
    completed_at: '2025-01-01T00:00:00.001Z',
    urls: {
      get: 'https://api.replicate.com/v1/predictions/bench0000000000000000000000',
      cancel: 'https://api.replicate.com/v1/predictions/bench0000000000000000000000/cancel',
      web: 'https://replicate.com/p/bench0000000000000000000000',
    },
    metrics: { predict_time: 0.001, total_time: 0.001 },
  });
  const canned = (async (input: RequestInfo | URL, init?: RequestInit) => {
    await (input instanceof Request ? input.text() : new Response(init?.body ?? null).text());
    return new Response(prediction, { status: 201, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
  const url = 'https://api.replicate.com/v1/models/bench/instant/predictions';
  const input = { prompt: 'Hi' };
  const replikit = new Replicate({ auth: AUTH, fetch: canned });
  const official = new Official({ auth: AUTH, fetch: canned });
  const clients: Array<[string, () => Promise<unknown>]> = [
    [
      'plain `fetch` (POST + `Prefer: wait`, `response.json()`)',
      async () => {
        const response = await canned(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${AUTH}`, 'content-type': 'application/json', prefer: 'wait' },
          body: JSON.stringify({ input }),
        });
        return ((await response.json()) as { output: unknown }).output;
      },
    ],
    ['replikit `run`', () => replikit.run('bench/instant', { input })],
    ['official `run`', () => official.run('bench/instant', { input })],
  ];
  return timeClients(clients, { warmUp: 500, rounds: quick ? 5 : 11, calls: 500 });
}

/**
 * Median µs a call of each client: `warmUp` calls each (interleaved), then `rounds` rounds of `calls`
 * sequential calls per client, the clients in a rotated order each round.
 */
async function timeClients(
  clients: Array<[string, () => Promise<unknown>]>,
  { warmUp, rounds, calls }: { warmUp: number; rounds: number; calls: number },
): Promise<RunResult[]> {
  for (let i = 0; i < warmUp; i++) for (const [, call] of clients) await call();
  const samples = new Map<string, number[]>(clients.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, call] of rotate(clients, round)) {
      const start = performance.now();
      for (let i = 0; i < calls; i++) await call();
      samples.get(name)!.push(((performance.now() - start) * 1000) / calls);
    }
  }
  return clients.map(([client]) => ({ client, perCall: median(samples.get(client)!) }));
}
