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
    const text = this.#pending + chunk;
    const at = Math.min(...this.#stops.map((stop) => text.indexOf(stop)).filter((index) => index >= 0));
    if (at < Infinity) {
      this.#stopped = true;
      this.#pending = '';
      return text.slice(0, at);
    }
    // Hold back the longest end of the text that begins some stop sequence.
    let held = 0;
    for (const stop of this.#stops) {
      for (let k = Math.min(stop.length - 1, text.length); k > held; k--) {
        if (text.endsWith(stop.slice(0, k))) held = k;
      }
    }
    this.#pending = text.slice(text.length - held);
    return text.slice(0, text.length - held);
  }

  /** The held-back tail, once the stream has ended without a stop. */
  flush(): string {
    const out = this.#pending;
    this.#pending = '';
    return out;
  }
}

/** Truncate a whole text at its first stop sequence. */
export function truncateAtStop(text: string, stops: readonly string[]): { text: string; stopped: boolean } {
  const scanner = new StopScanner(stops);
  const out = scanner.push(text) + scanner.flush();
  return { text: out, stopped: scanner.stopped };
}
