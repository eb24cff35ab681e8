import type { AuthOption } from '../http/auth.js';
import { type Exchange, HttpClient, type HttpRequest } from '../http/core.js';
import type { ClientOptions } from '../http/options.js';
import { Gateway } from './gateway.js';
import { hasPolicies } from './options.js';

/**
 * `Replicate`'s HTTP core: `HttpClient` plus the policies (rate limits, key pools, hooks, `transformInput`),
 * built on first use and only when an option asks for one.
 */
export class PolicyHttpClient extends HttpClient {
  /** The policies, built on first use: `null` when no option needs them. */
  #gateway: Gateway | null | undefined;

  override get gateway(): Gateway | undefined {
    if (this.#gateway === undefined)
      this.#gateway = hasPolicies(this.options) ? new Gateway(this.options, this.baseUrl) : null;
    return this.#gateway ?? undefined;
  }

  /** A client whose every request uses `auth`, sharing this one's connection settings, limits and hooks. */
  withAuth(auth: AuthOption): PolicyHttpClient {
    const options: ClientOptions = { ...this.options, auth, authByModel: undefined };
    const child = new PolicyHttpClient(options);
    const parent = this.gateway;
    if (parent) child.#gateway = parent.derive(options);
    return child;
  }

  protected override async exchange(request: HttpRequest): Promise<Exchange> {
    const gateway = this.gateway;
    if (!gateway) return super.exchange(request);
    const prepared = this.prepare(request);
    const { url, headers, sendsToken } = prepared;
    // Queueing for the rate limit or a key sends nothing: a stop may end it.
    const waits = request.signal ?? request.stopSignal;
    const call = await gateway.begin({
      method: request.method,
      url,
      json: request.json,
      headers,
      signal: waits,
      sendsToken,
    });
    // A throttled pool key rests and the call retries at once with another; every retry re-picks a key.
    const policy = {
      retryNow: (response: Response) => response.status === 429 && call.throttled(response.headers),
      beforeRetry: () => call.retry(),
    };
    for (;;) {
      try {
        const response = await this.attempt(prepared, call.json, () => call.token, policy);
        return { response, token: call.token, call };
      } catch (failure) {
        // A pool key rejected with 401/402 leaves the rotation; the call goes again with the next key.
        if (waits?.aborted || !(await call.rotate(failure))) throw call.failed(failure);
      }
    }
  }
}
