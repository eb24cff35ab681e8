import type { Prediction } from '../schemas/prediction.js';
import { bodyBytes, parsePrediction, requestBytes, signedContent, type WebhookBody } from './body.js';
import { WebhookVerificationError } from './errors.js';
import { readSignatureHeaders, type WebhookHeaders } from './headers.js';
import { importSecrets, type WebhookSecret } from './secret.js';

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
 * @returns The verified prediction, checked to have the shape of `Prediction` (by hand: no zod in this entry).
 * @throws {WebhookVerificationError} with `reason` `missing-header`, `invalid-secret`, `timestamp-too-old`,
 * `timestamp-too-new`, `signature-mismatch` or `invalid-body`.
 * @throws {RangeError} when `toleranceSeconds` is negative or NaN, or `now` is not a valid time.
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
  const now = Math.floor(Number(options.now ?? Date.now()) / 1000);
  // Written to refuse NaN, which would make every comparison false and accept any timestamp.
  if (!(tolerance >= 0) || !Number.isFinite(now)) {
    throw new RangeError('verifyWebhook: bad toleranceSeconds or now');
  }
  const keys = await importSecrets(options.secret, 'verify');
  const { id, timestamp, signatures } = readSignatureHeaders(input.headers);
  // Duck-typed so a Request from another realm or a framework's subclass works too.
  const body =
    typeof (input as Request).arrayBuffer === 'function'
      ? await requestBytes(input as Request)
      : bodyBytes((input as WebhookDelivery).body);

  // crypto.subtle.verify compares in constant time; every key is tried against every signature.
  const content = await signedContent(id, timestamp, body);
  const checks = keys.flatMap((key) =>
    signatures.map((signature) => crypto.subtle.verify('HMAC', key, signature, content)),
  );
  if (!(await Promise.all(checks)).includes(true)) {
    throw new WebhookVerificationError('signature-mismatch', 'No v1 signature matches');
  }

  const age = now - Number(timestamp);
  if (Math.abs(age) > tolerance) {
    throw new WebhookVerificationError(
      age > 0 ? 'timestamp-too-old' : 'timestamp-too-new',
      `Signed ${age} s ago; tolerance ${tolerance} s`,
    );
  }
  return parsePrediction<Output>(body);
}
