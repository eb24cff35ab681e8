import type { Random } from './random.js';

/**
 * What a request is, for fault rules and counters.
 * @example
 * fake.faults.add({ route: (r: RouteInfo) => r.method === 'GET' && r.path.startsWith('/files'), type: 'reset' });
 */
export interface RouteInfo {
  /**
   * The OpenAPI `operationId` (`predictions.create`, `models.predictions.create`, `files.get`, …), or
   * `stream` (a prediction's event stream), `delivery` (a model's output file) or `unknown`.
   */
  operation: string;
  method: string;
  /** The URL path, `/v1` removed: `/predictions/abc`, `/streams/abc`. */
  path: string;
}

/**
 * Which requests a rule or a count applies to:
 * - an operation id, `*` matching anything: `'predictions.get'`, `'files.*'`, `'stream'`, `'delivery'`;
 *   `'create'` is any of the three prediction creates;
 * - a path, optionally after a method, `*` matching one segment and `**` any: `'POST /predictions'`,
 *   `'/models/*\/*\/predictions'`;
 * - a `RegExp` tested against `"METHOD /path"`, or a predicate.
 * @example
 * fake.count('create'); fake.count('GET /predictions/*'); fake.count(/^POST \/files/);
 */
export type RouteMatcher = string | RegExp | ((route: RouteInfo) => boolean);

/**
 * A failure to inject.
 * @example
 * const outage: Fault = { type: 'server-error', status: 503, retryAfter: 1 };
 */
export type Fault =
  /** An error status with a problem+json body. */
  | {
      type: 'server-error' /** @default 500 */;
      status?: number /** Seconds for `Retry-After`. @default none */;
      retryAfter?: number;
    }
  /** The connection drops before any response: `fetch` rejects with `TypeError`. */
  | { type: 'reset' }
  /** The body stops early: an event stream after `afterEvents` events, JSON halfway (the read fails). */
  | { type: 'truncate' /** @default 1 */; afterEvents?: number }
  /** The response is held for `delay` ms of the fake's clock, then served normally. */
  | { type: 'slow' /** @default 1000 */; delay?: number }
  /** A 200 whose body is cut in half: not JSON. */
  | { type: 'malformed-json' };

/**
 * A fault and when to inject it.
 * @example
 * createFakeReplicate({ seed: 7, faults: [{ route: 'stream', type: 'truncate', afterEvents: 3, probability: 0.3 }] });
 */
export type FaultRule = Fault & {
  /**
   * Which requests.
   * @default every request
   */
  route?: RouteMatcher;
  /**
   * Let this many matching requests through first.
   * @default 0
   */
  skip?: number;
  /**
   * Inject at most this many times.
   * @default Infinity
   */
  times?: number;
  /**
   * Chance of injecting on each matching request, drawn from the fake's seeded random source.
   * @default 1
   */
  probability?: number;
};

/** Whether a request matches. */
export function matchesRoute(matcher: RouteMatcher | undefined, route: RouteInfo): boolean {
  if (matcher === undefined) return true;
  if (typeof matcher === 'function') return matcher(route);
  if (matcher instanceof RegExp) return matcher.test(`${route.method} ${route.path}`);
  const text = matcher.trim();
  const space = text.indexOf(' ');
  if (space > 0 || text.startsWith('/')) {
    const method = space > 0 ? text.slice(0, space).toUpperCase() : undefined;
    const path = space > 0 ? text.slice(space + 1).trim() : text;
    return (method === undefined || method === route.method) && pathGlob(path).test(route.path);
  }
  if (text === 'create') return /^(models\.|deployments\.)?predictions\.create$/.test(route.operation);
  return operationGlob(text).test(route.operation);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function pathGlob(glob: string): RegExp {
  const source = glob
    .split('**')
    .map((part) => escapeRegExp(part).replace(/\*/g, '[^/]+'))
    .join('.*');
  return new RegExp(`^${source}/?$`);
}

function operationGlob(glob: string): RegExp {
  return new RegExp(`^${escapeRegExp(glob).replace(/\*/g, '.*')}$`);
}

interface ActiveRule {
  rule: FaultRule;
  seen: number;
  injected: number;
}

/** Fault rules in force; the first eligible one wins. */
export class Faults {
  readonly #rules: ActiveRule[] = [];
  readonly #random: Random;

  constructor(random: Random, rules: readonly FaultRule[] = []) {
    this.#random = random;
    for (const rule of rules) this.add(rule);
  }

  /** Add a rule; returns a function that removes it. */
  add(rule: FaultRule): () => void {
    const active: ActiveRule = { rule, seen: 0, injected: 0 };
    this.#rules.push(active);
    return () => {
      const index = this.#rules.indexOf(active);
      if (index >= 0) this.#rules.splice(index, 1);
    };
  }

  /** Remove every rule. */
  clear(): void {
    this.#rules.length = 0;
  }

  /** The fault to inject on this request, if any (counts it). */
  pick(route: RouteInfo): Fault | undefined {
    for (const active of this.#rules) {
      const { rule } = active;
      if (!matchesRoute(rule.route, route)) continue;
      active.seen++;
      if (active.seen <= (rule.skip ?? 0)) continue;
      if (active.injected >= (rule.times ?? Number.POSITIVE_INFINITY)) continue;
      if (rule.probability !== undefined && this.#random() >= rule.probability) continue;
      active.injected++;
      return rule;
    }
    return undefined;
  }
}

/** The error `fetch` rejects with when a connection drops. */
export function connectionReset(): TypeError {
  const cause = Object.assign(new Error('read ECONNRESET (injected by replikit/testing)'), {
    code: 'ECONNRESET',
  });
  return new TypeError('fetch failed', { cause });
}

/** Serve the first half of a body, then fail the read (as a dropped connection does). */
export async function truncateBody(response: Response): Promise<Response> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  const half = bytes.slice(0, Math.floor(bytes.length / 2));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(half);
      controller.error(connectionReset());
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}

/** The same response with its body cut in half but otherwise complete: a 200 that is not JSON. */
export async function malformBody(response: Response): Promise<Response> {
  const text = await response.text();
  const cut = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
  return new Response(cut, {
    status: response.status === 204 ? 200 : response.status,
    headers: response.headers,
  });
}
