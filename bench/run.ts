/**
 * `npm run bench`: replikit side by side with the official `replicate` client and plain `fetch` /
 * eventsource-parser, on 127.0.0.1 against one fake Replicate server (`lib/fake-server.ts`, its own
 * process), then writes BENCHMARKS.md. Medians of interleaved repeats; the goals of issue 7 are checked and
 * reported as met or missed, never enforced (the exit code is 0 unless something breaks).
 *
 * `node bench/run.ts [--quick] [--no-write]` after `tsup` (the npm script builds first): `--quick` does
 * fewer repeats, `--no-write` prints the report instead of writing BENCHMARKS.md.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { HeapResult } from './heap.ts';
import { coldImports } from './lib/cold-imports.ts';
import { args, HEAP_TOKENS, log } from './lib/config.ts';
import { nodeJson } from './lib/node-json.ts';
import { report } from './lib/report.ts';
import { clientCpu, runOverhead } from './lib/run-overhead.ts';
import { startServer, stopServer } from './lib/server.ts';
import { num } from './lib/stats.ts';
import { chatOverhead, streamThroughput } from './lib/stream-bench.ts';
import { DURATIONS, durationLabel, type PollingRow } from './polling.ts';

async function main(): Promise<void> {
  const started = performance.now();
  const { baseUrl, child } = await startServer();
  try {
    log(`fake server at ${baseUrl}`);
    log('(a) run overhead …');
    // First: its loop never yields to the event loop, which would leave pooled sockets stale for later requests.
    const cpu = await clientCpu();
    const run = await runOverhead(baseUrl);
    log('(b) stream throughput …');
    const stream = await streamThroughput(baseUrl);
    log('(c) chat adapter …');
    const chat = await chatOverhead(baseUrl);
    log('(d) requests per prediction (virtual time) …');
    const polling = nodeJson<PollingRow[]>('./polling.ts', ['--json']);
    log('(e) cold imports …');
    const imports = coldImports();
    log(`(f) heap, ${num(HEAP_TOKENS)} tokens …`);
    const heap = nodeJson<HeapResult[]>('./heap.ts', [baseUrl, String(HEAP_TOKENS)], ['--expose-gc']);
    const seconds = Math.round((performance.now() - started) / 1000);
    const { markdown, goals } = report({ run, cpu, stream, chat, polling, imports, heap, seconds });
    if (args.has('--no-write')) console.log(markdown);
    else {
      const file = fileURLToPath(new URL('../BENCHMARKS.md', import.meta.url));
      writeFileSync(file, markdown);
      // Aligned tables, as `npm run lint` (biome) wants the file.
      execFileSync(fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url)), [
        'format',
        '--write',
        file,
      ]);
      log('wrote BENCHMARKS.md');
    }
    for (const goal of goals) log(`${goal.met ? 'met   ' : 'MISSED'} ${goal.goal}: ${goal.measured}`);
    log(`(${durationLabel(DURATIONS.at(-1)!)} polling; ${seconds} s in all)`);
  } finally {
    await stopServer(child);
  }
}

await main();
