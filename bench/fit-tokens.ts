/**
 * Fits the per-family weights of the token estimator on the corpus in test/fixtures/token-corpus and
 * prints them as source to paste into src/tokens/weights.ts (`--write` writes the file).
 *
 *   node bench/fit-tokens.ts [--write] [--lambda=10]
 *
 * Method. Each sample's features are the piece counts of `scan`. Per family the weights minimise the
 * sum of absolute *relative* errors (every sample counts the same, whatever its length; IRLS) under
 * non-negativity, plus a ridge pull towards a prior that comes from how the tokenizers work (a Latin
 * word ≈ 1 token, a digit group = 1 token, a punctuation run ≈ 1 token, a SentencePiece newline = 1
 * byte token …). The prior keeps a class seen in one or two samples from taking an extreme value, and
 * is what a class never seen in the corpus (`other`) gets. The generic family is fitted on the mean of
 * the five families' counts. Held-out error: fit on the odd samples and predict the even ones, and the
 * other way round (`heldOut`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FEATURE_COUNT, FEATURES, type Feature, scan } from '../src/tokens/scan.ts';

/** Families of the estimator and the tokenizer key in counts.json that each is fitted on. */
export const FAMILY_KEYS = {
  llama3: 'llama3',
  llama2: 'llama2',
  mistral: 'mistral',
  qwen: 'qwen3',
  deepseek: 'deepseek_v3',
} as const;
export type FittedFamily = keyof typeof FAMILY_KEYS | 'generic';
export const FITTED: readonly FittedFamily[] = ['llama3', 'llama2', 'mistral', 'qwen', 'deepseek', 'generic'];

export interface Sample {
  file: string;
  /** Category in counts.json: en-prose, markdown, chat, code, json, data, cjk, cyrillic, latin-intl … */
  cat: string;
  text: string;
  counts: Record<string, number>;
}

const corpusDir = new URL('../test/fixtures/token-corpus/', import.meta.url);

/** The corpus samples with their exact counts per tokenizer. */
export function loadCorpus(): Sample[] {
  const index = JSON.parse(readFileSync(new URL('counts.json', corpusDir), 'utf8')) as {
    files: Array<{ file: string; cat: string; counts: Record<string, number> }>;
  };
  return index.files.map((f) => ({
    file: f.file,
    cat: f.cat,
    text: readFileSync(new URL(`samples/${f.file}`, corpusDir), 'utf8'),
    counts: f.counts,
  }));
}

/** The exact count a family aims at; generic aims at the mean of the five families. */
export function target(sample: Sample, family: FittedFamily): number {
  const c = sample.counts;
  if (family !== 'generic') return c[FAMILY_KEYS[family]]!;
  return (c.llama3! + c.llama2! + c.mistral! + c.qwen3! + c.deepseek_v3!) / 5;
}

export function features(text: string): Float64Array {
  const v = new Float64Array(FEATURE_COUNT);
  scan(text, v);
  return v;
}

/** Prior weights, from the tokenizers' mechanics (see the file comment). */
// biome-ignore format: a table
const PRIOR: Record<Feature, number> = {
  word: 1, long: 0.1, nospace: 0.3, nslong: 0.2, hump: 0.8, accent: 0.5, foreign: 0.3, alnum: 0.5,
  digit: 1, digit3: 1, punct: 1, newline: 0.5, nlrun: 0.5, indent: 1, indentch: 0, tab: 0.5,
  han: 1, kana: 1, hangul: 1, cyrillic: 0.5, greek: 0.5, arabic: 0.5, indic: 0.5, other: 1, emoji: 2, symbol: 1,
};
/** SentencePiece families: each \n and tab is a byte token, and runs do not merge. */
const SENTENCEPIECE: Partial<Record<Feature, number>> = { newline: 1, nlrun: 0, tab: 1 };
/**
 * Features a family does not use: byte-level BPE with \p{N}{1,3} (Llama 3, DeepSeek V3) cuts digits
 * in threes; SentencePiece with split_digits (Llama 2, Mistral) and Qwen's \p{N} cut every digit.
 */
const UNUSED: Record<FittedFamily, Feature[]> = {
  llama3: ['digit'],
  deepseek: ['digit'],
  llama2: ['digit3'],
  mistral: ['digit3'],
  qwen: ['digit3'],
  generic: [],
};

export function priorOf(family: FittedFamily): number[] {
  const sp = family === 'llama2' || family === 'mistral' ? SENTENCEPIECE : {};
  return FEATURES.map((f) => (UNUSED[family].includes(f) ? 0 : (sp[f] ?? PRIOR[f])));
}

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
export const LAMBDA = Number(arg('lambda') ?? 10);

