import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Replicate, type ReplicateOptions } from 'replikit';
import { createFakeReplicate, textModel } from 'replikit/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * 2,000 runs started at once through the fake (half waiting on the create, half polling), with a client-side rate limit and a pool of four keys, under
 * fake timers. Several rounds on the same client (a fresh fake each, so the fake's own memory is not counted):
 * after two rounds of warm-up the heap must stay where it is.
 */

const RUNS = Number(process.env.LOAD_RUNS ?? 2_000);
const ROUNDS = Math.max(3, Number(process.env.LOAD_ROUNDS ?? 4));
const CREATES_PER_MINUTE = 600;
const BURST = 10;
const KEYS = [
  'r8_load_key_a_000000000000000000000000',
  'r8_load_key_b_111111111111111111111111',
  'r8_load_key_c_222222222222222222222222',
  'r8_load_key_d_333333333333333333333333',
];
const WEIGHTS = [3, 1, 1, 1];
const NOW = new Date('2025-06-01T00:00:00Z').getTime();

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapMb = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

beforeEach(() => {
  // Timers and Date only: performance.now() stays real for the wall time.
  vi.useFakeTimers({
    now: NOW,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
});
afterEach(() => {
  vi.useRealTimers();
});

interface Round {
  completed: number;
  wrong: number;
  failed: string[];
  creates: number;
  gets: number;
  duplicates: number;
  throttled: number;
  /** Creates per minute between the end of the burst and the last create. */
  sustainedPerMinute: number;
  fakeSeconds: number;
  byKey: Map<string, number>;
}

describe('load', () => {
  it(`${RUNS} concurrent runs with a rate limit and a key pool`, { timeout: 600_000 }, async ({ task }) => {
    // The fake enforces Replicate's own limits per request, so a client that outran its limit would see 429s.
    let fake = createFakeReplicate();
    const route: typeof fetch = (input, init) => fake.fetch(input, init);
    const byKey = new Map<string, number>();
    const counting = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      if (request.method === 'POST') {
        const key = request.headers.get('authorization')?.replace('Bearer ', '') ?? 'none';
        byKey.set(key, (byKey.get(key) ?? 0) + 1);
      }
      return route(request);
    }) as typeof fetch;
    const options: ReplicateOptions = {
      fetch: counting,
      auth: KEYS.map((token, index) => ({ token, weight: WEIGHTS[index] })),
      rateLimit: { createsPerMinute: CREATES_PER_MINUTE, requestsPerMinute: 3_000, burst: BURST },
    };
    const replicate = new Replicate(options);

    const round = async (): Promise<Round> => {
      fake = createFakeReplicate({
        presets: false,
        auth: KEYS,
        models: {
          'acme/echo': textModel({ respond: (input) => String(input.prompt), tokenDelay: 0, startDelay: 0 }),
        },
      });
      byKey.clear();
      const started = Date.now();
      const prompts = Array.from({ length: RUNS }, (_, index) => `load ${index} ${started}`);
      const results: Array<{ output?: string[]; error?: unknown }> = [];
      let settled = 0;
      prompts.forEach((prompt, index) => {
        // Half wait on the create (Prefer: wait), half poll: GETs go through the pool and the limiter too.
        const waiting = index % 2 === 0 ? {} : { wait: false as const, useStream: false };
        replicate.run<string[]>('acme/echo', { input: { prompt }, ...waiting }).then(
          (output) => {
            results[index] = { output };
            settled++;
          },
          (error: unknown) => {
            results[index] = { error };
            settled++;
          },
        );
      });
      for (let spent = 0; settled < RUNS; spent += 1_000) {
        if (spent > 30 * 60_000)
          throw new Error(`only ${settled} of ${RUNS} runs settled in 30 min of fake time`);
        await vi.advanceTimersByTimeAsync(1_000);
      }
      const creates = fake.requests.filter((request) => request.operation === 'models.predictions.create');
      const accepted = creates.filter((request) => request.status === 201);
      const perPrompt = new Map<string, number>();
      for (const prediction of fake.predictions.list()) {
        const prompt = String((prediction.input as { prompt: string }).prompt);
        perPrompt.set(prompt, (perPrompt.get(prompt) ?? 0) + 1);
      }
      const afterBurst = accepted.slice(BURST);
      const span = afterBurst.at(-1)!.time - accepted[BURST - 1]!.time;
      const summary: Round = {
        completed: results.filter((result, index) => result.output?.join('') === prompts[index]).length,
        wrong: results.filter((result, index) => result.output && result.output.join('') !== prompts[index])
          .length,
        failed: results
          .filter((result) => result.error !== undefined)
          .map((result) => String(result.error))
          .slice(0, 5),
        creates: creates.length,
        gets: fake.requests.filter((request) => request.operation === 'predictions.get').length,
        duplicates: [...perPrompt.values()].reduce((sum, count) => sum + Math.max(0, count - 1), 0),
        throttled: fake.requests.filter((request) => request.status === 429).length,
        sustainedPerMinute: (afterBurst.length / span) * 60_000,
        fakeSeconds: (Date.now() - started) / 1000,
        byKey: new Map(byKey),
      };
      await fake.close();
      return summary;
    };

    const realStart = performance.now();
    const heaps: number[] = [];
    const rounds: Round[] = [];
    for (let index = 0; index < ROUNDS; index++) {
      rounds.push(await round());
      heaps.push(heapMb());
    }
    const realSeconds = (performance.now() - realStart) / 1000;
    const first = rounds[0]!;
    // Rounds 1 and 2 warm up (compiled code, caches); from then on the heap must stay put.
    const baseline = heaps[1]!;
    const final = heaps.at(-1)!;

    for (const result of rounds) {
      expect(result.failed).toEqual([]);
      expect(result.completed).toBe(RUNS);
      expect(result.wrong).toBe(0);
      expect(result.duplicates).toBe(0);
      expect(result.creates).toBe(RUNS);
      expect(result.throttled).toBe(0);
      expect(
        Math.abs(result.sustainedPerMinute - CREATES_PER_MINUTE) / CREATES_PER_MINUTE,
      ).toBeLessThanOrEqual(0.1);
    }
    const shares = KEYS.map((key) => (first.byKey.get(key) ?? 0) / RUNS);
    // Weights 3:1:1:1 give the first key half of the creates.
    expect(shares[0]).toBeCloseTo(0.5, 1);
    const growth = final - baseline;
    // A leak of even 1 KB per run would add 2 MB a round.
    expect(growth).toBeLessThan(2 * (ROUNDS - 2));

    task.meta.figures = {
      'runs per round (all started at once)': RUNS,
      rounds: ROUNDS,
      'completed with the right output': rounds.map((result) => result.completed).join(' / '),
      'creates sent': first.creates,
      'polls sent': first.gets,
      'duplicates created': rounds.reduce((sum, result) => sum + result.duplicates, 0),
      '429s met': rounds.reduce((sum, result) => sum + result.throttled, 0),
      'configured creates per minute': `${CREATES_PER_MINUTE} (burst ${BURST})`,
      'measured creates per minute after the burst': first.sustainedPerMinute.toFixed(1),
      'deviation from the limit': `${((first.sustainedPerMinute / CREATES_PER_MINUTE - 1) * 100).toFixed(2)} %`,
      'fake time per round (s)': first.fakeSeconds,
      'key shares (weights 3:1:1:1)': shares.map((share) => `${(share * 100).toFixed(1)} %`).join(', '),
      'heap after each round (MB)': heaps.map((heap) => heap.toFixed(1)).join(', '),
      [`heap growth, rounds 3 to ${ROUNDS} (MB)`]: growth.toFixed(2),
      [`wall time, ${ROUNDS} rounds (s)`]: realSeconds.toFixed(1),
    };
  });
});
