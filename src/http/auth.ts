import { AuthenticationError } from '../errors';

/** Where the token comes from: a string, or a function called on each request (e.g. a secret store). */
export type AuthOption = string | (() => string | undefined);

/**
 * The token for the next request. The environment is read here, on the first request, never at import
 * or construction, so edge runtimes without `process` can import and construct the client.
 */
export function resolveToken(auth: AuthOption | undefined): string {
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
