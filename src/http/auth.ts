import { AuthenticationError } from '../errors.js';

/**
 * One key: a string, or a function called on each request (e.g. a secret store).
 * @example
 * const auth: SingleAuth = () => secrets.get('replicate');
 */
export type SingleAuth = string | (() => string | undefined);

/**
 * A key of a pool with its share of the traffic.
 * @example
 * const keys: WeightedKey[] = [{ token: 'r8_a…', weight: 3 }, { token: 'r8_b…' }]; // 3 requests with a for each with b
 */
export interface WeightedKey {
  token: string;
  /**
   * Relative share of requests: weights 3 and 1 send three requests with the first key for each with the second.
   * @default 1
   */
  weight?: number;
}

/**
 * Where the token comes from: a string, a function called on each request (e.g. a secret store), or a pool
 * of keys used in turn by weight (`['r8_a', 'r8_b']` or `[{ token, weight }]`).
 * @example
 * new Replicate({ auth: [{ token: process.env.KEY_A!, weight: 3 }, { token: process.env.KEY_B! }] });
 */
export type AuthOption = SingleAuth | readonly (string | WeightedKey)[];

/**
 * The token for the next request. The environment is read here, on the first request, never at import
 * or construction, so edge runtimes without `process` can import and construct the client.
 */
export function resolveToken(auth: SingleAuth | undefined): string {
  const token = typeof auth === 'function' ? auth() : (auth ?? readEnvToken());
  if (!token) {
    throw new AuthenticationError(
      'No Replicate API token: pass `auth` to `new Replicate({ auth })` or set REPLICATE_API_TOKEN.',
    );
  }
  return token;
}

function readEnvToken(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.REPLICATE_API_TOKEN;
}

/** A short, non-reversible label for a token, safe to show in errors and logs: `r8_…a1b2`. */
export function fingerprint(token: string): string {
  return token.length <= 8 ? '…' : `${token.slice(0, 3)}…${token.slice(-4)}`;
}

/** Replace every occurrence of the token in a text, in case a server ever echoes it back. */
export function redact(text: string, token: string | undefined): string {
  return token && text.includes(token) ? text.split(token).join(fingerprint(token)) : text;
}

/**
 * `redact` applied to every string (and key) inside a JSON value: an error body or a raw response that a
 * misbehaving server or an echo service filled with the request's headers.
 */
export function redactDeep<T>(value: T, token: string | undefined): T {
  if (!token) return value;
  if (typeof value === 'string') return redact(value, token) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, token)) as T;
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value).map(([key, item]) => [redact(key, token), redactDeep(item, token)]);
    return Object.fromEntries(entries) as T;
  }
  return value;
}

/**
 * An error to attach as `cause`, without the token: the error itself when neither it nor its causes
 * mention the token, else a plain copy (same name, redacted message and stack) of the chain. A custom
 * `fetch` may well name the Authorization header in the error it throws.
 */
export function redactError(error: unknown, token: string | undefined, depth = 0): unknown {
  if (!token || !(error instanceof Error) || !mentions(error, token, depth)) return error;
  const cause = depth < 5 ? redactError(error.cause, token, depth + 1) : undefined;
  const copy = new Error(redact(error.message, token), cause === undefined ? undefined : { cause });
  copy.name = error.name;
  copy.stack = redact(error.stack ?? '', token);
  return copy;
}

function mentions(error: unknown, token: string, depth: number): boolean {
  if (typeof error === 'string') return error.includes(token);
  if (!(error instanceof Error) || depth > 5) return false;
  return `${error.message}\n${error.stack}`.includes(token) || mentions(error.cause, token, depth + 1);
}
