import { invalid } from '../identifiers.js';

/** How file inputs are sent. */
export type FileEncoding = 'upload' | 'data-uri';

/** Options of `prepareInput`. */
export interface PrepareInputOptions {
  /** Uploads one file and returns its URL. */
  upload: (file: Blob) => Promise<string>;
  /**
   * `'upload'`: files API (any size up to 100 MB); `'data-uri'`: inlined in the request (small files only).
   * @default 'upload'
   */
  fileEncoding?: FileEncoding;
  /**
   * Largest total size of inlined files, in bytes (Replicate recommends data URIs only for small files).
   * @default 1_000_000
   */
  maxDataUriBytes?: number;
}

/** Whether a value is file content: `Blob`/`File`, `ArrayBuffer`, a typed array or a `ReadableStream`. */
export function isFileContent(
  value: unknown,
): value is Blob | ArrayBuffer | ArrayBufferView | ReadableStream {
  return (
    value instanceof Blob ||
    value instanceof ArrayBuffer ||
    ArrayBuffer.isView(value) ||
    (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream)
  );
}

/**
 * Replace every file (nested too) in a model input with a URL: uploaded through the files API, or
 * inlined as a data URI. Returns a new object; the caller's input is not modified.
 */
export async function prepareInput<T>(input: T, options: PrepareInputOptions): Promise<T> {
  const limit = options.maxDataUriBytes ?? 1_000_000;
  let inlined = 0;
  // `ancestors`: the arrays and objects above `value`. A cycle or an absurd depth cannot be sent as JSON and
  // would overflow the stack here; say where instead.
  const convert = async (
    value: unknown,
    path: string,
    ancestors: readonly object[] = [],
  ): Promise<unknown> => {
    if (typeof value === 'bigint') {
      throw invalid(path, `${path} is a BigInt, which JSON cannot carry: pass a number or a string.`);
    }
    if (isFileContent(value)) {
      const blob = await toBlob(value);
      if (options.fileEncoding !== 'data-uri') return options.upload(blob);
      inlined += blob.size;
      if (inlined > limit) {
        throw invalid(
          path,
          `Files inlined as data URIs total ${inlined} bytes, above the ${limit}-byte limit (at ${path}): use fileEncoding: 'upload'.`,
        );
      }
      return encodeDataUri(blob);
    }
    if (!Array.isArray(value) && !isPlainObject(value)) return value;
    if (ancestors.includes(value))
      throw invalid(path, `${path} refers back to itself: JSON cannot carry a cycle.`);
    if (ancestors.length >= MAX_DEPTH) {
      throw invalid(
        path,
        `The input is nested more than ${MAX_DEPTH} levels deep (at ${path.slice(0, 100)}…).`,
      );
    }
    const inner = [...ancestors, value];
    if (Array.isArray(value))
      return Promise.all(value.map((item, i) => convert(item, `${path}[${i}]`, inner)));
    const entries = await Promise.all(
      Object.entries(value).map(
        async ([key, item]) => [key, await convert(item, `${path}.${key}`, inner)] as const,
      ),
    );
    return Object.fromEntries(entries);
  };
  return (await convert(input, 'input')) as T;
}

/** Deepest nesting of arrays and objects an input may have (JSON parsers stop around here too). */
const MAX_DEPTH = 500;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!value || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

async function toBlob(value: Blob | ArrayBuffer | ArrayBufferView | ReadableStream): Promise<Blob> {
  if (value instanceof Blob) return value;
  if (value instanceof ReadableStream) return new Response(value).blob();
  return new Blob([value as BlobPart], { type: 'application/octet-stream' });
}

/** A `data:` URI of a blob, base64-encoded. */
export async function encodeDataUri(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return `data:${blob.type || 'application/octet-stream'};base64,${btoa(binary)}`;
}
