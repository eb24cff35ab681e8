/** Run a bench script in its own `node` process and read the JSON of its last line of output. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { root } from './config.ts';

/** `script` is relative to bench/. */
export function nodeJson<T>(script: string, scriptArgs: string[], nodeArgs: string[] = []): T {
  const out = execFileSync(
    process.execPath,
    [...nodeArgs, fileURLToPath(new URL(script, new URL('../', import.meta.url))), ...scriptArgs],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}
