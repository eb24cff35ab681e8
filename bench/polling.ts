/**
 * Requests per prediction and completion lag for predictions of 1 s, 30 s, 90 s and 10 min, replikit's
 * `run` against the official client, on virtual time (`lib/virtual-time.ts`): the fake runs in process
 * on its system clock, the clients' real `setTimeout` polling is virtualised, so the numbers are exact
 * and a 10-minute prediction takes a moment. `node bench/polling.ts [--json]`.
 *
 * Every request travels 20–80 ms each way (seeded, so all clients get the same draws), and each stream
 * chunk 20–80 ms too: without a network delay, polls land exactly on round completion times and the lag
 * reads 0. Each case runs `REPEATS` times with different draws; the tables give the mean request count
 * and the mean and worst lag.
 *
 * Lag is the time from the prediction's completion (on the fake) to the call returning. Requests count
 * everything the client sent: creates, polls, streams.
 */
import Official from 'replicate';
import { Replicate } from 'replikit';
import { createFakeReplicate, defineModel } from 'replikit/testing';
import { num, table } from './lib/stats.ts';
import { VirtualTime } from './lib/virtual-time.ts';

export const DURATIONS = [1_000, 30_000, 90_000, 600_000];
const REPEATS = 5;

export interface PollingRow {
  client: string;
  /** Milliseconds the prediction runs (created → completed). */
  duration: number;
  /** Mean over the repeats. */
  requests: number;
  /** `creates/polls/streams` as counted by the fake, of the last repeat. */
  breakdown: string;
  /** Mean ms from completion to the call returning; negative when it returned before completion. */
  lag: number;
  /** Worst lag of the repeats. */
  maxLag: number;
  /** Status of the prediction when the call returned (last repeat). */
  status: string;
}

/** A `fetch` whose requests, responses and response chunks each take 20–80 ms on the (virtual) clock. */
function withLatency(fetch: typeof globalThis.fetch, seed: { value: number }): typeof globalThis.fetch {
  const delay = () => {
    seed.value = (seed.value * 1103515245 + 12345) % 2147483648;
    const ms = 20 + (seed.value % 61);
    return new Promise<void>((resolve) => setTimeout(resolve, ms));
  };
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    await delay();
    const response = await fetch(input, init);
    await delay();
    if (!response.body) return response;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        async transform(chunk, controller) {
          await delay();
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, { status: response.status, headers: response.headers });
  }) as typeof globalThis.fetch;
}

/** A model that runs `input.ms` milliseconds and succeeds; `streams` gives it `urls.stream`. */
const timed = (streams: boolean) =>
  defineModel({
    streams,
    startDelay: 0,
    run: (input) => ({
      steps: [],
      duration: Number(input.ms),
      result: { status: 'succeeded', output: 'done' },
    }),
  });

export async function measurePolling(): Promise<PollingRow[]> {
  const time = new VirtualTime();
  time.install();
  try {
    const fake = createFakeReplicate({
      rateLimit: false,
      presets: false,
      models: { 'bench/streaming': timed(true), 'bench/polled': timed(false) },
    });
    const seed = { value: 1 };
    const fetch = withLatency(fake.fetch, seed);
    const replikit = new Replicate({ auth: 'bench', fetch });
    const official = new Official({ auth: 'bench', fetch });
    const clients: Array<[string, (ms: number) => Promise<unknown>]> = [
      ['replikit `run`, model with a stream', (ms) => replikit.run('bench/streaming', { input: { ms } })],
      ['replikit `run`, model without a stream', (ms) => replikit.run('bench/polled', { input: { ms } })],
      [
        'official `run`, `wait: { mode: "poll" }` (500 ms polls)',
        (ms) => official.run('bench/polled', { input: { ms }, wait: { mode: 'poll' } }),
      ],
      ['official `run`, default (`Prefer: wait`)', (ms) => official.run('bench/polled', { input: { ms } })],
    ];
    const rows: PollingRow[] = [];
    for (const [client, call] of clients) {
      for (const duration of DURATIONS) {
        const requests: number[] = [];
        const lags: number[] = [];
        let breakdown = '';
        let status = '';
        for (let repeat = 0; repeat < REPEATS; repeat++) {
          seed.value = 1 + repeat * 7919; // the same draws for every client
          const before = fake.requests.length;
          await time.run(() => call(duration));
          const returned = Date.now();
          const sent = fake.requests.slice(before);
          const prediction = fake.predictions.list()[0]!;
          const count = (test: (operation: string) => boolean) =>
            sent.filter((r) => test(r.operation)).length;
          requests.push(sent.length);
          lags.push(returned - (Date.parse(prediction.created_at!) + duration));
          breakdown = `${count((op) => op.endsWith('.create'))}/${count((op) => op.endsWith('.get'))}/${count((op) => op === 'stream')}`;
          status = prediction.status;
          // Let the clock pass the end of a prediction a client left running (the official default).
          await time.run(() => new Promise((resolve) => setTimeout(resolve, duration)));
        }
        const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
        rows.push({
          client,
          duration,
          requests: mean(requests),
          breakdown,
          lag: Math.round(mean(lags)),
          maxLag: Math.max(...lags),
          status,
        });
      }
    }
    await fake.close();
    return rows;
  } finally {
    time.uninstall();
  }
}

export function durationLabel(ms: number): string {
  return ms > 90_000 ? `${ms / 60_000} min` : `${ms / 1000} s`;
}

export function pollingTable(rows: readonly PollingRow[]): string {
  return table(
    ['client', ...DURATIONS.map(durationLabel)],
    [...new Set(rows.map((row) => row.client))].map((client) => [
      client,
      ...DURATIONS.map((duration) => {
        const row = rows.find((r) => r.client === client && r.duration === duration)!;
        const lag =
          row.lag < 0
            ? `returns ${(-row.lag / 1000).toFixed(0)} s early, \`${row.status}\``
            : `lag ${row.lag} ms (≤ ${row.maxLag})`;
        return `${num(row.requests, Number.isInteger(row.requests) ? 0 : 1)} (${row.breakdown}), ${lag}`;
      }),
    ]),
  );
}

if (import.meta.main) {
  const rows = await measurePolling();
  if (process.argv.includes('--json')) console.log(JSON.stringify(rows));
  else console.log(`requests (creates/polls/streams), lag\n\n${pollingTable(rows)}`);
}
