import { ReplicateError, type ValidationIssue } from '../errors.js';

/**
 * Why a webhook delivery was refused.
 * - `missing-header`: `webhook-id`, `webhook-timestamp` or `webhook-signature` is absent or empty, or the
 *   timestamp is not whole seconds since the epoch.
 * - `invalid-secret`: the configured secret is empty or not base64 (with or without its `whsec_` prefix).
 * - `timestamp-too-old` / `timestamp-too-new`: the signature is valid but the timestamp is outside
 *   `toleranceSeconds` of now (a replay, or a clock that is off).
 * - `signature-mismatch`: no `v1,` signature in the header matches the body under the secret.
 * - `invalid-body`: the signed body is not UTF-8 JSON or not a prediction, or was not given as raw text/bytes.
 */
export type WebhookVerificationErrorReason =
  | 'missing-header'
  | 'invalid-secret'
  | 'timestamp-too-old'
  | 'timestamp-too-new'
  | 'signature-mismatch'
  | 'invalid-body';

/**
 * A webhook delivery failed verification; answer it with a 4xx and do not act on it. The message names
 * what was wrong but never holds the secret, the signatures or the body.
 * @example
 * try { await verifyWebhook(request, { secret }); }
 * catch (error) {
 *   if (error instanceof WebhookVerificationError) return new Response(error.reason, { status: 400 });
 *   throw error;
 * }
 */
export class WebhookVerificationError extends ReplicateError {
  override name = 'WebhookVerificationError';
  /** What failed, as a string literal to switch on. */
  readonly reason: WebhookVerificationErrorReason;
  /**
   * For an `invalid-body` that is not a prediction: one issue per wrong field (`path: ['status']`), or a
   * single one with `path: []` when the body is not a JSON object. Empty for every other failure.
   */
  readonly issues: ValidationIssue[];

  constructor(
    reason: WebhookVerificationErrorReason,
    message: string,
    init: { issues?: ValidationIssue[]; cause?: unknown } = {},
  ) {
    // Error installs `cause` only when the key is present, so `{ issues }` alone leaves none.
    super(message, init);
    this.reason = reason;
    this.issues = init.issues ?? [];
  }
}
