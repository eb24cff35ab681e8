import { seededRandom } from '../../src/testing/random';

/** The fuzz suite's seeded randomness (`FUZZ_SEED`), one sequence shared by every generator in test order. */

export const SEED = Number(process.env.FUZZ_SEED ?? 4_242);

export const random = seededRandom(SEED);
export const int = (n: number) => Math.floor(random() * n);
export const pick = <T>(items: readonly T[]) => items[int(items.length)]!;
const chars = [...'acmeECHO019/:._-~ %?#@\\\'"<>\u0000\n\t\u00e9\u4e2d\ud83e\udd99/../..'];
export const randomText = (max: number) => Array.from({ length: int(max) }, () => pick(chars)).join('');
