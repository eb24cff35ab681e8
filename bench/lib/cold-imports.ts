/** (e) of `bench/run.ts`: `await import(entry)` timed in fresh `node` processes. */
import { execFileSync } from 'node:child_process';
import { quick, root } from './config.ts';
import { median, rotate } from './stats.ts';

const ENTRIES = [
  'replikit',
  'replikit/webhooks',
  'replikit/tokens',
  'replikit/pricing',
  'replikit/openai',
  'replikit/testing',
  'replicate',
  // replikit's one dependency alone, to tell where its import time goes
  'zod/mini',
];

export function coldImports(): Array<{ entry: string; ms: number }> {
  const rounds = quick ? 5 : 15;
  const samples = new Map<string, number[]>(ENTRIES.map((entry) => [entry, []]));
  for (let round = 0; round < rounds; round++) {
    for (const entry of rotate(ENTRIES, round)) {
      const code = `const t = performance.now(); await import(${JSON.stringify(entry)}); process.stdout.write(String(performance.now() - t));`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
        cwd: root,
        encoding: 'utf8',
      });
      samples.get(entry)!.push(Number(out));
    }
  }
  return ENTRIES.map((entry) => ({ entry, ms: median(samples.get(entry)!) }));
}
