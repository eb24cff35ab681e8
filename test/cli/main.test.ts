import { Replicate } from 'replikit';
import { createFakeReplicate, defineModel, failingModel } from 'replikit/testing';
import { estimateTokens } from 'replikit/tokens';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import type { Io } from '../../src/cli/output';

function io(tty = false): Io & { out: string; err: string } {
  const result = {
    out: '',
    err: '',
    stdout: { write: (text: string) => (result.out += text), isTTY: tty },
    stderr: { write: (text: string) => (result.err += text), isTTY: tty },
    stdin: (async function* () {})(),
    env: {},
  };
  return result;
}

const LLAMA = 'meta/meta-llama-3-8b-instruct';
const fake = createFakeReplicate({
  models: {
    'acme/broken': failingModel({ error: 'CUDA out of memory' }),
    // an official language model whose predictions report no token counts
    [LLAMA]: defineModel({
      official: true,
      startDelay: 0,
      run: () => ({ steps: [], duration: 1, result: { status: 'succeeded', output: ['Hello', ' there'] } }),
    }),
  },
});
const client = async () => new Replicate({ auth: 'test', fetch: fake.fetch });

describe('replikit CLI exit codes and output (in process)', () => {
  it('a failed prediction exits 1 with the model error', async () => {
    const streams = io();
    const code = await main(
      ['run', 'acme/broken', '-i', 'prompt=x'],
      streams,
      new AbortController().signal,
      client,
    );
    expect(code).toBe(1);
    expect(streams.err).toContain('CUDA out of memory');
  });

  it('an aborted command exits 1', async () => {
    const controller = new AbortController();
    controller.abort(new DOMException('Interrupted.', 'AbortError'));
    const code = await main(
      ['run', 'meta/meta-llama-3-8b-instruct', '-i', 'prompt=x'],
      io(),
      controller.signal,
      client,
    );
    expect(code).toBe(1);
  });

  it('draws a progress bar on a terminal for an image model', async () => {
    const streams = io(true);
    const code = await main(
      ['run', 'black-forest-labs/flux-schnell', '-i', 'prompt=x'],
      streams,
      new AbortController().signal,
      client,
    );
    expect(code).toBe(0);
    expect(streams.err).toMatch(/\[#{24}\] 100% succeeded/);
    expect(streams.err).toContain('\r\x1b[2K');
    expect(JSON.parse(streams.out)).toHaveLength(1);
  });

  it('cost <id> estimates the tokens a prediction does not report, with the tokens entry', async () => {
    const replicate = await client();
    const prediction = await replicate.runPrediction(LLAMA, { input: { prompt: 'Say hello' } });
    expect(prediction.metrics?.input_token_count).toBeUndefined();
    const streams = io();
    const code = await main(['cost', prediction.id, '--json'], streams, new AbortController().signal, client);
    expect(code).toBe(0);
    const cost = JSON.parse(streams.out);
    const tokens = [
      estimateTokens('Say hello', { model: LLAMA }),
      estimateTokens('Hello there', { model: LLAMA }),
    ];
    expect(cost).toMatchObject({ basis: 'estimated', model: LLAMA });
    expect(cost.breakdown.map((line: { quantity: number }) => line.quantity)).toEqual(tokens);
  });
});
