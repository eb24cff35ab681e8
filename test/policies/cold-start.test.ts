import { createFakeReplicate, type FaultRule, failingModel, presetModels } from 'replikit/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ChatCompletion,
  type ChatCompletionChunk,
  ColdStartTimeoutError,
  Replicate,
  type ReplicateOptions,
  TimeoutError,
} from '../../src/index';
import { track } from '../helpers/sse';

const BIG = 'meta/meta-llama-3-70b-instruct';
const SMALL = 'meta/meta-llama-3-8b-instruct';
const _MISTRAL = 'mistralai/mistral-7b-instruct-v0.2';
const messages = [{ role: 'user' as const, content: 'Name a river.' }];
const createsOf = (model: string) => `POST /models/${model}/predictions`;

interface Setup {
  faults?: FaultRule[];
  client?: ReplicateOptions;
  /** Milliseconds the big model stays `starting`: `slow` is a 60 s cold start. */
  startDelay?: number;
  slow?: boolean;
  failing?: boolean;
}

function setup(options: Setup = {}) {
  const startDelay = options.startDelay ?? (options.slow ? 60_000 : 0);
  const big = presetModels({ tokenDelay: 0, startDelay })[BIG]!;
  const fake = createFakeReplicate({
    presets: { tokenDelay: 0, startDelay: 0 },
    models: { [BIG]: options.failing ? { ...big, run: failingModel().run } : big },
    faults: options.faults ?? [],
  });
  const replicate = new Replicate({ auth: 'test', fetch: fake.fetch, ...options.client });
  return { fake, replicate };
}

/** Run `call` to completion, driving fake time. */
async function settle<T>(call: () => Promise<T>, ms = 120_000) {
  const run = track(call);
  await vi.advanceTimersByTimeAsync(ms);
  await run.done;
  return run.outcome;
}

async function collect(stream: AsyncIterable<ChatCompletionChunk>) {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const _outage = (status = 503): FaultRule => ({ route: createsOf(BIG), type: 'server-error', status });

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

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
