import { describe, expect, it, vi } from 'vitest';
import {
  type ChatCompletion,
  type ChatCompletionChunk,
  ColdStartTimeoutError,
  TimeoutError,
} from '../../src/index';
import { useFakeClock } from '../helpers/clock';
import { BIG, collect, messages, NOW, SMALL, settle, setup } from './helpers';

useFakeClock(NOW);

describe('coldStartTimeout', () => {
  it('cancels a prediction still starting after the deadline and falls back', async () => {
    const { fake, replicate } = setup({ slow: true, client: { fallback: [SMALL], coldStartTimeout: 5000 } });
    const { value, error, at } = await settle(() =>
      replicate.chat.completions.create({ model: BIG, messages }),
    );
    expect(error).toBeUndefined();
    expect((value as ChatCompletion).model).toBe(SMALL);
    expect(at! - Date.parse('2025-01-01T00:00:00Z')).toBeLessThan(6000);
    const canceled = fake.requests.filter((r) => r.operation === 'predictions.cancel');
    expect(canceled).toHaveLength(1);
    // Prefer: wait was shortened to the deadline, so the create could not hold past it
    expect(fake.requests.find((r) => r.url.includes(BIG))?.time).toBe(Date.parse('2025-01-01T00:00:00Z'));
  });

  it('throws ColdStartTimeoutError without a fallback, and leaves no timer behind after a fast answer', async () => {
    const slow = setup({ slow: true });
    const { error } = await settle(() =>
      slow.replicate.chat.completions.create({ model: BIG, messages }, { coldStartTimeout: 3000 }),
    );
    expect(error).toBeInstanceOf(ColdStartTimeoutError);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as ColdStartTimeoutError).timeout).toBe(3000);

    // A stream's create returns while `starting`: the deadline check is armed, then cleared by the fast answer.
    const fast = setup({ startDelay: 2000 });
    const done = await settle(
      async () =>
        collect(
          await fast.replicate.chat.completions.create(
            { model: BIG, messages, stream: true },
            { coldStartTimeout: 30_000 },
          ),
        ),
      5000,
    );
    expect(done.error).toBeUndefined();
    expect((done.value as ChatCompletionChunk[]).length).toBeGreaterThan(2);
    await fast.fake.close();
    expect(vi.getTimerCount()).toBe(0);
  });
});
