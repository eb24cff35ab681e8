import { Replicate, type ReplicateOptions, TimeoutError } from 'replikit';
import { createFakeReplicate, type FakeReplicateOptions, type FaultRule, textModel } from 'replikit/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collect, drive, leftovers, SLOW, setup, TEXT } from './helpers';

const NOW = new Date('2025-06-01T00:00:00Z').getTime();

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

/** What is left on the fake: predictions by status. */
const statuses = (fake: ReturnType<typeof setup>['fake']) => fake.predictions.list().map((p) => p.status);

describe('slow responses: timeouts fire and predictions are canceled', () => {
  it('a GET slower than the client timeout fails with TimeoutError after `timeout`', async () => {
    const { fake, replicate, bodies } = setup(
      { faults: [{ route: 'predictions.get', type: 'slow', delay: 120_000 }] },
      { timeout: 5_000 },
    );
    const created = await replicate.predictions.create({ model: TEXT, input: { prompt: 'x' } });
    const outcome = await drive(() => replicate.predictions.get(created.id));
    expect(outcome.error).toBeInstanceOf(TimeoutError);
    expect((outcome.error as TimeoutError).timeout).toBe(5_000);
    expect(outcome.at! - NOW).toBe(5_000);
    expect(fake.count('predictions.get')).toBe(1);
    expect(await leftovers(bodies)).toEqual({ timers: 0, openBodies: 0 });
  });

  it('run({ timeout }) on a slow model: TimeoutError on time, the prediction canceled', async () => {
    const { fake, replicate, bodies } = setup();
    const outcome = await drive(() => replicate.run(SLOW, { input: {}, timeout: 3_000 }));
    expect(outcome.error).toBeInstanceOf(TimeoutError);
    expect(outcome.at! - NOW).toBe(3_000);
    expect(await leftovers(bodies)).toEqual({ timers: 0, openBodies: 0 });
    // The create was still held by Prefer: wait, so the id came only when the model finished at 10 s.
    expect(statuses(fake)).toEqual(['succeeded']);
  });

  it('run({ timeout }) while every poll answers slowly: TimeoutError on time, canceled', async () => {
    const { fake, replicate, bodies } = setup({
      faults: [{ route: 'predictions.get', type: 'slow', delay: 30_000 }],
    });
    const outcome = await drive(() =>
      replicate.run(SLOW, { input: {}, wait: false, useStream: false, timeout: 8_000 }),
    );
    expect(outcome.error).toBeInstanceOf(TimeoutError);
    expect(outcome.at! - NOW).toBe(8_000);
    expect(statuses(fake)).toEqual(['canceled']);
    expect(await leftovers(bodies)).toEqual({ timers: 0, openBodies: 0 });
  });

  it('a create held by Prefer: wait longer than the client timeout is not cut (it gets wait + 10 s)', async () => {
    const { fake, replicate } = setup(
      { faults: [{ route: 'create', type: 'slow', delay: 65_000 }] },
      { timeout: 5_000 },
    );
    const outcome = await drive(() => replicate.run(TEXT, { input: { prompt: 'patience' }, wait: 60 }));
    expect(outcome.value).toEqual(['patience']);
    expect(fake.count('create')).toBe(1);
  });

  it('a stream that stalls longer than a caller deadline is aborted and the prediction canceled', async () => {
    const { fake, replicate, bodies } = setup({
      faults: [{ route: 'stream', type: 'slow', delay: 600_000 }],
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('deadline')), 4_000);
    const outcome = await drive(() =>
      collect(replicate.stream(SLOW, { input: {}, signal: controller.signal })),
    );
    expect(outcome.error).toEqual(new Error('deadline'));
    expect(outcome.at! - NOW).toBe(4_000);
    expect(statuses(fake)).toEqual(['canceled']);
    expect(await leftovers(bodies)).toEqual({ timers: 0, openBodies: 0 });
  });
});

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

describe('real sockets and timers (a fake on 127.0.0.1, real time)', () => {
  beforeEach(() => {
    vi.useRealTimers();
  });

  it('after aborts mid-stream and mid-create, no request stays open and no timer is left behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const options: FakeReplicateOptions = {
      presets: false,
      rateLimit: false,
      models: {
        'acme/trickle': textModel({ respond: 'one two three four five six', tokenDelay: 200, startDelay: 0 }),
      },
      faults: [{ route: 'create', type: 'slow', delay: 300, skip: 1 }],
    };
    const fake = createFakeReplicate(options);
    // Count requests the server is still answering: a client that leaks a body keeps one open.
    let inFlight = 0;
    const server = await fake.listen({ port: 0 });
    const counting: typeof fetch = async (input, init) => {
      inFlight++;
      try {
        const response = await fetch(input, init);
        if (!response.body) return response;
        const reader = response.body.getReader();
        let closed = false;
        const done = () => {
          if (!closed) inFlight--;
          closed = true;
        };
        (init?.signal ?? (input instanceof Request ? input.signal : undefined))?.addEventListener(
          'abort',
          done,
        );
        return new Response(
          new ReadableStream({
            async pull(controller) {
              try {
                const chunk = await reader.read();
                if (chunk.done) {
                  done();
                  controller.close();
                } else controller.enqueue(chunk.value);
              } catch (error) {
                done();
                controller.error(error);
              }
            },
            cancel: (reason) => {
              done();
              return reader.cancel(reason);
            },
          }),
          { status: response.status, headers: response.headers },
        );
      } catch (error) {
        inFlight--;
        throw error;
      }
    };
    const client: ReplicateOptions = { auth: 'r8_fault_suite', baseUrl: server.baseUrl, fetch: counting };
    const replicate = new Replicate(client);
    const before = timers();
    try {
      // Mid-stream: abort after the second token.
      const controller = new AbortController();
      const seen: string[] = [];
      const streamed = collect(
        (async function* () {
          for await (const event of replicate.stream('acme/trickle', {
            input: {},
            signal: controller.signal,
          })) {
            if (event.type === 'output') seen.push(event.data);
            if (seen.length === 2) controller.abort(new Error('enough'));
            yield event;
          }
        })(),
      );
      await expect(streamed).rejects.toThrow('enough');
      // Mid-create: the second create is held 300 ms; abort after 100 ms.
      const late = new AbortController();
      setTimeout(() => late.abort(new Error('too slow')), 100);
      await expect(
        replicate.run('acme/trickle', { input: {}, signal: late.signal, wait: false }),
      ).rejects.toThrow('too slow');
      // The late create still answers; its prediction is then canceled.
      const settled = () => fake.predictions.list().filter((p) => p.status === 'canceled').length === 2;
      for (let i = 0; i < 100 && !settled(); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(fake.predictions.list().map((p) => p.status)).toEqual(['canceled', 'canceled']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(inFlight).toBe(0);
      expect(timers()).toBeLessThanOrEqual(before);
    } finally {
      await server.close();
      await fake.close();
    }
  });
});
