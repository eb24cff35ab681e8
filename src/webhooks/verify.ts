import type { Prediction } from '../schemas/prediction';
import { bodyBytes, parsePrediction, requestBytes, signedContent, type WebhookBody } from './body';
import { WebhookVerificationError } from './errors';
import { readSignatureHeaders, type WebhookHeaders } from './headers';
import { importSecrets, type WebhookSecret } from './secret';

/** A delivery taken apart by your framework: the raw body and the request headers. */
export interface WebhookDelivery {
  /** The raw request body, exactly as received. A body parsed by a JSON middleware cannot be verified. */
  body: WebhookBody;
  /** The request headers: a `Headers`, or a plain object with names in any case (Node's `req.headers`). */
  headers: WebhookHeaders;
}

/** Options for {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /**
   * The signing secret from `replicate.webhooks.default.secret.get()` (`whsec_…`; the prefix is optional).
   * An array accepts a delivery signed with any of them, for rotating your own secrets.
   */
  secret: WebhookSecret;
  /**
   * How far, in seconds, `webhook-timestamp` may be from now in either direction. Replays older than this
   * are refused. `Infinity` turns the check off (replaying recorded deliveries in tests).
   * @default 300
   */
  toleranceSeconds?: number;
  /**
   * The current time, for tests: a `Date` or milliseconds since the epoch (as `Date.now()` returns).
   * @default Date.now()
   */
  now?: Date | number;
}

/**
 * Verify a Replicate webhook delivery (Standard Webhooks HMAC-SHA256 signatures) and return its prediction.
 *
 * Checks, in order: the secret, the three `webhook-*` headers, every `v1,` signature in `webhook-signature`
 * (one match is enough; compared in constant time by `crypto.subtle.verify`), the timestamp window, then the
 * body as a prediction. The signature is checked before the timestamp, so `timestamp-too-old` and
 * `timestamp-too-new` only ever describe authentic deliveries (a replay, or a clock that is off).
 * Uses Web Crypto only: runs in Node 22+, Bun, Deno, Workers and browsers.
 *
 * Replicate retries a delivery with the same `webhook-id`, and may send the same update twice: handle
 * deliveries idempotently.
 *
 * @param input A `Request` (its body is read once), or `{ body, headers }` with the raw body.
 * @returns The verified prediction, checked against the prediction schema.
 * @throws {WebhookVerificationError} with `reason` `missing-header`, `invalid-secret`, `timestamp-too-old`,
 * `timestamp-too-new`, `signature-mismatch` or `invalid-body`.
 * @throws {RangeError} when `toleranceSeconds` is negative or not a number, or `now` is not a valid time.
 * @example
 * export default {
 *   async fetch(request: Request): Promise<Response> {
 *     try {
 *       const prediction = await verifyWebhook(request, { secret: env.REPLICATE_WEBHOOK_SECRET });
 *       if (prediction.status === 'succeeded') await save(prediction.id, prediction.output);
 *       return new Response(null, { status: 204 });
 *     } catch (error) {
 *       if (error instanceof WebhookVerificationError) return new Response(error.reason, { status: 400 });
 *       throw error;
 *     }
 *   },
 * };
 */
export async function verifyWebhook<Output = unknown>(
  input: Request | WebhookDelivery,
  options: VerifyWebhookOptions,
): Promise<Prediction<Output>> {
  const tolerance = options.toleranceSeconds ?? 300;
  // NaN would make every comparison false and silently accept any timestamp.
  if (typeof tolerance !== 'number' || Number.isNaN(tolerance) || tolerance < 0) {
    throw new RangeError('verifyWebhook: toleranceSeconds must be a number of seconds >= 0 (or Infinity).');
  }
  const now = Math.floor(Number(options.now ?? Date.now()) / 1000);
  if (!Number.isFinite(now)) throw new RangeError('verifyWebhook: now must be a valid Date or milliseconds.');
  const keys = await importSecrets(options.secret, 'verify');
  const headers = readSignatureHeaders(input.headers);
  const body = isRequest(input) ? await requestBytes(input) : bodyBytes(input.body);

  const content = signedContent(headers.id, headers.timestamp, body);
  if (!(await anySignatureMatches(keys, headers.signatures, content))) {
    throw new WebhookVerificationError(
      'signature-mismatch',
      headers.signatures.length === 0
        ? 'The webhook-signature header holds no v1 signature.'
        : 'No webhook signature matches: wrong secret, or the body, id or timestamp was changed.',
    );
  }

  if (now - headers.seconds > tolerance) {
    throw new WebhookVerificationError(
      'timestamp-too-old',
      `The webhook was signed ${now - headers.seconds} s ago, more than the ${tolerance} s tolerance.`,
    );
  }
  if (headers.seconds - now > tolerance) {
    throw new WebhookVerificationError(
      'timestamp-too-new',
      `The webhook timestamp is ${headers.seconds - now} s in the future, more than the ${tolerance} s tolerance.`,
    );
  }
  return parsePrediction<Output>(body);
}

async function anySignatureMatches(
  keys: CryptoKey[],
  signatures: Uint8Array<ArrayBuffer>[],
  content: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  for (const key of keys) {
    for (const signature of signatures) {
      if (await globalThis.crypto.subtle.verify('HMAC', key, signature, content)) return true;
    }
  }
  return false;
}

function isRequest(input: Request | WebhookDelivery): input is Request {
  // Duck-typed so a Request from another realm or a framework's subclass works too.
  return typeof (input as Request).arrayBuffer === 'function';
}
