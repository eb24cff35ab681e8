import type { Progress } from '../lifecycle/progress.js';

/** Where the CLI writes, and how: a terminal gets a progress bar, a pipe gets plain lines. */
export interface Io {
  stdout: { write(text: string): unknown; isTTY?: boolean | undefined };
  stderr: { write(text: string): unknown; isTTY?: boolean | undefined };
  stdin: AsyncIterable<Uint8Array | string>;
  env: Record<string, string | undefined>;
}

/** Print a result: JSON for scripts, else strings as they are and anything else as indented JSON. */
export function print(io: Io, value: unknown, json: boolean): void {
  if (json) io.stdout.write(`${JSON.stringify(value)}\n`);
  else io.stdout.write(typeof value === 'string' ? `${value}\n` : `${JSON.stringify(value, null, 2)}\n`);
}

const WIDTH = 24;

/**
 * A progress reporter on stderr: on a terminal one line redrawn in place (a bar when the model prints
 * `NN%|` progress, else the status); otherwise one plain line per status change.
 */
export function progressPrinter(io: Io): { onProgress: (progress: Progress) => void; end: () => void } {
  const tty = io.stderr.isTTY === true;
  let last = '';
  let drawn = false;
  return {
    onProgress({ status, fraction, prediction }) {
      if (!tty) {
        const line = `${prediction.id} ${status}`;
        if (line !== last) io.stderr.write(`${line}\n`);
        last = line;
        return;
      }
      const bar =
        fraction === undefined
          ? ''
          : `[${'#'.repeat(Math.round(fraction * WIDTH)).padEnd(WIDTH, '-')}] ${Math.round(fraction * 100)}% `;
      io.stderr.write(`\r\x1b[2K${bar}${status} ${prediction.id}`);
      drawn = true;
    },
    end() {
      if (drawn) io.stderr.write('\n');
    },
  };
}
