import type { FakeClock } from './clock.js';
import type { FakeModel } from './model.js';
import type { Random } from './random.js';
import type { FakeState } from './state.js';
import type { WebhookDispatcher } from './webhooks.js';

/** A model as the fake serves it. */
export interface ModelEntry {
  owner: string;
  name: string;
  definition: FakeModel;
  /** The 64-hex id of its version. */
  versionId: string;
}

/**
 * The account `GET /account` returns.
 * @example
 * createFakeReplicate({ account: { type: 'organization', username: 'acme' } });
 */
export interface FakeAccount {
  type: 'user' | 'organization';
  username: string;
  name?: string;
  github_url?: string;
}

/** What the routes share: state, time, randomness and settings. */
export interface FakeEnv {
  clock: FakeClock;
  state: FakeState;
  random: Random;
  /** By `owner/name`. */
  models: Map<string, ModelEntry>;
  /** Deployment `owner/name` → model `owner/name`. */
  deployments: Map<string, string>;
  pageSize: number;
  webhooks: WebhookDispatcher;
  /** The webhook signing secret, `whsec_…`. */
  webhookSecret: string;
  /** Signs file download URLs. */
  downloadKey: Promise<CryptoKey>;
  account: FakeAccount;
  /** Aborted by `close()`: ends streams, held requests and webhook schedules. */
  closed: AbortSignal;
}

/** Where the fake says things live, for the origin a request came to. */
export interface Hosts {
  /** The API base, e.g. `https://api.replicate.com/v1`. */
  api: string;
  /** Prefix of stream URLs (`…/{prediction id}`). */
  stream: string;
  /** Prefix of output file URLs. */
  delivery: string;
}

/**
 * Requests to Replicate's own hosts get Replicate's host layout (`stream.replicate.com`,
 * `replicate.delivery`), so the client's host rules apply as in production; a request to any other origin
 * (the Node server on 127.0.0.1, a proxy) gets everything on that origin, where it can be reached.
 */
export function hostsFor(url: URL): Hosts {
  if (url.protocol === 'https:' && /(^|\.)replicate\.(com|delivery)$/.test(url.hostname)) {
    return {
      api: 'https://api.replicate.com/v1',
      stream: 'https://stream.replicate.com/v1/streams',
      delivery: 'https://replicate.delivery',
    };
  }
  return { api: `${url.origin}/v1`, stream: `${url.origin}/v1/streams`, delivery: `${url.origin}/delivery` };
}

/** One request on its way through the routes. */
export interface RequestContext {
  env: FakeEnv;
  request: Request;
  url: URL;
  /** Path parameters in order (`owner`, `name`, `id`, …). */
  params: string[];
  hosts: Hosts;
  /** Aborted when the client goes away or the fake closes. */
  signal: AbortSignal;
  /**
   * Unlinks `signal` from the fake's own (where the runtime has no `AbortSignal.any`, each link is a
   * listener): a streamed response calls it when it ends; the handler, for every other one.
   */
  release: () => void;
}
