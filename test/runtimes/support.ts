// Paths, child processes and small helpers of the runtime matrix.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromReport } from './outcome.ts';
import type { SmokeReport } from './smoke.ts';

export const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
export const modules = join(root, 'node_modules');
export const node24 = join(modules, 'node', 'bin', 'node');
export const RUN_TIMEOUT = 90_000;
export const INSTALL_TIMEOUT = 300_000;
const MARK = 'REPLIKIT_SMOKE ';

export interface Exec {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function exec(
  command: string,
  argv: string[],
  cwd: string,
  env?: NodeJS.ProcessEnv,
  timeout = RUN_TIMEOUT,
): Promise<Exec> {
  return new Promise((done, fail) => {
    const child = spawn(command, argv, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeout / 1000} s)`;
      child.kill('SIGKILL');
    }, timeout);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

export async function version(command: string, argv: string[], cwd: string): Promise<string> {
  const result = await exec(command, argv, cwd);
  if (result.code !== 0)
    throw new Error(`${command} ${argv.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

export async function smokeProcess(command: string, argv: string[], cwd: string, env?: NodeJS.ProcessEnv) {
  const result = await exec(command, argv, cwd, { ...process.env, ...env });
  const line = result.stdout.split('\n').find((l) => l.startsWith(MARK));
  if (!line)
    return {
      result: 'fail',
      error: `no report (exit ${result.code}):\n${tail(`${result.stdout}\n${result.stderr}`.trim())}`,
    } as const;
  const outcome = fromReport(JSON.parse(line.slice(MARK.length)) as SmokeReport);
  if (outcome.result === 'pass' && result.code !== 0)
    return {
      result: 'fail',
      report: outcome.report,
      error: `exit ${result.code}:\n${tail(result.stderr)}`,
    } as const;
  return outcome;
}

/** npm's own settings from the surrounding `npm run` would point a nested install at the repository. */
export function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const kept = [
    'npm_config_cache',
    'npm_config_registry',
    'npm_config_userconfig',
    'npm_config_globalconfig',
  ];
  for (const [key, value] of Object.entries(process.env))
    if (!key.toLowerCase().startsWith('npm_') || kept.includes(key.toLowerCase())) env[key] = value;
  return env;
}

export function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(
      () => fail(new Error(`${what} gave no answer in ${RUN_TIMEOUT / 1000} s`)),
      RUN_TIMEOUT,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function limit(concurrency: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((go) => waiting.push(go));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** The installed version of a dev dependency. */
export async function packageVersion(name: string): Promise<string> {
  return (JSON.parse(await readFile(join(modules, name, 'package.json'), 'utf8')) as { version: string })
    .version;
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function tail(text: string, lines = 25): string {
  return text.split('\n').slice(-lines).join('\n');
}
