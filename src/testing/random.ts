/** Deterministic randomness for the fake: ids, generated text, probabilistic faults. */

/** A source of numbers in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: a tiny, fast, well-distributed 32-bit PRNG; the same seed gives the same sequence everywhere.
 * @example
 * const random = seededRandom(42); random(); // 0.6011037519201636
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a hash of a string, 32 bits: seeds per-prompt generators and stable version ids. */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A stable 64-hex version id derived from a model name (what Replicate's version ids look like). */
export function versionIdFor(name: string): string {
  let hex = '';
  for (let round = 0; hex.length < 64; round++) {
    hex += hashString(`${name}#${round}`).toString(16).padStart(8, '0');
  }
  return hex.slice(0, 64);
}

// Replicate prediction ids are 26 characters of this alphabet (Crockford-like base32, lower case).
const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A prediction id like `gm3qorzdhgbfurvjtvhg6dckhu`. */
export function predictionId(random: Random): string {
  let id = '';
  for (let index = 0; index < 26; index++) id += ID_ALPHABET[Math.floor(random() * 32)];
  return id;
}

/** A file id like Replicate's: base64 of a UUID, without padding. */
export function fileId(random: Random): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  return btoa(uuid).replace(/=+$/, '');
}

/** Random bytes from the seeded source (the fake's signing keys: reproducible, never secret). */
export function randomBytes(random: Random, length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let index = 0; index < length; index++) bytes[index] = Math.floor(random() * 256);
  return bytes;
}
