import { createFakeReplicate, type FaultRule, failingModel, presetModels } from 'replikit/testing';
import { type ChatCompletionChunk, Replicate, type ReplicateOptions } from '../../src/index';
import { prediction } from '../helpers/fixtures';
import { BASE, calls, json, problem } from '../helpers/server';
import { settle as settleAfter } from '../helpers/sse';

/** Shared by the policy tests: keys, msw replies, the chat models and a fake-clock setup. */

export const NOW = new Date('2025-01-01T00:00:00Z').getTime();
export const A = 'r8_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1111';
export const B = 'r8_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2222';
export const C = 'r8_cccccccccccccccccccccccccccccccc3333';
export const client = (options: ReplicateOptions) => new Replicate({ baseUrl: BASE, ...options });
export const ok = (id = 'abc') => json(prediction({ id }));
export const keys = () => calls.map((call) => call.headers.get('authorization')?.replace('Bearer ', ''));
export const throttled = (seconds: number) =>
  problem(429, { detail: 'Request was throttled.' }, { 'retry-after': String(seconds) });
export const reject = (status: number) => problem(status, { detail: `rejected with ${status}` });

/** Run `call` to completion, driving fake time (two minutes unless told). */
export const settle = <T>(call: () => Promise<T>, ms = 120_000) => settleAfter(call, ms);

export const BIG = 'meta/meta-llama-3-70b-instruct';
export const SMALL = 'meta/meta-llama-3-8b-instruct';
export const MISTRAL = 'mistralai/mistral-7b-instruct-v0.2';
export const messages = [{ role: 'user' as const, content: 'Name a river.' }];
export const createsOf = (model: string) => `POST /models/${model}/predictions`;

/** How the fake's big model behaves. */
export interface Setup {
  faults?: FaultRule[];
  client?: ReplicateOptions;
  /** Milliseconds the big model stays `starting`: `slow` is a 60 s cold start. */
  startDelay?: number;
  slow?: boolean;
  failing?: boolean;
}

/** A fake with the preset models (the big one slow or failing as asked) and a client on it. */
export function setup(options: Setup = {}) {
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

export async function collect(stream: AsyncIterable<ChatCompletionChunk>) {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** The big model's creates fail with `status`. */
export const outage = (status = 503): FaultRule => ({ route: createsOf(BIG), type: 'server-error', status });
