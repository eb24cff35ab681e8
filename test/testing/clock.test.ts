import { PredictionCanceledError, Replicate } from 'replikit';
import { createFakeReplicate, manualClock, textModel } from 'replikit/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** Starts after 1 s, then one token every 500 ms: tokens at +1.5 s, +2 s, +2.5 s, +3 s; done at +3.5 s. */
const slow = textModel({ respond: 'one two three four', startDelay: 1000, tokenDelay: 500 });

function setup() {
  const fake = createFakeReplicate({ clock: 'manual', presets: false, models: { 'acme/slow': slow } });
  return { fake, replicate: new Replicate({ auth: 'test', fetch: fake.fetch }) };
}

function settledFlag(promise: Promise<unknown>): { readonly value: boolean } {
  const flag = { value: false };
  promise.then(
    () => {
      flag.value = true;
    },
    () => {
      flag.value = true;
    },
  );
  return flag;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the prediction lifecycle on a manual clock', () => {
  it('goes starting → processing (growing output) → succeeded as time advances', async () => {
    const { fake, replicate } = setup();
    const created = await replicate.predictions.create({ model: 'acme/slow', input: { prompt: 'count' } });
    expect(created).toMatchObject({ status: 'starting', output: null, logs: '' });
    expect(created.started_at).toBeUndefined();
    const get = () => replicate.predictions.get(created.id);

    await fake.advance(1000);
    expect(await get()).toMatchObject({ status: 'processing', output: [] });
    await fake.advance(1000);
    expect((await get()).output).toEqual(['one', ' two']);
    await fake.advance(1000);
    expect((await get()).status).toBe('processing');
    await fake.advance(500);
    const done = await get();
    expect(done).toMatchObject({ status: 'succeeded', output: ['one', ' two', ' three', ' four'] });
    expect(done.metrics).toMatchObject({ predict_time: 2.5, total_time: 3.5, output_token_count: 4 });
    expect(Date.parse(done.completed_at!) - Date.parse(done.created_at!)).toBe(3500);
  });

  it('holds a Prefer: wait request until the prediction finishes', async () => {
    const { fake, replicate } = setup();
    const pending = replicate.predictions.create({ model: 'acme/slow', input: {}, wait: 10 });
    const settled = settledFlag(pending);
    await fake.advance(3000);
    expect(settled.value).toBe(false);
    await fake.advance(500);
    expect(settled.value).toBe(true);
    expect(await pending).toMatchObject({ status: 'succeeded', output: ['one', ' two', ' three', ' four'] });
  });

  it('returns processing with partial output when Prefer: wait runs out', async () => {
    const { fake } = setup();
    const pending = fake.fetch('https://api.replicate.com/v1/models/acme/slow/predictions', {
      method: 'POST',
      headers: { authorization: 'Bearer test', 'content-type': 'application/json', prefer: 'wait=2' },
      body: JSON.stringify({ input: { prompt: 'x' } }),
    });
    await fake.advance(2000);
    const response = await pending;
    expect(response.status).toBe(201);
    expect(response.headers.get('preference-applied')).toBe('wait=2');
    expect(await response.json()).toMatchObject({ status: 'processing', output: ['one', ' two'] });
  });

  it('waits on the event stream as the clock moves', async () => {
    const { fake, replicate } = setup();
    const created = await replicate.predictions.create({ model: 'acme/slow', input: {} });
    const waiting = replicate.wait(created);
    await fake.advance(4000);
    expect(await waiting).toMatchObject({ status: 'succeeded' });
  });

  it('cancels a running prediction, keeping its output so far', async () => {
    const { fake, replicate } = setup();
    const created = await replicate.predictions.create({ model: 'acme/slow', input: {} });
    await fake.advance(2200);
    const canceled = await replicate.predictions.cancel(created.id);
    expect(canceled).toMatchObject({ status: 'canceled', output: ['one', ' two'] });
    expect(canceled.metrics).toEqual({ predict_time: 1.2, total_time: 2.2 });
    await fake.advance(5000);
    expect(await replicate.predictions.get(created.id)).toMatchObject({ status: 'canceled' });
    expect((await replicate.predictions.cancel(created.id)).completed_at).toBe(canceled.completed_at);
  });

  it('cancels a starting prediction before it runs', async () => {
    const { replicate } = setup();
    const created = await replicate.predictions.create({ model: 'acme/slow', input: {} });
    const canceled = await replicate.predictions.cancel(created.id);
    expect(canceled).toMatchObject({ status: 'canceled', output: null });
    expect(canceled.started_at).toBeUndefined();
  });

  it('Cancel-After: canceled when the deadline passes while running', async () => {
    const fake = createFakeReplicate({
      clock: 'manual',
      presets: false,
      models: {
        'acme/long': textModel({ respond: 'a b c d e f g h i j', startDelay: 1000, tokenDelay: 1000 }),
      },
    });
    const replicate = new Replicate({ auth: 'test', fetch: fake.fetch });
    const created = await replicate.predictions.create({ model: 'acme/long', input: {}, cancelAfter: '5s' });
    expect(Date.parse(created.deadline!) - Date.parse(created.created_at!)).toBe(5000);
    await fake.advance(6000);
    const ended = await replicate.predictions.get(created.id);
    expect(ended).toMatchObject({ status: 'canceled', output: ['a', ' b', ' c', ' d'] });
    expect(ended.completed_at).toBe(created.deadline);
  });

  it('Cancel-After: aborted when the deadline passes before a slow cold start', async () => {
    const fake = createFakeReplicate({
      clock: 'manual',
      presets: false,
      models: { 'acme/cold': textModel({ startDelay: 60_000 }) },
    });
    const replicate = new Replicate({ auth: 'test', fetch: fake.fetch });
    const running = replicate.run('acme/cold', { input: { prompt: 'x' }, cancelAfter: 5 });
    const outcome = running.catch((error: unknown) => error);
    await fake.advance(5000);
    const error = await outcome;
    expect(error).toBeInstanceOf(PredictionCanceledError);
    const aborted = (error as PredictionCanceledError).prediction;
    expect(aborted).toMatchObject({ status: 'aborted', output: null });
    expect(aborted.started_at).toBeUndefined();
    expect(aborted.metrics).toEqual({ total_time: 5 });
  });

  it('rejects a Cancel-After under 5 s', async () => {
    const { fake } = setup();
    const response = await fake.fetch('https://api.replicate.com/v1/models/acme/slow/predictions', {
      method: 'POST',
      headers: { authorization: 'Bearer test', 'cancel-after': '2s' },
      body: JSON.stringify({ input: {} }),
    });
    expect(response.status).toBe(400);
  });

  it('accepts a clock from outside and starts it where asked', async () => {
    const clock = manualClock({ start: new Date('2025-01-01T00:00:00Z') });
    const fake = createFakeReplicate({ clock, presets: false, models: { 'acme/slow': slow } });
    const replicate = new Replicate({ auth: 'test', fetch: fake.fetch });
    const created = await replicate.predictions.create({ model: 'acme/slow', input: {} });
    expect(created.created_at).toBe('2025-01-01T00:00:00.000Z');
    await clock.advance(60_000);
    expect((await replicate.predictions.get(created.id)).completed_at).toBe('2025-01-01T00:00:03.500Z');
    expect(clock.pending).toBe(0);
  });
});

describe('the system clock', () => {
  it('follows vitest fake timers', async () => {
    vi.useFakeTimers({ now: new Date('2025-06-01T12:00:00Z') });
    const fake = createFakeReplicate({ presets: false, models: { 'acme/slow': slow } });
    const replicate = new Replicate({ auth: 'test', fetch: fake.fetch });
    const created = await replicate.predictions.create({ model: 'acme/slow', input: {} });
    expect(created.created_at).toBe('2025-06-01T12:00:00.000Z');
    await vi.advanceTimersByTimeAsync(2000);
    expect((await replicate.predictions.get(created.id)).output).toEqual(['one', ' two']);
    const held = replicate.predictions.create({ model: 'acme/slow', input: {}, wait: 30 });
    await vi.advanceTimersByTimeAsync(3500);
    expect(await held).toMatchObject({ status: 'succeeded' });
  });

  it('refuses advance() without a manual clock', async () => {
    const fake = createFakeReplicate();
    await expect(fake.advance(10)).rejects.toThrow(/manual clock/);
  });
});
