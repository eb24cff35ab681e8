import { Replicate } from 'replikit';
import { type FaultRule, textModel } from 'replikit/testing';
import { describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '../helpers/clock';
import { collect, drive, leftovers, SLOW, setup, TEXT } from './helpers';
import { NOW, statuses } from './slow-abort-helpers';

useFakeClock(NOW);

type Call = (replicate: Replicate, signal: AbortSignal) => Promise<unknown>;
const run: Call = (r, signal) => r.run(SLOW, { input: {}, signal });
const poll: Call = (r, signal) => r.run(SLOW, { input: {}, signal, wait: false, useStream: false });
const onStream: Call = (r, signal) => r.run(SLOW, { input: {}, signal, wait: false });
const upload: Call = (r, signal) => r.run(SLOW, { input: { file: new Blob(['bytes']) }, signal });
const stream: Call = (r, signal) => collect(r.stream(SLOW, { input: {}, signal }));
const tokens: Call = (r, signal) => collect(r.stream('acme/trickle', { input: {}, signal }));

/**
 * Each stage a call can be in when its signal aborts: the faults that hold it there, when to abort, and
 * what must remain on the fake (`[]`: nothing created; `['canceled']`: created, then canceled).
 */
const STAGES: Array<[stage: string, call: Call, faults: FaultRule[], abortAt: number, left: string[]]> = [
  ['run: before anything', run, [], 0, []],
  ['run: during an upload', upload, [{ route: 'files.create', type: 'slow', delay: 60_000 }], 1_000, []],
  // No request is in flight during the wait: the create must not be sent again after the abort.
  [
    'run: during a 429 Retry-After wait on the create',
    run,
    [{ route: 'create', type: 'server-error', status: 429, retryAfter: 30, times: 1 }],
    1_000,
    [],
  ],
  // Held by Prefer: wait, the id arrives only when the model is done (a known limit of Prefer: wait).
  ['run: during the create (held by Prefer: wait)', run, [], 1_000, ['succeeded']],
  [
    'run: during a slow create (wait: false)',
    poll,
    [{ route: 'create', type: 'slow', delay: 20_000 }],
    1_000,
    ['canceled'],
  ],
  ['run: between polls', poll, [], 1_000, ['canceled']],
  [
    'run: during a slow poll',
    poll,
    [{ route: 'predictions.get', type: 'slow', delay: 60_000 }],
    2_000,
    ['canceled'],
  ],
  [
    'run: during a GET backoff (503 Retry-After)',
    poll,
    [{ route: 'predictions.get', type: 'server-error', status: 503, retryAfter: 30 }],
    2_000,
    ['canceled'],
  ],
  ['run: waiting on the event stream', onStream, [], 2_000, ['canceled']],
  [
    'run: during a stream reconnect delay',
    onStream,
    [{ route: 'stream', type: 'truncate', afterEvents: 0 }],
    300,
    ['canceled'],
  ],
  ['stream: before anything', stream, [], 0, []],
  [
    'stream: during the create',
    stream,
    [{ route: 'create', type: 'slow', delay: 20_000 }],
    1_000,
    ['canceled'],
  ],
  [
    'stream: during the connect',
    stream,
    [{ route: 'stream', type: 'slow', delay: 60_000 }],
    1_000,
    ['canceled'],
  ],
  ['stream: between tokens', tokens, [], 1_500, ['canceled']],
  [
    'stream: during a reconnect delay',
    stream,
    [{ route: 'stream', type: 'truncate', afterEvents: 0 }],
    300,
    ['canceled'],
  ],
];

describe('aborts at every stage: the call rejects with the reason, nothing keeps running, nothing leaks', () => {
  it.each(STAGES)('%s', async (_, call, faults, abortAt, left) => {
    const { fake, replicate, bodies } = setup({
      faults,
      models: {
        [TEXT]: textModel({ respond: 'x', tokenDelay: 0, startDelay: 0 }),
        [SLOW]: textModel({ respond: 'slow', tokenDelay: 0, startDelay: 10_000 }),
        'acme/trickle': textModel({ respond: 'one two three four five', tokenDelay: 1_000, startDelay: 0 }),
      },
    });
    const controller = new AbortController();
    const reason = new Error(`aborted at ${abortAt} ms`);
    if (abortAt === 0) controller.abort(reason);
    else setTimeout(() => controller.abort(reason), abortAt);
    const outcome = await drive(() => call(replicate, controller.signal));
    expect(outcome.error).toBe(reason);
    // It rejects at once: at most the time of its best-effort cancel, which the fake answers at once.
    expect(outcome.at! - NOW).toBe(abortAt);
    expect(await leftovers(bodies)).toEqual({ timers: 0, openBodies: 0 });
    expect(statuses(fake)).toEqual(left);
    // Nothing is sent again after the abort but the best-effort cancel (and a create already in flight).
    expect(fake.count('create')).toBeLessThanOrEqual(abortAt === 0 ? 0 : 1);
  });

  it('runs queued by the client rate limit (rateLimit) send nothing once aborted', async () => {
    const { fake } = setup();
    const replicate = new Replicate({
      auth: 'r8_fault_suite',
      fetch: fake.fetch,
      rateLimit: { createsPerMinute: 6, burst: 1 },
    });
    const controller = new AbortController();
    const reason = new Error('the user left');
    setTimeout(() => controller.abort(reason), 1_000);
    const outcomes = await Promise.all(
      [0, 1, 2].map((index) =>
        drive(() => replicate.run(TEXT, { input: { prompt: `queued ${index}` }, signal: controller.signal })),
      ),
    );
    // The first went at once and finished; the other two were still queued (one create every 10 s).
    expect(outcomes.map((outcome) => outcome.error ?? outcome.value)).toEqual([
      ['queued', ' 0'],
      reason,
      reason,
    ]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.count('create')).toBe(1);
    expect(statuses(fake)).toEqual(['succeeded']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a consumer that breaks out of a stream closes the connection (and cancels with cancelOnBreak)', async () => {
    for (const cancelOnBreak of [false, true]) {
      const { fake, replicate, bodies } = setup({
        models: {
          'acme/trickle': textModel({ respond: 'one two three four', tokenDelay: 1_000, startDelay: 0 }),
        },
      });
      const outcome = await drive(async () => {
        for await (const event of replicate.stream('acme/trickle', { input: {}, cancelOnBreak })) {
          if (event.type === 'output') break;
        }
      });
      expect(outcome.error).toBeUndefined();
      expect(bodies.open).toBe(0);
      expect(statuses(fake)).toEqual([cancelOnBreak ? 'canceled' : 'processing']);
      await fake.close();
      expect(await leftovers(bodies)).toEqual({ timers: 0, openBodies: 0 });
    }
  });
});
