import { bodyBytes, signedContent, type WebhookBody } from './body.js';
import { importSecrets, type WebhookSecret } from './secret.js';

/** Options for {@link signWebhook}. */
export interface SignWebhookOptions {
  /** The exact body you will send; the signature covers these bytes (strings are UTF-8 encoded). */
  body: WebhookBody;
  /** A `whsec_…` secret (prefix optional). Several secrets give one `v1,` signature each, as during rotation. */
  secret: WebhookSecret;
  /**
   * The `webhook-id`, the same on every retry of one delivery.
   * @default `msg_` followed by a random UUID
   */
  id?: string;
  /**
   * When the delivery is signed: a `Date`, or whole **seconds** since the epoch (the header's own unit).
   * @default now
   */
  timestamp?: Date | number;
}

/** The three Standard Webhooks headers; usable as `HeadersInit` and with Node's `setHeader`. */
export type SignedWebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/**
 * Sign a webhook body the way Replicate does (Standard Webhooks, HMAC-SHA256), for tests and fake servers:
 * returns the `webhook-id`, `webhook-timestamp` and `webhook-signature` headers to send with `body`.
 *
 * @throws {WebhookVerificationError} `invalid-secret` for a secret that is not base64, `invalid-body` for a
 * body that is not a string or bytes.
 * @throws {RangeError} for an empty `id` or a `timestamp` that is not whole seconds (a millisecond count is
 * refused rather than read as a date thousands of years ahead).
 * @example
 * const body = JSON.stringify(prediction);
 * const headers = await signWebhook({ body, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
 * await fetch('http://localhost:3000/webhooks/replicate', { method: 'POST', headers, body });
 */
export async function signWebhook(options: SignWebhookOptions): Promise<SignedWebhookHeaders> {
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const time = options.timestamp ?? new Date();
  const timestamp = String(time instanceof Date ? Math.floor(time.getTime() / 1000) : time);
  // At most 11 digits (before the year 5138), so a millisecond count is refused rather than read as a date.
  if (typeof id !== 'string' || id === '' || !/^\d{1,11}$/.test(timestamp)) {
    throw new RangeError('signWebhook: bad id or timestamp');
  }
  const keys = await importSecrets(options.secret, 'sign');
  const content = await signedContent(id, timestamp, bodyBytes(options.body));
  const signatures = await Promise.all(
    keys.map(async (key) => {
      // 32 bytes: few enough to spread as arguments.
      const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, content));
      return `v1,${btoa(String.fromCharCode(...mac))}`;
    }),
  );
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': signatures.join(' ') };
}
