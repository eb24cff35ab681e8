import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'dist/cli/bin.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built `replikit` bin in its own process, with no token in its environment. */
function cli(args: string[], stdin?: string): Promise<Result> {
  return new Promise((resolve) => {
    const env = { ...process.env, REPLICATE_API_TOKEN: '' };
    const child = execFile(process.execPath, [BIN, ...args], { env, cwd: ROOT }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
    child.stdin?.end(stdin ?? '');
  });
}

beforeAll(() => {
  // The CLI is tested as users run it: the bin of the built package.
  execFileSync(process.execPath, [join(ROOT, 'node_modules/tsup/dist/cli-default.js'), '--silent'], {
    cwd: ROOT,
  });
}, 120_000);

describe('replikit CLI (built bin, --fake)', () => {
  it('run prints a language model’s text and exits 0', async () => {
    const { code, stdout, stderr } = await cli([
      'run',
      'meta/meta-llama-3-8b-instruct',
      '-i',
      'prompt=hello',
      '-i',
      'max_tokens=5',
      '--fake',
    ]);
    expect(code).toBe(0);
    expect(stdout.trim().split(/\s+/).length).toBeGreaterThanOrEqual(1);
    expect(stderr).toMatch(/^\w+ succeeded$/m); // not a TTY: plain status lines
  });

  it('run --json prints the whole prediction with typed inputs', async () => {
    const { code, stdout } = await cli([
      'run',
      'black-forest-labs/flux-schnell',
      '-i',
      'prompt=a fox',
      '-i',
      'num_outputs=2',
      '--json',
      '--fake',
    ]);
    expect(code).toBe(0);
    const prediction = JSON.parse(stdout);
    expect(prediction.status).toBe('succeeded');
    expect(prediction.input).toEqual({ prompt: 'a fox', num_outputs: 2 });
    expect(prediction.output).toHaveLength(2);
    expect(prediction.output[0]).toMatch(/^https:\/\/replicate\.delivery\/.+\.webp$/);
  });

  it('run --stream writes output events as they come', async () => {
    const { code, stdout } = await cli([
      'run',
      'meta/meta-llama-3-8b-instruct',
      '-i',
      'prompt=hi',
      '-i',
      'max_tokens=6',
      '--stream',
      '--json',
      '--fake',
    ]);
    expect(code).toBe(0);
    const events = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(events.filter((e) => e.type === 'output').length).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ type: 'done' });
  });

  it('stream is run --stream', async () => {
    const { code, stdout } = await cli([
      'stream',
      'meta/meta-llama-3-8b-instruct',
      '-i',
      'prompt=hi',
      '--json',
      '--fake',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toMatchObject({ type: 'done' });
  });

  it('chat streams the answer; --json prints a chat.completion', async () => {
    const streamed = await cli([
      'chat',
      'meta/meta-llama-3-8b-instruct',
      'Hi!',
      '--max-tokens',
      '8',
      '--fake',
    ]);
    expect(streamed.code).toBe(0);
    expect(streamed.stdout.trim().length).toBeGreaterThan(0);
    const json = await cli([
      'chat',
      'meta/meta-llama-3-8b-instruct',
      'Hi!',
      '--system',
      'Be brief.',
      '--json',
      '--fake',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      object: 'chat.completion',
      choices: [{ index: 0, finish_reason: 'stop' }],
    });
  });

  it('-i key=@file uploads the file and sends its URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replikit-cli-'));
    writeFileSync(join(dir, 'photo.png'), new Uint8Array([137, 80, 78, 71]));
    const { code, stdout } = await cli([
      'run',
      'black-forest-labs/flux-dev',
      '-i',
      'prompt=x',
      '-i',
      `image=@${join(dir, 'photo.png')}`,
      '--json',
      '--fake',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).input.image).toMatch(/^https:\/\/api\.replicate\.com\/v1\/files\/.+/);
  });

  it('tokens counts a file or standard input', async () => {
    const { code, stdout } = await cli(
      ['tokens', '-', '--model', 'meta/meta-llama-3-8b-instruct', '--json'],
      'Hello world, how are you today?',
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ model: 'meta/meta-llama-3-8b-instruct', characters: 31 });
    expect(JSON.parse(stdout).tokens).toBeGreaterThan(4);
  });

  it('cost estimates exact money before a call', async () => {
    const { code, stdout } = await cli([
      'cost',
      '--model',
      'meta/meta-llama-3-70b-instruct',
      '--input-tokens',
      '1000',
      '--output-tokens',
      '500',
    ]);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe('$0.002025 (estimated, per token)');
  });

  it.each([
    [['run', '--fake'], /run needs a model/],
    [['run', 'a/b', '-i', 'novalue', '--fake'], /key=value/],
    [['nope'], /unknown command "nope"/],
    [['run', 'a/b', '--no-such-flag', '--fake'], /Unknown option/],
    [['cost'], /prediction id or --model/],
  ])('usage errors exit 2: %j', async (args, message) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('API errors exit 3 with the message', async () => {
    const { code, stderr } = await cli(['predictions', 'get', 'nothere', '--fake']);
    expect(code).toBe(3);
    expect(stderr).toContain('not found');
  });

  it('an option the client rejects before any request is a usage error', async () => {
    const { code, stderr } = await cli([
      'run',
      'meta/meta-llama-3-8b-instruct',
      '-i',
      'prompt=x',
      '--cancel-after',
      '1s',
      '--fake',
    ]);
    expect(code).toBe(2); // below Replicate's 5 s minimum
    expect(stderr).toContain('Invalid cancelAfter "1s": use seconds (>= 5)');
  });

  it('--help works for every command', async () => {
    for (const command of ['run', 'stream', 'chat', 'predictions', 'tokens', 'cost']) {
      const { code, stdout } = await cli([command, '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: replikit ${command}`);
    }
    expect((await cli(['--help'])).stdout).toContain('Exit codes');
  });

  it('without --fake and without a token, says so and exits 3', async () => {
    const { code, stderr } = await cli(['predictions', 'list']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/REPLICATE_API_TOKEN/);
  });
});
