import type { HttpClient } from '../http/core.js';
import { isReplicateHost } from '../http/hosts.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A file a model produced: a URL on Replicate's delivery hosts (or a `data:` URI), downloaded lazily.
 * `JSON.stringify` and `String()` give the URL, so outputs still log and serialise as before.
 * The token is only sent when downloading from Replicate's own hosts.
 * @example
 * const [image] = (await replicate.run('black-forest-labs/flux-schnell', { input: { prompt: 'a fox' } })) as FileOutput[];
 * await writeFile('fox.webp', new Uint8Array(await image.arrayBuffer()));
 */
export class FileOutput {
  /** Where the file lives. */
  readonly url: URL;
  readonly #http: HttpClient;

  constructor(url: string, http: HttpClient) {
    this.url = new URL(url);
    this.#http = http;
  }

  /** The file's bytes as a `Blob` (typed from `Content-Type` or the data URI). */
  async blob(options: { signal?: AbortSignal } = {}): Promise<Blob> {
    return (await this.#get(options.signal)).blob();
  }

  /** The file's bytes. */
  async arrayBuffer(options: { signal?: AbortSignal } = {}): Promise<ArrayBuffer> {
    return (await this.blob(options)).arrayBuffer();
  }

  /** The file's bytes as a stream (downloaded, not buffered, for http URLs). */
  async stream(options: { signal?: AbortSignal } = {}): Promise<ReadableStream<Uint8Array>> {
    return (await this.#get(options.signal)).body ?? new Blob([]).stream();
  }

  /** The file's response: a download through the client (its token only on Replicate's hosts), or a data URI. */
  #get(signal: AbortSignal | undefined): Promise<Response> {
    // Every runtime's `fetch` decodes a data URI (base64 or percent-encoded) without a request.
    if (this.url.protocol === 'data:') return fetch(this.url.href, { signal: signal ?? null });
    return this.#http.send({ method: 'GET', path: '', url: this.url.href, signal });
  }

  /** The URL, so `JSON.stringify(output)` looks like the raw API output. */
  toJSON(): string {
    return this.url.href;
  }

  toString(): string {
    return this.url.href;
  }

  [INSPECT](): string {
    return `FileOutput(${this.url.protocol === 'data:' ? `${this.url.href.slice(0, 40)}…` : this.url.href})`;
  }
}

/** Whether an output string is a file: a data URI, or an https URL of Replicate's delivery/files hosts. */
export function isFileUrl(value: string): boolean {
  if (value.startsWith('data:')) return /^data:[^,]*,/.test(value);
  if (!value.startsWith('https://')) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (
    isReplicateHost(url) &&
    (/(^|\.)replicate\.delivery$|^delivery\./.test(url.hostname) || url.pathname.includes('/v1/files/'))
  );
}

/** Replace file URLs anywhere in an output (nested arrays and objects too) with `FileOutput`s. */
export function wrapFileOutputs(output: unknown, http: HttpClient): unknown {
  if (typeof output === 'string') return isFileUrl(output) ? new FileOutput(output, http) : output;
  if (Array.isArray(output)) return output.map((item) => wrapFileOutputs(item, http));
  if (output && typeof output === 'object') {
    return Object.fromEntries(
      Object.entries(output).map(([key, value]) => [key, wrapFileOutputs(value, http)]),
    );
  }
  return output;
}
