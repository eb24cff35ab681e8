// The runtimes of the matrix that run the smoke as a program: Node 22 and 24 (import, require()), the
// TypeScript consumer (node16, bundler), Bun and Deno; then the bundled ones from bundled.ts.
import { access, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { bundledRuntimes } from './bundled.ts';
import type { Runtime } from './outcome.ts';
import {
  exec,
  here,
  INSTALL_TIMEOUT,
  modules,
  node24,
  npmEnv,
  root,
  smokeProcess,
  version,
} from './support.ts';

let node22 = '';

export const runtimes: Runtime[] = [
  nodeRuntime('node22-import', 22, 'import', 'consumer-import.mjs'),
  nodeRuntime('node22-require', 22, 'require()', 'consumer-require.cjs'),
  nodeRuntime('node24-import', 24, 'import', 'consumer-import.mjs'),
  nodeRuntime('node24-require', 24, 'require()', 'consumer-require.cjs'),
  typescriptRuntime('node16'),
  typescriptRuntime('bundler'),
  {
    id: 'bun',
    label: 'Bun',
    files: ['consumer-import.mjs'],
    probe: (dir) => version(join(modules, '.bin', 'bun'), ['--version'], dir),
    run: (dir) => smokeProcess(join(modules, '.bin', 'bun'), ['--no-install', 'consumer-import.mjs'], dir),
  },
  {
    id: 'deno',
    label: 'Deno',
    files: ['consumer-import.mjs'],
    probe: async (dir) => (await version(join(modules, '.bin', 'deno'), ['--version'], dir)).split(' (')[0]!,
    // No permission flags: no network, no env, no file access beyond loading the modules.
    run: (dir) =>
      smokeProcess(
        join(modules, '.bin', 'deno'),
        [
          'run',
          '--no-prompt',
          '--no-remote',
          '--no-lock',
          '--node-modules-dir=manual',
          'consumer-import.mjs',
        ],
        dir,
        { DENO_DIR: join(dir, '.deno'), DENO_NO_UPDATE_CHECK: '1' },
      ),
  },
  ...bundledRuntimes,
];

function nodeRuntime(id: string, major: 22 | 24, how: string, entry: string): Runtime {
  const binary = () => (major === 22 ? node22 : node24);
  return {
    id,
    label: `Node ${major} · ${how}`,
    files: [entry],
    type: entry.endsWith('.cjs') ? 'commonjs' : 'module',
    probe: async (dir) => {
      if (major === 22) node22 = await installNode22();
      return version(binary(), ['--version'], dir);
    },
    run: (dir) => smokeProcess(binary(), [entry], dir),
  };
}

function typescriptRuntime(resolution: 'node16' | 'bundler'): Runtime {
  const tsc = join(modules, 'typescript', 'bin', 'tsc');
  return {
    id: `ts-${resolution}`,
    label: `TypeScript · ${resolution}`,
    files: ['consumer-typescript.ts', 'smoke.ts', `tsconfig.${resolution}.json`],
    probe: async (dir) => `tsc ${(await version(node24, [tsc, '--version'], dir)).replace('Version ', '')}`,
    // tsc emits despite type errors: the compiled consumer still runs, and each type error fails the row.
    run: async (dir) => {
      const compiled = await exec(node24, [tsc, '-p', `tsconfig.${resolution}.json`], dir);
      const problems = (compiled.stdout + compiled.stderr)
        .split(/\n(?=\S)/)
        .map((entry) => entry.trim())
        .filter(Boolean)
        .map((entry) => `tsc (${resolution}): ${entry}`);
      if (compiled.code !== 0 && problems.length === 0)
        problems.push(`tsc (${resolution}) exited ${compiled.code}`);
      try {
        await access(join(dir, 'out', 'consumer-typescript.js'));
      } catch {
        return { result: 'fail', error: problems.join('\n') || 'tsc emitted nothing', problems };
      }
      const outcome = await smokeProcess(node24, [join('out', 'consumer-typescript.js')], dir);
      if (problems.length === 0) return outcome;
      const all = [...problems, ...(outcome.result === 'skip' || !outcome.error ? [] : [outcome.error])];
      return { ...outcome, result: 'fail', error: all.join('\n'), problems: all };
    },
  };
}

/** Node 22 from the `node` npm package, installed apart (test/runtimes/node22) and kept in node_modules/.cache. */
async function installNode22(): Promise<string> {
  const dir = join(modules, '.cache', 'replikit-runtimes', 'node22');
  const lock = await readFile(join(here, 'node22', 'package-lock.json'), 'utf8');
  const wanted = (JSON.parse(lock) as { packages: Record<string, { version?: string }> }).packages[
    'node_modules/node'
  ]!.version;
  const binary = join(dir, 'node_modules', 'node', 'bin', 'node');
  const have = await exec(binary, ['--version'], root).catch(() => undefined);
  if (have?.stdout.trim() === `v${wanted}`) return binary;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await copyFile(join(here, 'node22', 'package.json'), join(dir, 'package.json'));
  await writeFile(join(dir, 'package-lock.json'), lock);
  const installed = await exec(
    'npm',
    ['ci', '--no-audit', '--no-fund', '--prefer-offline'],
    dir,
    npmEnv(),
    INSTALL_TIMEOUT,
  );
  if (installed.code !== 0) throw new Error(`npm ci of node@${wanted} failed:\n${installed.stderr.trim()}`);
  return binary;
}
