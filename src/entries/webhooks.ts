/**
 * `replikit/webhooks` — verify Replicate's signed webhook deliveries (Standard Webhooks, HMAC-SHA256) with
 * Web Crypto, and sign deliveries for tests and fakes. Imports no HTTP client: safe for edge bundles.
 */

export type { Prediction } from '../schemas/prediction';
export type { WebhookBody } from '../webhooks/body';
export { WebhookVerificationError, type WebhookVerificationErrorReason } from '../webhooks/errors';
export type { WebhookHeaders } from '../webhooks/headers';
export type { WebhookSecret } from '../webhooks/secret';
export { type SignedWebhookHeaders, type SignWebhookOptions, signWebhook } from '../webhooks/sign';
export { type VerifyWebhookOptions, verifyWebhook, type WebhookDelivery } from '../webhooks/verify';
