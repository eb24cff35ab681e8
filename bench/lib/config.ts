/** What every part of `bench/run.ts` shares: the command line, the sizes, the repository root and the log. */
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const args = new Set(process.argv.slice(2));
export const quick = args.has('--quick');
export const STREAM_TOKENS = 100_000;
export const HEAP_TOKENS = 1_000_000;
export const OFFICIAL_BUDGET = 10_000;
export const AUTH = 'bench';
const began = performance.now();
export const log = (line: string) =>
  process.stderr.write(`[${((performance.now() - began) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);
