/**
 * Client-side stop sequences over a stream of text chunks. A stop can straddle chunk boundaries, so
 * the scanner holds back the end of the text while it could still be the start of a stop (and only
 * then). Nothing after the first stop is ever emitted.
 */
export class StopScanner {
  readonly #stops: readonly string[];
  #pending = '';
  #stopped = false;

  constructor(stops: readonly string[]) {
    this.#stops = stops.filter((stop) => stop.length > 0);
  }

  /** Whether a stop sequence has been seen. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Feed a chunk; returns the text that is safe to emit now. */
  push(chunk: string): string {
    if (this.#stopped) return '';
    this.#pending += chunk;
    const at = this.#firstStop();
    if (at !== undefined) {
      this.#stopped = true;
      const out = this.#pending.slice(0, at);
      this.#pending = '';
      return out;
    }
    const safe = this.#pending.length - this.#partialStop();
    if (safe <= 0) return '';
    const out = this.#pending.slice(0, safe);
    this.#pending = this.#pending.slice(safe);
    return out;
  }

  /** The held-back tail, once the stream has ended without a stop. */
  flush(): string {
    const out = this.#stopped ? '' : this.#pending;
    this.#pending = '';
    return out;
  }

  /** The length of the longest end of the pending text that begins some stop sequence. */
  #partialStop(): number {
    let longest = 0;
    for (const stop of this.#stops) {
      for (let k = Math.min(stop.length - 1, this.#pending.length); k > longest; k--) {
        if (this.#pending.endsWith(stop.slice(0, k))) {
          longest = k;
          break;
        }
      }
    }
    return longest;
  }

  #firstStop(): number | undefined {
    let first: number | undefined;
    for (const stop of this.#stops) {
      const index = this.#pending.indexOf(stop);
      if (index !== -1 && (first === undefined || index < first)) first = index;
    }
    return first;
  }
}

/** Truncate a whole text at its first stop sequence. */
export function truncateAtStop(text: string, stops: readonly string[]): { text: string; stopped: boolean } {
  const scanner = new StopScanner(stops);
  const out = scanner.push(text) + scanner.flush();
  return { text: out, stopped: scanner.stopped };
}
