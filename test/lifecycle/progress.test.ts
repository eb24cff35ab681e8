import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileOutput, Replicate } from '../../src/index';
import { type Progress, progressFromLogs } from '../../src/lifecycle/progress';
import { fixture, prediction } from '../helpers/fixtures';
import { BASE, json, route } from '../helpers/server';
import { sseFixture, sseResponse, track } from '../helpers/sse';

const NOW = new Date('2025-01-01T00:00:00Z').getTime();
const DRAIN = 10 * 60_000;
const ID = 'ufawqhfynnddngldkgtslldrkq';
const replicate = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });

/**
 * Log lines as stable-diffusion printed them while replicate-python's `run.yaml` cassette polled it
 * (replicate/replicate-python@b82228532b, Apache-2.0), a selection of its lines: diffusers' tqdm bars.
 */
const SD_LOGS = [
  'Using seed: 42069\nPrompt: a studio photo of a rainbow colored corgi\ntxt2img mode',
  '  0%|          | 0/50 [00:00<?, ?it/s]',
  '  4%|▍         | 2/50 [00:00<00:02, 16.92it/s]',
  ' 52%|█████▏    | 26/50 [00:01<00:01, 16.88it/s]',
  ' 92%|█████████▏| 46/50 [00:02<00:00, 16.84it/s]',
  '100%|██████████| 50/50 [00:02<00:00, 16.84it/s]\n100%|██████████| 50/50 [00:02<00:00, 16.89it/s]',
];
const logsUpTo = (n: number) => `${SD_LOGS.slice(0, n).join('\n')}\n`;

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('progressFromLogs', () => {
  it.each([
    [logsUpTo(1), undefined],
    [logsUpTo(2), 0],
    [logsUpTo(3), 0.04],
    [logsUpTo(4), 0.52],
    [logsUpTo(5), 0.92],
    [logsUpTo(6), 1],
  ])('reads the last tqdm bar of real stable-diffusion logs (%#)', (logs, fraction) => {
    expect(progressFromLogs(logs)).toBe(fraction);
  });

  it('reads the real flux-schnell logs, which end with a line after the bar', () => {
    const flux = fixture('api/prediction-get-flux.json') as { logs: string };
    expect(progressFromLogs(flux.logs)).toBe(1);
    expect(progressFromLogs(flux.logs.split('\n').slice(0, 4).join('\n'))).toBe(0.75);
  });

  it('reads carriage-return updates on one line (tqdm without newlines)', () => {
    expect(progressFromLogs('  10%|█         | 1/10\r 20%|██        | 2/10\r 30%|███       | 3/10')).toBe(
      0.3,
    );
  });

  it.each([null, undefined, '', 'loss went down 50% today', '50 %| not a bar', 'Loading weights'])(
    'finds no progress in %j',
    (logs) => {
      expect(progressFromLogs(logs)).toBeUndefined();
    },
  );
});

describe('onProgress', () => {
  it('reports status changes and bar fractions while polling, each change once', async () => {
    route(
      'POST',
      '/models/stability-ai/sdxl/predictions',
      json(prediction({ status: 'starting' }), { status: 201 }),
    );
    route(
      'GET',
      `/predictions/${ID}`,
      json(prediction({ status: 'starting' })),
      json(prediction({ status: 'processing', logs: logsUpTo(1) })),
      json(prediction({ status: 'processing', logs: logsUpTo(4) })),
      json(prediction({ status: 'processing', logs: logsUpTo(4) })),
      json(prediction({ status: 'processing', logs: logsUpTo(5) })),
      json(
        prediction({
          status: 'succeeded',
          logs: logsUpTo(6),
          output: ['https://replicate.delivery/pbxt/x/out-0.png'],
        }),
      ),
    );
    const seen: Array<[string, number | undefined]> = [];
    const { done } = track(() =>
      replicate().run('stability-ai/sdxl', {
        input: { prompt: 'a unicorn' },
        onProgress: ({ status, fraction, prediction: p }: Progress) => {
          expect(p.id).toBe(ID);
          seen.push([status, fraction]);
        },
      }),
    );
    await vi.advanceTimersByTimeAsync(DRAIN);
    await done;
    expect(seen).toEqual([
      ['starting', undefined],
      ['processing', undefined],
      ['processing', 0.52],
      ['processing', 0.92],
      ['succeeded', 1],
    ]);
  });

  it('reports logs events from the event stream as they arrive, then the final status', async () => {
    const created = fixture('api/prediction-get-flux.json') as Record<string, unknown> & {
      urls: { stream: string };
    };
    route(
      'POST',
      '/models/black-forest-labs/flux-schnell/predictions',
      json({ ...created, status: 'starting', logs: '', output: null }, { status: 201 }),
    );
    route('GET', created.urls.stream, () => sseResponse(sseFixture('flux-schnell-logs.sse')));
    route('GET', `/predictions/${created.id}`, json(created));
    const seen: Array<[string, number | undefined]> = [];
    const { outcome, done } = track(() =>
      replicate().run<FileOutput[]>('black-forest-labs/flux-schnell', {
        input: { prompt: 'otter' },
        onProgress: ({ status, fraction }) => seen.push([status, fraction]),
      }),
    );
    await vi.advanceTimersByTimeAsync(DRAIN);
    await done;
    expect(seen).toEqual([
      ['starting', undefined],
      ['processing', undefined],
      ['processing', 0],
      ['processing', 0.75],
      ['processing', 1],
      ['succeeded', 1],
    ]);
    expect(outcome.value?.[0]).toBeInstanceOf(FileOutput);
  });

  it('reports a prediction that succeeded at create once, at 1', async () => {
    route(
      'POST',
      '/models/acme/hello/predictions',
      json(prediction({ status: 'succeeded' }), { status: 201 }),
    );
    const seen: Progress[] = [];
    await replicate().run('acme/hello', { input: {}, onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => [p.status, p.fraction])).toEqual([['succeeded', 1]]);
  });
});
