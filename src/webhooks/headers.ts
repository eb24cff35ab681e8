import { decodeBase64 } from './base64.js';
import { WebhookVerificationError } from './errors.js';

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
  /** `webhook-timestamp`, whole seconds since the epoch, exactly as sent (that text is what was signed). */
  timestamp: string;
  /** The decoded `v1` signatures; entries of other versions or not base64 are dropped. */
  signatures: Uint8Array<ArrayBuffer>[];
}

/**
 * Read and parse `webhook-id`, `webhook-timestamp` and `webhook-signature`; throws `missing-header` when
 * one is absent or blank, or the timestamp is not whole seconds.
 */
export function readSignatureHeaders(headers: WebhookHeaders): SignatureHeaders {
  const read = (name: string, valid: RegExp) => {
    // `?? ''`, because test(undefined) would test the text "undefined".
    const value = readHeader(headers ?? {}, name) ?? '';
    if (!valid.test(value)) {
      throw new WebhookVerificationError('missing-header', `${name} header missing or malformed`);
    }
    return value;
  };
  return {
    id: read('webhook-id', /\S/),
    timestamp: read('webhook-timestamp', /^\s*\d{1,15}\s*$/).trim(),
    signatures: parseSignatures(read('webhook-signature', /\S/)),
  };
}

/** One header's value, case-insensitively; repeated values are joined with `, ` as `Headers.get` does. */
function readHeader(headers: WebhookHeaders, name: string): string | null | undefined {
  // Duck-typed so a Headers from another realm or polyfill works too.
  if (typeof headers.get === 'function') return (headers as Headers).get(name);
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name && value !== undefined && value !== null) return [value].flat().join(', ');
  }
}

/**
 * The `v1` signatures of a `webhook-signature` header: space-separated `v1,<base64>` entries. A trailing
 * comma is tolerated because a header sent twice arrives joined with `, `.
 */
function parseSignatures(header: string): Uint8Array<ArrayBuffer>[] {
  return header.split(/\s+/).flatMap((entry) => {
    const signature = decodeBase64(/^v1,(.*?),?$/.exec(entry)?.[1] ?? '');
    return signature?.length ? [signature] : [];
  });
}
