import { linkSignals } from '../lifecycle/signals.js';
import type { FakeEnv, RequestContext } from './env.js';
import { hostsFor } from './env.js';
import { connectionReset, type Fault, type Faults, malformBody, truncateBody } from './faults.js';
import type { RateLimiter } from './rate-limit.js';
import { problem } from './responses.js';
import { type Matched, match } from './router.js';

/**
 * One request the fake received, for assertions and counters.
 * @example
 * expect(fake.requests.map((r: RecordedRequest) => r.status)).toEqual([201, 200]);
 */
export interface RecordedRequest {
  method: string;
  url: string;
  /** The OpenAPI operation id, or `stream`, `delivery`, `unknown`. */
  operation: string;
  /** The status answered; `undefined` when the connection was reset. */
  status: number | undefined;
  /** The injected fault, if any. */
  fault: Fault['type'] | undefined;
  /** The fake's clock when it arrived. */
  time: number;
}

/** What the pipeline needs besides the routes' environment. */
export interface PipelineSettings {
  env: FakeEnv;
  faults: Faults;
  limiter: RateLimiter | undefined;
  accepts: (token: string) => boolean;
  log: RecordedRequest[];
}

/**
 * The fake's `handle(request)`: log, inject faults, check the token and the rate limit, route, answer.
 * A `reset` fault rejects with `TypeError`, like `fetch` on a dropped connection.
 */
export function createHandle(settings: PipelineSettings): (request: Request) => Promise<Response> {
  const { env, faults, log } = settings;
  return async (request) => {
    const url = new URL(request.url);
    const method = request.method.toUpperCase();
    const matched = match(method, url, env.state);
    const entry: RecordedRequest = {
      method,
      url: url.href,
      operation: matched.info.operation,
      status: undefined,
      fault: undefined,
      time: env.clock.now(),
    };
    log.push(entry);
    const fault = faults.pick(matched.info);
    entry.fault = fault?.type;
    if (fault?.type === 'reset') throw connectionReset();
    const { signal, unlink } = linkSignals([request.signal, env.closed]);
    let streamed = false;
    const release = () => unlink?.();
    try {
      if (fault?.type === 'slow') {
        await env.clock.sleep(fault.delay ?? 1000, signal);
        // A client that gave up meanwhile gets nothing: `fetch` has already rejected for it.
        if (request.signal.aborted) throw request.signal.reason;
      }
      const response = await respond({ settings, request, url, matched, link: { signal, release }, fault });
      streamed = response.headers.get('content-type')?.startsWith('text/event-stream') === true;
      entry.status = response.status;
      return response;
    } finally {
      // a stream releases the link when it ends
      if (!streamed) release();
    }
  };
}

/** One request on its way through the fake: what `respond` and `serve` work from. */
interface Incoming {
  settings: PipelineSettings;
  request: Request;
  url: URL;
  matched: Matched;
  link: Pick<RequestContext, 'signal' | 'release'>;
  fault: Fault | undefined;
}

/** The response to a request, with the faults that change it applied. */
async function respond(incoming: Incoming): Promise<Response> {
  const { fault } = incoming;
  let response: Response;
  if (fault?.type === 'server-error') {
    const status = fault.status ?? 500;
    const headers: Record<string, string> =
      fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) };
    response = problem(status, status === 503 ? 'Service unavailable' : 'Internal server error', {
      headers,
    });
  } else {
    response = await serve(incoming);
  }
  if (fault?.type === 'malformed-json') response = await malformBody(response);
  const isStream = response.headers.get('content-type')?.startsWith('text/event-stream');
  if (fault?.type === 'truncate' && !isStream) response = await truncateBody(response);
  return response;
}

async function serve({ settings, request, url, matched, link, fault }: Incoming): Promise<Response> {
  const { env, limiter, accepts } = settings;
  let rateHeaders: Record<string, string> = {};
  if (matched.api) {
    const token = /^(?:Bearer|Token)\s+(\S+)\s*$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    if (!token || !accepts(token)) {
      return problem(401, 'You did not pass a valid authentication token', { title: 'Unauthenticated' });
    }
    if (limiter) {
      const decision = limiter.take(matched.create ? 'create' : 'other');
      rateHeaders = decision.headers;
      if (!decision.allowed) {
        const seconds = decision.retryAfter ?? 1;
        return problem(
          429,
          `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`,
          {
            title: 'Too Many Requests',
            headers: { ...rateHeaders, 'retry-after': String(seconds) },
          },
        );
      }
    }
  }
  if (!matched.handler) {
    return problem(404, `Not found: ${matched.info.method} ${matched.info.path} (replikit/testing)`, {
      title: 'Not found',
    });
  }
  const context: RequestContext = {
    env,
    request,
    url,
    params: matched.params,
    hosts: hostsFor(url),
    ...link,
  };
  const truncateAfter = fault?.type === 'truncate' ? (fault.afterEvents ?? 1) : undefined;
  const response = await matched.handler(context, { truncateAfter });
  for (const [name, value] of Object.entries(rateHeaders)) response.headers.set(name, value);
  return response;
}
