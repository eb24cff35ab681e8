import type { FakeReplicateOptions } from 'replikit/testing';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/output';
import { drive } from '../faults/helpers';
import { useFakeClock } from '../helpers/clock';
import { NOW, setup, TOKEN } from './secrets-helpers';

useFakeClock(NOW);

describe('CLI output never shows the token', () => {
  function io(env: Record<string, string>): Io & { out: string; err: string } {
    const result = {
      out: '',
      err: '',
      stdout: { write: (text: string) => (result.out += text), isTTY: false },
      stderr: { write: (text: string) => (result.err += text), isTTY: false },
      stdin: (async function* () {})(),
      env,
    };
    return result;
  }

  const COMMANDS: Array<[string, string[], FakeReplicateOptions['faults']]> = [
    [
      'run: a 401 echoing the token',
      ['run', 'acme/echo', '-i', 'prompt=hi'],
      [{ route: 'create', type: 'server-error', status: 401 }],
    ],
    [
      'run: a 422 echoing it',
      ['run', 'acme/echo', '-i', 'prompt=hi'],
      [{ route: 'create', type: 'server-error', status: 422 }],
    ],
    [
      'run: a 500 echoing it',
      ['run', 'acme/echo', '-i', 'prompt=hi', '--json'],
      [{ route: 'create', type: 'server-error', status: 500 }],
    ],
    ['run: a failed prediction whose error echoes it', ['run', 'acme/leaky'], []],
    ['run --stream: an error event echoing it', ['run', 'acme/leaky', '--stream'], []],
    [
      'run --stream --json',
      ['run', 'acme/echo', '-i', 'prompt=hi', '--stream', '--json'],
      [{ route: 'stream', type: 'server-error', status: 403 }],
    ],
    [
      'chat: a 402 echoing it',
      ['chat', 'acme/echo', 'hello'],
      [{ route: 'create', type: 'server-error', status: 402 }],
    ],
    [
      'predictions list: a 429 echoing it',
      ['predictions', 'list'],
      [{ route: 'predictions.list', type: 'server-error', status: 429 }],
    ],
    [
      'predictions get: a 404 echoing it',
      ['predictions', 'get', 'abc', '--json'],
      [{ route: 'predictions.get', type: 'server-error', status: 404 }],
    ],
    [
      'predictions cancel: a reset',
      ['predictions', 'cancel', 'abc'],
      [{ route: 'predictions.cancel', type: 'reset' }],
    ],
    [
      'cost <id>: a 503 echoing it',
      ['cost', 'abc'],
      [{ route: 'predictions.get', type: 'server-error', status: 503 }],
    ],
    ['run: success, --json', ['run', 'acme/echo', '-i', 'prompt=hi', '--json'], []],
  ];

  it.each(COMMANDS)('%s', async (_, argv, faults) => {
    // The token reaches the CLI the way it does in real life: REPLICATE_API_TOKEN in the environment.
    const streams = io({ REPLICATE_API_TOKEN: TOKEN });
    const factory = async (_fake: boolean, env: Io['env']) =>
      setup({ faults }, { auth: env.REPLICATE_API_TOKEN, maxRetries: 0 }).replicate;
    const code = (await drive(() => main(argv, streams, new AbortController().signal, factory))).value;
    expect(code).toBeDefined();
    expect(streams.out + streams.err).not.toContain(TOKEN);
    expect(streams.out + streams.err).not.toContain(TOKEN.slice(3, -5));
  });
});
