/**
 * Benchmark of `replikit/tokens` against the exact counts in test/fixtures/token-corpus/counts.json:
 * accuracy per family (in-sample and held out), the upper bound, speed and the entry's size.
 *
 *   npm run bench:tokens
 *
 * The entry is bundled and minified with esbuild, and that bundle (what ships, minus minification) is
 * what gets measured.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type * as Tokens from '../src/entries/tokens.ts';
import {
  FITTED,
  type FittedFamily,
  heldOut,
  isLoneScript,
  loadCorpus,
  type Sample,
  target,
} from './fit-tokens.ts';

const GOALS = { mape: 0.06, worst: 0.35, bias: 0.03, speed: 50, size: 3 * 1024 };

// 1. Bundle the entry, measure it, load it.
const result = await build({
  entryPoints: [fileURLToPath(new URL('../src/entries/tokens.ts', import.meta.url))],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2023',
  write: false,
});
const code = result.outputFiles[0]!.contents;
const gzip = gzipSync(code, { level: 9 }).length;
const dir = mkdtempSync(join(tmpdir(), 'replikit-tokens-'));
writeFileSync(join(dir, 'tokens.mjs'), code);
const tokens = (await import(pathToFileURL(join(dir, 'tokens.mjs')).href)) as typeof Tokens;
rmSync(dir, { recursive: true });

// 2. Accuracy.
const samples = loadCorpus();
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const stats = (errors: number[]) => {
  const abs = errors.map(Math.abs);
  return {
    mape: abs.reduce((a, b) => a + b, 0) / errors.length,
    worst: Math.max(...abs),
    worstAt: abs.indexOf(Math.max(...abs)),
    bias: errors.reduce((a, b) => a + b, 0) / errors.length,
  };
};
const row = (cells: Array<string | number>, widths: number[]) =>
  cells.map((c, i) => String(c)[i === 0 ? 'padEnd' : 'padStart'](widths[i]!)).join('  ');

const misses: string[] = [];
const W = [9, 7, 6, 7, 7, 28, 9];
console.log(
  `Accuracy on ${samples.length} samples (exact counts: counts.json; generic aims at the mean of the five)\n`,
);
console.log(row(['family', 'samples', 'MAPE', 'bias', 'worst', 'worst sample', 'chars/4'], W));
for (const family of FITTED) {
  const errors = samples.map((s) => tokens.estimateTokens(s.text, { family }) / target(s, family) - 1);
  const naive = stats(samples.map((s) => Math.ceil(s.text.length / 4) / target(s, family) - 1));
  const s = stats(errors);
  console.log(
    row(
      [
        family,
        samples.length,
        pct(s.mape),
        pct(s.bias),
        pct(s.worst),
        samples[s.worstAt]!.file,
        pct(naive.mape),
      ],
      W,
    ),
  );
  if (s.mape > GOALS.mape) misses.push(`${family} MAPE ${pct(s.mape)} > 6%`);
  if (s.worst > GOALS.worst) misses.push(`${family} worst ${pct(s.worst)} > 35%`);
  if (Math.abs(s.bias) > GOALS.bias) misses.push(`${family} bias ${pct(s.bias)} beyond ±3%`);
}

// 3. Held out: weights fitted on the odd samples predict the even ones and the other way round.
const H = [9, 9, 7, 7, 28, 9, 7, 7];
console.log('\nHeld out (fit on odd samples, predict even, and the other way round)');
console.log('"covered": without the samples in a script no other sample has (zh, ja, ko, ru, el, hi, ar)\n');
console.log(row(['family', 'MAPE', 'bias', 'worst', 'worst sample', 'covered', 'bias', 'worst'], H));
for (const family of FITTED) {
  const errors = heldOut(samples, family);
  const all = stats(errors);
  const covered = stats(errors.filter((_, i) => !isLoneScript(samples[i]!)));
  console.log(
    row(
      [family, pct(all.mape), pct(all.bias), pct(all.worst), samples[all.worstAt]!.file].concat([
        pct(covered.mape),
        pct(covered.bias),
        pct(covered.worst),
      ]),
      H,
    ),
  );
}

// 3b. Short prompts: a validation set the fitter never sees (counts for three families only).
const short = JSON.parse(
  readFileSync(new URL('../test/fixtures/token-corpus/short-prompts.json', import.meta.url), 'utf8'),
) as { prompts: Array<{ text: string; counts: Record<string, number> }> };
const S = [9, 7, 6, 7, 7, 12];
console.log(
  `\nShort prompts (${short.prompts.length} chat prompts of 1–20 tokens, never fitted on; short-prompts.json)\n`,
);
console.log(row(['family', 'prompts', 'MAPE', 'bias', 'worst', 'total error'], S));
for (const family of ['llama3', 'llama2', 'mistral'] as const) {
  const estimates = short.prompts.map((p) => tokens.estimateTokens(p.text, { family }));
  const exact = short.prompts.map((p) => p.counts[family]!);
  const s = stats(estimates.map((e, i) => e / exact[i]! - 1));
  const total = estimates.reduce((a, b) => a + b, 0) / exact.reduce((a, b) => a + b, 0) - 1;
  console.log(row([family, short.prompts.length, pct(s.mape), pct(s.bias), pct(s.worst), pct(total)], S));
}

// 4. Upper bound: never below the exact count on any sample, and how far above it.
const U = [9, 12, 14, 14, 20];
console.log('\nUpper bound (upperBound: true) against the exact count\n');
console.log(row(['family', 'under-counts', 'mean overshoot', 'max overshoot', 'short-prompt unders'], U));
const exactMax = (s: Sample, family: FittedFamily) =>
  family === 'generic' ? Math.max(...FITTED.slice(0, 5).map((f) => target(s, f))) : target(s, family);
for (const family of FITTED) {
  const ratios = samples.map(
    (s) => tokens.estimateTokens(s.text, { family, upperBound: true }) / exactMax(s, family),
  );
  const under = ratios.filter((r) => r < 1).length;
  const over = ratios.map((r) => r - 1);
  const shortUnder =
    family === 'llama3' || family === 'llama2' || family === 'mistral'
      ? short.prompts.filter((p) => tokens.tokenUpperBound(p.text, { family }) < p.counts[family]!).length
      : '-';
  console.log(
    row(
      [family, under, pct(over.reduce((a, b) => a + b, 0) / over.length), pct(Math.max(...over)), shortUnder],
      U,
    ),
  );
  if (under > 0) misses.push(`${family} upper bound under-counts ${under} samples`);
}

// 5. Speed, warm, on mixed text: the whole corpus concatenated and repeated to about 8 MB, flattened
// (`repeat` builds a rope, which V8 reads slower than the flat strings that files and bodies give).
const unit = samples.map((s) => s.text).join('\n');
const mixed = Buffer.from(unit.repeat(Math.ceil(8e6 / unit.length))).toString();
const mb = Buffer.byteLength(mixed) / 1e6;
for (let i = 0; i < 5; i++) tokens.estimateTokens(mixed, { family: 'llama3' });
// The median of 9 timed batches: the machine may be busy with other work.
const batches: number[] = [];
for (let b = 0; b < 9; b++) {
  const t0 = performance.now();
  for (let i = 0; i < 3; i++) tokens.estimateTokens(mixed, { family: 'llama3' });
  batches.push((mb * 3) / ((performance.now() - t0) / 1000));
}
const speed = batches.sort((a, b) => a - b)[4]!;
const small = samples.map((s) => s.text.slice(0, 200));
const t1 = performance.now();
let calls = 0;
while (performance.now() - t1 < 500) for (const s of small) calls += tokens.estimateTokens(s) >= 0 ? 1 : 0;
const perCall = ((performance.now() - t1) * 1000) / calls;
const range = `${batches[0]!.toFixed(0)}–${batches[8]!.toFixed(0)}`;
console.log(
  `\nSpeed (warm): ${speed.toFixed(0)} MB/s (median of 9 batches, ${range}) on ${mb.toFixed(1)} MB of mixed text`,
);
console.log(`  ${perCall.toFixed(2)} µs per call on 200-character texts (generic)`);
if (speed < GOALS.speed) misses.push(`speed ${speed.toFixed(0)} MB/s < 50 MB/s`);

// 6. Size.
console.log(`Size: replikit/tokens ${code.length} B minified, ${gzip} B min+gzip (esbuild, gzip -9)`);
if (gzip > GOALS.size) misses.push(`size ${gzip} B > 3 KB`);

console.log(misses.length === 0 ? '\nAll goals met.' : `\nMissed:\n- ${misses.join('\n- ')}`);
