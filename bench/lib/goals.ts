/** The goals of issue 7 that `bench/run.ts` reports as met or missed, and the figures they and the report read. */
import type { HeapResult } from '../heap.ts';
import { DURATIONS, type PollingRow } from '../polling.ts';
import type { RunResult } from './run-overhead.ts';
import { num, ratio } from './stats.ts';
import type { StreamResult } from './stream-clients.ts';

export interface Goal {
  goal: string;
  measured: string;
  met: boolean;
}

/** Everything `bench/run.ts` measured. */
export interface ReportParts {
  run: RunResult[];
  cpu: RunResult[];
  stream: { results: StreamResult[]; bytes: number; ceiling: number };
  chat: StreamResult[];
  polling: PollingRow[];
  imports: Array<{ entry: string; ms: number }>;
  heap: HeapResult[];
  seconds: number;
}

/** The rows and numbers the goals and the report quote, picked out of the results. */
export function figures(parts: ReportParts) {
  const { run, cpu, stream, chat, polling, imports, heap } = parts;
  const [plain, ours, theirs] = run;
  const byClient = (rows: StreamResult[], prefix: string) =>
    rows.find((row) => row.client.startsWith(prefix))!;
  const bare = byClient(stream.results, 'bare');
  const streamOurs = byClient(stream.results, 'replikit');
  const streamTheirs = byClient(stream.results, 'official');
  const [chatPlain, chatAdapter] = chat;
  const pollRow = (prefix: string, duration: number) =>
    polling.find((row) => row.client.startsWith(prefix) && row.duration === duration)!;
  const tenMinutes = DURATIONS.at(-1)!;
  const officialPolls = pollRow('official `run`, `wait', tenMinutes);
  const withStream = pollRow('replikit `run`, model with a stream', tenMinutes);
  const withoutStream = pollRow('replikit `run`, model without', tenMinutes);
  const chatHeap = heap[0]!;
  const pipeline = byClient(stream.results, 'eventsource-parser pipeline');
  const cpuOurs = cpu.find((row) => row.client.startsWith('replikit'))!;
  const importOf = (entry: string) => imports.find((row) => row.entry === entry)?.ms ?? Number.NaN;
  const mb = (value: number) => `${value.toFixed(1)} MB`;
  return {
    plain,
    ours,
    theirs,
    bare,
    streamOurs,
    streamTheirs,
    chatPlain,
    chatAdapter,
    officialPolls,
    withStream,
    withoutStream,
    chatHeap,
    pipeline,
    cpuOurs,
    importOf,
    mb,
  };
}

export type Figures = ReturnType<typeof figures>;

export function goalsOf(figures: Figures): Goal[] {
  const {
    plain,
    ours,
    theirs,
    bare,
    streamOurs,
    streamTheirs,
    officialPolls,
    withStream,
    withoutStream,
    chatHeap,
    mb,
  } = figures;
  const goals: Goal[] = [
    {
      goal: '`run` overhead ≤ 1.15× plain `fetch`',
      measured: `${ratio(ours!.perCall / plain!.perCall)} (${num(ours!.perCall)} vs ${num(plain!.perCall)} µs a call)`,
      met: ours!.perCall / plain!.perCall <= 1.15,
    },
    {
      goal: '`run` no slower than the official client',
      measured: `${ratio(ours!.perCall / theirs!.perCall)} of the official client's time (${num(theirs!.perCall)} µs)`,
      met: ours!.perCall <= theirs!.perCall,
    },
    {
      goal: '`stream` throughput ≥ the official client',
      measured: `${ratio(streamOurs.tokensPerSecond / streamTheirs.tokensPerSecond)} (${num(streamOurs.tokensPerSecond)} vs ${num(streamTheirs.tokensPerSecond)} tokens/s)`,
      met: streamOurs.tokensPerSecond >= streamTheirs.tokensPerSecond,
    },
    {
      goal: '`stream` throughput ≥ 0.8× bare eventsource-parser',
      measured: `${ratio(streamOurs.tokensPerSecond / bare.tokensPerSecond)} (bare: ${num(bare.tokensPerSecond)} tokens/s)`,
      met: streamOurs.tokensPerSecond >= 0.8 * bare.tokensPerSecond,
    },
    {
      goal: '10-min prediction: ≤ 1/20 of the official client’s requests, lag ≤ 1 s (model with a stream)',
      measured: `${num(withStream.requests)} vs ${num(officialPolls.requests)} requests (1/${num(officialPolls.requests / withStream.requests)}), lag ≤ ${withStream.maxLag} ms`,
      met: withStream.requests <= officialPolls.requests / 20 && withStream.maxLag <= 1000,
    },
    {
      goal: 'the same, model without a stream (polling)',
      measured: `${num(withoutStream.requests)} vs ${num(officialPolls.requests)} requests (1/${num(officialPolls.requests / withoutStream.requests, 1)}), lag ≤ ${withoutStream.maxLag} ms`,
      met: withoutStream.requests <= officialPolls.requests / 20 && withoutStream.maxLag <= 1000,
    },
    {
      goal: 'heap growth < 5 MB streaming 1M tokens through the chat adapter',
      measured: `${mb(chatHeap.total)} (largest sample after GC minus the one before the request)`,
      met: chatHeap.total < 5,
    },
  ];
  return goals;
}
