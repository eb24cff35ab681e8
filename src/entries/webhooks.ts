/**
 * `replikit/webhooks` — verify Replicate's signed webhook deliveries (Standard Webhooks, HMAC-SHA256) with
 * Web Crypto, and sign deliveries for tests and fakes. Imports no HTTP client: safe for edge bundles.
 */

export type { Prediction } from '../schemas/prediction.js';
export type { WebhookBody } from '../webhooks/body.js';
export { WebhookVerificationError, type WebhookVerificationErrorReason } from '../webhooks/errors.js';
export type { WebhookHeaders } from '../webhooks/headers.js';
export type { WebhookSecret } from '../webhooks/secret.js';
export { type SignedWebhookHeaders, type SignWebhookOptions, signWebhook } from '../webhooks/sign.js';
export { type VerifyWebhookOptions, verifyWebhook, type WebhookDelivery } from '../webhooks/verify.js';
