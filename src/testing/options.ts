import type { FakeClock } from './clock.js';
import type { FakeAccount } from './env.js';
import type { FaultRule } from './faults.js';
import type { FakeModel } from './model.js';
import type { PresetOptions } from './presets.js';
import type { RateLimitOptions } from './rate-limit.js';
import type { WebhookHandler } from './webhooks.js';

/**
 * Options of `createFakeReplicate`.
 * @example
 * const fake = createFakeReplicate({ clock: 'manual', seed: 42, rateLimit: { creates: 10 }, presets: { tokenDelay: 0 } });
 */
export interface FakeReplicateOptions {
  /**
   * Models by `owner/name`, added to (and overriding) the presets.
   * @default {}
   */
  models?: Record<string, FakeModel>;
  /**
   * Include the preset official models (Llama 3, Mistral, FLUX), optionally with their pacing.
   * @default true
   */
  presets?: boolean | PresetOptions;
  /**
   * Deployments by `owner/name`, each running a model (`owner/name`) of the fake.
   * @default {}
   */
  deployments?: Record<string, string>;
  /**
   * Time: `'system'` (real time; follows `vi.useFakeTimers()`), `'manual'` (moves only on
   * `fake.advance(ms)`), or your own clock.
   * @default 'system'
   */
  clock?: 'system' | 'manual' | FakeClock;
  /**
   * Seed of every random choice: ids, generated text, probabilistic faults, the webhook secret.
   * @default 1
   */
  seed?: number;
  /**
   * Tokens accepted in `Authorization: Bearer …` (or `Token …`): one, several, or a predicate.
   * @default any non-empty token
   */
  auth?: string | readonly string[] | ((token: string) => boolean);
  /**
   * Request rates before 429 with `Retry-After`; `false` turns limiting (and the `ratelimit-*` headers) off.
   * @default { creates: 600, requests: 3000, windowMs: 60000 } (Replicate's published limits)
   */
  rateLimit?: RateLimitOptions | false;
  /**
   * Items per page of list endpoints.
   * @default 100
   */
  pageSize?: number;
  /**
   * Faults injected from the start; more can be added with `fake.faults.add()`.
   * @default []
   */
  faults?: FaultRule[];
  /**
   * The webhook signing secret (`whsec_` + base64), also served by `GET /webhooks/default/secret`.
   * @default derived from `seed`
   */
  webhookSecret?: string;
  /**
   * Receives webhook deliveries as signed `Request`s instead of sending them over the network. Return a
   * non-2xx `Response` (or throw) to make the fake retry a `completed` delivery.
   * @default deliveries are POSTed to the prediction's `webhook` URL with `webhookFetch`
   */
  onWebhook?: WebhookHandler;
  /**
   * The `fetch` that sends webhooks when there is no `onWebhook`.
   * @default globalThis.fetch
   */
  webhookFetch?: typeof fetch;
  /**
   * Retries of a failed `completed` webhook (1 s, 2 s, 4 s … apart on the fake's clock).
   * @default 3
   */
  webhookRetries?: number;
  /**
   * The account of `GET /account`; `username` is also the `owner` of file download URLs.
   * @default { type: 'user', username: 'replikit-test', name: 'Replikit Test' }
   */
  account?: FakeAccount;
}
