/** BENCHMARKS.md, written by `bench/run.ts` from what it measured. */
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { pollingTable } from '../polling.ts';
import { HEAP_TOKENS, quick, root, STREAM_TOKENS } from './config.ts';
import { figures, type Goal, goalsOf, type ReportParts } from './goals.ts';
import { notes } from './notes.ts';
import { WARM_UP } from './run-overhead.ts';
import { num, ratio, table } from './stats.ts';

export function report(parts: ReportParts): { markdown: string; goals: Goal[] } {
  const { run, cpu, stream, chat, polling, imports, heap } = parts;
  const found = figures(parts);
  const { plain, streamOurs, chatPlain, chatAdapter, mb } = found;
  const goals = goalsOf(found);

  const processors = cpus();
  const lines = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\` (${new Date().toISOString().slice(0, 10)}, ${parts.seconds} s${quick ? ', `--quick`' : ''}):`,
    `Node ${process.version}, ${processors.length} × ${processors[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB;`,
    `replikit ${readVersion('replikit')}, official \`replicate\` ${readVersion('replicate')}, eventsource-parser ${readVersion('eventsource-parser')}.`,
    'Everything runs against one fake Replicate server (`replikit/testing`, `fake.listen()` on 127.0.0.1) in its own',
    'process, so the clients are timed without the server’s work; medians of interleaved repeats (each round runs',
    'the clients in a rotated order). The numbers move by ±10 % between runs on a shared 2-core machine: read the',
    'ratios, not the absolute times.',
    '',
    '```sh',
    'npm run bench                               # everything below, rewrites this file (about 2 minutes)',
    'node bench/run.ts --quick --no-write        # fewer repeats, print only (after `npx tsup`)',
    'node bench/polling.ts                       # the requests-per-prediction table alone (virtual time)',
    'node --expose-gc bench/heap.ts <baseUrl>    # the heap samples alone, against `node bench/lib/fake-server.ts`',
    'npm run size                                # bundle sizes and budgets (README "Size")',
    '```',
    '',
    '## Goals (issue 7)',
    '',
    table(
      ['goal', 'measured', ''],
      goals.map((goal) => [goal.goal, goal.measured, goal.met ? 'met' : '**missed**']),
      '--- | --- | ---',
    ),
    '',
    '## `run` overhead, instant prediction',
    '',
    'A model that has succeeded when the create answers (`Prefer: wait`), output `["Hello", " world"]`. Per call:',
    'the create request, the response parsed (replikit also validates it with zod and wraps file outputs), the',
    `output returned. ${quick ? 5 : 15} rounds of ${quick ? 50 : 100} sequential calls per client after ${num(WARM_UP)} interleaved warm-up calls each; keep-alive`,
    'connections (Node’s `fetch` for all three).',
    '',
    table(
      ['client', 'µs per call (median)', 'vs plain fetch'],
      run.map((row) => [row.client, num(row.perCall), ratio(row.perCall / plain!.perCall)]),
    ),
    '',
    'The same calls in process, with a `fetch` that answers at once with the finished prediction: the time',
    'each client spends on its own work. replikit’s covers the model reference, the retry and timeout set-up',
    'of its HTTP core (on bare `fetch`; the earlier one on ky took about 200 µs a request here), zod validation of the',
    'prediction, the lifecycle and file-output wrapping.',
    '',
    table(
      ['client', 'µs per call (median)', 'vs plain fetch'],
      cpu.map((row) => [row.client, num(row.perCall), ratio(row.perCall / cpu[0]!.perCall)]),
    ),
    '',
    `## \`stream\` throughput, ${num(STREAM_TOKENS)} tokens`,
    '',
    `One prediction streaming ${num(STREAM_TOKENS)} tokens (${(stream.bytes / 1e6).toFixed(1)} MB of server-sent events, \`output\` events`,
    'with `id`s as Replicate sends them). The server has every event ready when the model starts (250 ms after',
    'the create), so the time from the first token to `done` is the client’s parsing speed; every client also',
    'creates the prediction. The two eventsource-parser rows are references: the bare parser fed decoded',
    'chunks, and the stream pipeline the official client is built on. Reading the body',
    `without parsing it runs at ${num(stream.ceiling, 1)} MB/s (median of 5): what the server and the loopback deliver, the`,
    'ceiling of every row.',
    '',
    table(
      ['client', 'tokens/s', 'MB/s', 'first token → done (ms)', 'call → done (ms)', 'vs replikit'],
      stream.results.map((row) => [
        row.client,
        num(row.tokensPerSecond),
        num(row.mbPerSecond, 1),
        row.partial === undefined ? num(row.body) : `${num(row.partial)} tokens in ${num(row.body)}`,
        row.partial === undefined ? num(row.total) : '–',
        ratio(row.tokensPerSecond / streamOurs.tokensPerSecond),
      ]),
    ),
    '',
    `## Chat adapter streaming overhead, ${num(STREAM_TOKENS)} tokens`,
    '',
    'The same stream through `replicate.chat.completions.create({ stream: true })` (a `chat.completion.chunk` per',
    'token, stop-sequence scanning, usage) against `replicate.stream` of the same model. The adapter also',
    'renders the prompt from the messages, looks up the model’s input schema once per client (warm here) and',
    'fetches the finished prediction for its metrics after `done`.',
    '',
    table(
      ['path', 'tokens/s', 'first token → done (ms)', 'call → done (ms)', 'time vs `stream`'],
      chat.map((row) => [
        row.client,
        num(row.tokensPerSecond),
        num(row.body),
        num(row.total),
        ratio(row.body / chatPlain!.body),
      ]),
    ),
    '',
    `Chat adds ${ratio(chatAdapter!.body / chatPlain!.body)} to the time from the first token to the end (${num(((chatAdapter!.body - chatPlain!.body) * 1000) / STREAM_TOKENS, 2)} µs a token).`,
    '',
    '## Requests per prediction and completion lag',
    '',
    'Predictions of 1 s, 30 s, 90 s and 10 min (created → completed on the fake), each run 5 times. Cells:',
    'mean requests (creates/polls/streams of one run), mean lag from completion to the call returning (worst',
    'of the 5). replikit holds the create open with `Prefer: wait` (60 s), then waits on the prediction’s event',
    'stream for `done` (one request, then one `GET` for the final state) or, for a model without a stream,',
    'polls from 500 ms growing ×1.5 to 5 s. The official client polls every 500 ms after each response.',
    '',
    pollingTable(polling),
    '',
    'How: `bench/polling.ts` runs the fake in process (`fake.fetch`) on virtual time (`bench/lib/virtual-time.ts`):',
    '`setTimeout`, `setInterval` and `Date.now` are replaced by a scheduler that, once the process is quiet (8',
    '`setImmediate` turns without timer activity), jumps to the next due timer. The clients’ real polling',
    'timers and the fake’s clock (its system clock looks the globals up on every call) share that time, so 10',
    'minutes take a moment and every count is exact. Each request, response and stream chunk takes 20–80 ms',
    'on that clock (seeded; the same draws for every client): without a network delay polls land exactly on',
    'the completion times and every lag reads 0. The official default `run` returns after the `Prefer: wait`',
    'hold (60 s) with whatever the prediction has, unfinished for 90 s and 10 min: one request, wrong result.',
    '',
    '## Cold import',
    '',
    `\`await import(entry)\` in a fresh \`node\` process (timed inside it, so Node’s own start-up is left out), ${quick ? 5 : 15} processes`,
    'per entry, interleaved; median ms. `replikit/testing` loads the fake; `replicate` is the official client',
    '(CommonJS, everything in one import); the last row is replikit’s one dependency alone.',
    '',
    table(
      ['entry', 'ms', 'vs `replicate`'],
      imports.map((row) => [
        `\`${row.entry}\``,
        num(row.ms, 1),
        ratio(row.ms / imports.find((r) => r.entry === 'replicate')!.ms),
      ]),
    ),
    '',
    `## Heap while streaming ${num(HEAP_TOKENS)} tokens`,
    '',
    '`node --expose-gc bench/heap.ts`: `heapUsed` after a forced GC before the request and every 50k tokens,',
    'through the chat adapter and, for reference, `replicate.stream`.',
    '',
    table(
      ['path', 'before (MB)', 'samples, every 50k tokens (MB)', 'growth'],
      heap.map((row) => [
        row.path,
        row.samples[0]!.toFixed(1),
        `${Math.min(...row.samples.slice(1)).toFixed(1)}–${Math.max(...row.samples.slice(1)).toFixed(1)}`,
        mb(row.total),
      ]),
    ),
    '',
    'Before the fix that came with this benchmark the chat adapter kept the whole streamed text for its usage',
    'estimate: 51 MB after 1M tokens, growing linearly. It now folds the text into a token estimate past 64 KB.',
    '',
    '## Notes on the figures',
    '',
    ...notes(parts, found, goals),
  ];
  return { markdown: lines.join('\n'), goals };
}

function readVersion(name: string): string {
  try {
    const path = name === 'replikit' ? `${root}package.json` : `${root}node_modules/${name}/package.json`;
    return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
  } catch {
    return '?';
  }
}
