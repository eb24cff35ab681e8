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
    if (this.url.protocol === 'data:') return decodeDataUri(this.url.href);
    const response = await this.#http.send({
      method: 'GET',
      path: '',
      url: this.url.href,
      signal: options.signal,
    });
    return response.blob();
  }

  /** The file's bytes. */
  async arrayBuffer(options: { signal?: AbortSignal } = {}): Promise<ArrayBuffer> {
    return (await this.blob(options)).arrayBuffer();
  }

  /** The file's bytes as a stream (downloaded, not buffered, for http URLs). */
  async stream(options: { signal?: AbortSignal } = {}): Promise<ReadableStream<Uint8Array>> {
    if (this.url.protocol === 'data:') return decodeDataUri(this.url.href).stream();
    const response = await this.#http.send({
      method: 'GET',
      path: '',
      url: this.url.href,
      signal: options.signal,
    });
    return response.body ?? new Blob([]).stream();
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

/** Decode a `data:[type][;base64],payload` URI. */
export function decodeDataUri(uri: string): Blob {
  const comma = uri.indexOf(',');
  const meta = uri.slice(5, comma);
  const payload = uri.slice(comma + 1);
  const base64 = meta.endsWith(';base64');
  const type = (base64 ? meta.slice(0, -7) : meta) || 'text/plain';
  if (!base64) return new Blob([percentDecode(payload)], { type });
  const binary = atob(payload);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

/** The bytes of a percent-encoded payload: `%XX` are bytes, not necessarily UTF-8 (`decodeURIComponent` throws on `%FF`). */
function percentDecode(payload: string): Uint8Array<ArrayBuffer> {
  const input = new TextEncoder().encode(payload);
  const output = new Uint8Array(input.length);
  let length = 0;
  for (let i = 0; i < input.length; i++) {
    const hex = input[i] === 0x25 ? String.fromCharCode(input[i + 1] ?? 0, input[i + 2] ?? 0) : '';
    if (/^[0-9a-f]{2}$/i.test(hex)) {
      output[length++] = Number.parseInt(hex, 16);
      i += 2;
    } else {
      output[length++] = input[i]!;
    }
  }
  return output.slice(0, length);
}
