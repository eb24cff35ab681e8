import { decodeBase64 } from './base64';
import { WebhookVerificationError } from './errors';

/**
 * Request headers in any of the shapes servers hand out: a fetch `Headers`, or a plain object with
 * names in any case and `string | string[]` values (Node's `IncomingHttpHeaders`).
 */
export type WebhookHeaders =
  | Headers
  | Readonly<Record<string, string | readonly string[] | number | undefined | null>>;

/** The three Standard Webhooks headers, parsed. */
export interface SignatureHeaders {
  /** `webhook-id`: the message id, the same on every retry of one delivery. */
  id: string;
  /** `webhook-timestamp` exactly as sent, since that text is what was signed. */
  timestamp: string;
  /** The timestamp as seconds since the epoch. */
  seconds: number;
  /** The decoded `v1` signatures; entries of other versions or not base64 are dropped. */
  signatures: Uint8Array<ArrayBuffer>[];
}

/** One header's value, case-insensitively; repeated values are joined with `, ` as `Headers.get` does. */
export function readHeader(headers: WebhookHeaders, name: string): string | undefined {
  if (isHeaders(headers)) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined || value === null) continue;
    return typeof value === 'object' ? value.join(', ') : String(value);
  }
  return undefined;
}

/** Read and parse `webhook-id`, `webhook-timestamp` and `webhook-signature`; throws `missing-header`. */
export function readSignatureHeaders(headers: WebhookHeaders): SignatureHeaders {
  if (typeof headers !== 'object' || headers === null) {
    throw new WebhookVerificationError('missing-header', 'No headers given: pass the request headers.');
  }
  const id = required(headers, 'webhook-id');
  const timestamp = required(headers, 'webhook-timestamp').trim();
  const signature = required(headers, 'webhook-signature');
  if (!/^\d{1,15}$/.test(timestamp)) {
    throw new WebhookVerificationError(
      'missing-header',
      'The webhook-timestamp header is not a whole number of seconds since the epoch.',
    );
  }
  return { id, timestamp, seconds: Number(timestamp), signatures: parseSignatures(signature) };
}

/**
 * The `v1` signatures of a `webhook-signature` header: space-separated `v1,<base64>` entries. A trailing
 * comma is tolerated because a header sent twice arrives joined with `, `.
 */
export function parseSignatures(header: string): Uint8Array<ArrayBuffer>[] {
  const signatures: Uint8Array<ArrayBuffer>[] = [];
  for (const entry of header.split(/\s+/)) {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') continue;
    const bytes = decodeBase64(entry.slice(comma + 1).replace(/,$/, ''));
    if (bytes !== undefined && bytes.length > 0) signatures.push(bytes);
  }
  return signatures;
}

function required(headers: WebhookHeaders, name: string): string {
  const value = readHeader(headers, name);
  if (value === undefined || value.trim() === '') {
    throw new WebhookVerificationError('missing-header', `The ${name} header is missing.`);
  }
  return value;
}

function isHeaders(headers: WebhookHeaders): headers is Headers {
  // Duck-typed so a Headers from another realm or polyfill works too.
  return typeof (headers as Headers).get === 'function' && typeof (headers as Headers).forEach === 'function';
}
