/** The "Notes on the figures" of BENCHMARKS.md: where each figure comes from, and why a missed goal is missed. */
import type { Figures, Goal, ReportParts } from './goals.ts';
import { num, ratio } from './stats.ts';

export function notes(parts: ReportParts, found: Figures, goals: Goal[]): string[] {
  const { cpu, stream } = parts;
  const { plain, ours, bare, streamOurs, pipeline, cpuOurs, importOf } = found;
  const missed = (prefix: string) => goals.some((goal) => goal.goal.startsWith(prefix) && !goal.met);
  return [
    `- **\`run\` overhead** (goal ${missed('`run` overhead') ? 'missed' : 'met'}). replikit spends ${num(cpuOurs.perCall)} µs of CPU a call against`,
    `  ${num(cpu[0]!.perCall)} µs for a bare \`fetch\` (in process, above): the retry and timeout set-up, zod validation of`,
    '  the prediction, the lifecycle and file-output wrapping. Against the loopback fake, where a request takes about',
    `  1 ms, that shows as ${ratio(ours!.perCall / plain!.perCall)}; against Replicate (tens of ms a request, seconds a prediction) it is well`,
    '  under 1 %. The earlier HTTP core on ky took about 200 µs a request here (1.47× on this benchmark).',
    `- **\`stream\` against bare eventsource-parser** (goal ${missed('`stream` throughput ≥ 0.8×') ? 'missed' : 'met'}): ${ratio(streamOurs.tokensPerSecond / bare.tokensPerSecond)}. replikit parses each network read`,
    '  in one go with its own SSE parser (which alone runs at about 0.9× of eventsource-parser on the same text, and',
    '  is 1.2 KB smaller in a bundle) and hands its events out of one batch, checking each id against the last for',
    `  duplicates (a resumed stream repeats events). The stream pipeline reference (a \`reader.read()\` per event) reaches ${ratio(pipeline.tokensPerSecond / bare.tokensPerSecond)};`,
    `  reading the body without parsing it runs at ${num(stream.ceiling, 1)} MB/s. Until the batching, replikit passed every event through three`,
    '  async generators and ran at 0.28×.',
    '- **The official `stream`** is this slow because its vendored eventsource-parser rescans the buffer from the',
    '  start for every line of a read, so a read of n bytes costs O(n²). On 127.0.0.1 reads are up to 64 KB; over',
    '  the internet, tokens arriving one by one, the same code is linear. It is timed for 10 s, once.',
    `- **Polling without a stream** (goal ${missed('the same, model without a stream') ? 'missed' : 'met'}). Completion lag ≤ 1 s needs a poll at least every`,
    '  second, ≥ 540 polls in the 9 minutes after the create’s 60 s hold, half of the official client’s requests;',
    '  1/20 of them allows one poll every 10 s or so. No polling schedule meets both. The event stream does, and',
    '  replikit uses it whenever the prediction has `urls.stream`; webhooks are the other way.',
    `- **Cold imports.** zod/mini loads its whole module graph, every locale included (${num(importOf('zod/mini'), 0)} ms alone): most of`,
    `  \`replikit\`’s ${num(importOf('replikit'), 0)} ms. \`replikit/webhooks\` (${num(importOf('replikit/webhooks'), 0)} ms) loads no dependency. There is no goal here.`,
    '',
  ];
}
