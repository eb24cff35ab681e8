import { TimeoutError } from 'replikit';
import { describe, expect, it } from 'vitest';
import { useFakeClock } from '../helpers/clock';
import { collect, drive, leftovers, SLOW, setup, TEXT } from './helpers';
import { NOW, statuses } from './slow-abort-helpers';

useFakeClock(NOW);

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