/** Non-negative, prior-regularised least-absolute-relative-error fit (IRLS over coordinate descent). */
export function fitWeights(
  X: Float64Array[],
  y: number[],
  prior: number[],
  frozen: readonly boolean[],
  lambda = LAMBDA,
): number[] {
  const n = X.length;
  const A = X.map((x, i) => Array.from(x, (v) => v / y[i]!));
  // Scale each ridge term by how much of the samples' tokens the feature can carry.
  const scale = prior.map((_, j) => Math.max(1e-3, A.reduce((s, a) => s + a[j]! ** 2, 0) / n));
  const w = [...prior];
  const pred = A.map((a) => a.reduce((s, v, j) => s + v * w[j]!, 0));
  let r = new Array<number>(n).fill(1);
  for (let round = 0; round < 40; round++) {
    for (let sweep = 0; sweep < 60; sweep++) {
      for (let j = 0; j < w.length; j++) {
        if (frozen[j]) continue;
        let num = lambda * scale[j]! * prior[j]!;
        let den = lambda * scale[j]!;
        for (let i = 0; i < n; i++) {
          const a = A[i]![j]!;
          if (a === 0) continue;
          num += r[i]! * a * (1 - pred[i]! + a * w[j]!);
          den += r[i]! * a * a;
        }
        const next = Math.max(0, num / den);
        const d = next - w[j]!;
        if (d !== 0) {
          for (let i = 0; i < n; i++) pred[i]! += A[i]![j]! * d;
          w[j] = next;
        }
      }
    }
    r = pred.map((p) => 1 / Math.max(0.01, Math.abs(p - 1)));
  }
  return w;
}

/** 3 significant digits: what goes into the source. */
const round3 = (x: number) => (x < 5e-4 ? 0 : Number(x.toPrecision(3)));
export const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
};

/** Fit one family on the given samples; the weights are rounded as they go into the source. */
export function fitFamily(samples: Sample[], family: FittedFamily): number[] {
  const X = samples.map((s) => features(s.text));
  return fitWeights(
    X,
    samples.map((s) => target(s, family)),
    priorOf(family),
    FEATURES.map((f) => UNUSED[family].includes(f)),
  ).map(round3);
}

/** Signed relative error of each sample when predicted by weights fitted on the other half (odd/even). */
export function heldOut(samples: Sample[], family: FittedFamily): number[] {
  return samples.map((s, i) => {
    const w = fitFamily(
      samples.filter((_, k) => k % 2 !== i % 2),
      family,
    );
    return dot(features(s.text), w) / target(s, family) - 1;
  });
}

/**
 * Samples in a script that no other sample of the corpus has (a single Greek, Hindi, Arabic, Korean …
 * sample): a held-out fit has never seen their class, so their held-out error says nothing.
 */
export const isLoneScript = (s: Sample) =>
  s.cat === 'cjk' || s.cat === 'cyrillic' || s.cat === 'other-script';

/** Tokens the upper bound adds to the scaled estimate: covers the ±2 tokens of tiny texts. */
export const UPPER_SLACK = 3;

/**
 * The upper-bound factor f of `⌈f × estimate⌉ + UPPER_SLACK`: the smallest that covers every corpus
 * sample in-sample, and every covered sample (not `isLoneScript`) with its held-out estimate, plus 5 %,
 * rounded up to 0.05.
 */
export function upperFactor(samples: Sample[], family: FittedFamily, weights: number[]): number {
  const held = heldOut(samples, family);
  let ratio = 1;
  samples.forEach((s, i) => {
    const exact = target(s, family);
    ratio = Math.max(ratio, (exact - UPPER_SLACK) / dot(features(s.text), weights));
    if (!isLoneScript(s)) ratio = Math.max(ratio, (exact - UPPER_SLACK) / (exact * (1 + held[i]!)));
  });
  return Math.ceil(ratio * 1.05 * 20) / 20;
}

function source(fits: Record<FittedFamily, { weights: number[]; upper: number }>): string {
  const rows = FITTED.map((f) => `  ${f}: [${fits[f].weights.join(', ')}],`);
  const upper = FITTED.filter((f) => f !== 'generic').map((f) => `${f}: ${fits[f].upper}`);
  return `/**
 * Fitted constants of the token estimator, generated by \`node bench/fit-tokens.ts --write\`: do not edit.
 * One weight per feature of \`scan\`, in the order of \`FEATURES\`; see bench/fit-tokens.ts for the method.
 */
// biome-ignore format: one row per family, as generated
export const WEIGHTS = {
${rows.join('\n')}
} as const;

/** Upper-bound factors (the generic bound is the largest of the five families' bounds). */
export const UPPER = { ${upper.join(', ')} } as const;

/** Tokens added to the scaled estimate for the upper bound. */
export const UPPER_SLACK = ${UPPER_SLACK};
`;
}

if (import.meta.main) {
  const samples = loadCorpus();
  const pct = (e: number) => `${(e * 100).toFixed(1)} %`;
  const fits = {} as Record<FittedFamily, { weights: number[]; upper: number }>;
  for (const family of FITTED) {
    const weights = fitFamily(samples, family);
    const upper = family === 'generic' ? 0 : upperFactor(samples, family, weights);
    fits[family] = { weights, upper };
    const held = heldOut(samples, family);
    const mape = held.reduce((s, e) => s + Math.abs(e), 0) / held.length;
    const bound = family === 'generic' ? 'the largest of the five' : `⌈×${upper}⌉ + ${UPPER_SLACK}`;
    console.log(`${family.padEnd(9)} held-out MAPE ${pct(mape)}  upper bound ${bound}`);
    console.log(`  ${FEATURES.map((f, j) => `${f}=${weights[j]}`).join(' ')}`);
  }
  const text = source(fits);
  if (process.argv.includes('--write')) {
    writeFileSync(fileURLToPath(new URL('../src/tokens/weights.ts', import.meta.url)), text);
    console.log('wrote src/tokens/weights.ts');
  } else console.log(`\n${text}`);
}
