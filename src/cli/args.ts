import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { UsageError } from './errors.js';

/**
 * `-i key=value` pairs as a model input: values that parse as JSON (numbers, booleans, arrays, objects)
 * keep their type, everything else is a string; `key=@path` reads the file as a `File` (uploaded by the
 * client), and `key=@@text` is the literal string `@text`.
 */
export async function parseInputs(pairs: readonly string[]): Promise<Record<string, unknown>> {
  const input: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 1) throw new UsageError(`-i expects key=value, got ${JSON.stringify(pair)}`);
    const key = pair.slice(0, at);
    const raw = pair.slice(at + 1);
    input[key] = raw.startsWith('@@')
      ? raw.slice(1)
      : raw.startsWith('@')
        ? await readInputFile(raw.slice(1))
        : scalar(raw);
  }
  return input;
}

async function readInputFile(path: string): Promise<File> {
  try {
    return new File([await readFile(path)], basename(path));
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as Error).message}`);
  }
}

function scalar(raw: string): unknown {
  if (!/^(-?\d|\[|\{|true$|false$|null$)/.test(raw)) return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** A whole non-negative number option, or `undefined` when absent. */
export function numberOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0)
    throw new UsageError(`--${name} expects a number, got ${JSON.stringify(value)}`);
  return number;
}

/** Read a text argument: a file path, or `-` for standard input. */
export async function readText(
  source: string | undefined,
  stdin: AsyncIterable<Uint8Array | string>,
): Promise<string> {
  if (source === undefined) throw new UsageError('expected a file path or - for standard input');
  if (source !== '-') {
    try {
      return await readFile(source, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${source}: ${(error as Error).message}`);
    }
  }
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of stdin)
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}
