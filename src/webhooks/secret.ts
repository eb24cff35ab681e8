import { decodeBase64 } from './base64';
import { WebhookVerificationError } from './errors';

/**
 * A webhook signing secret as `GET /webhooks/default/secret` returns it: `whsec_` followed by base64.
 * The prefix is optional, as in the Standard Webhooks reference libraries; the rest is always
 * base64-decoded into the HMAC key, never used as raw text. Several secrets (an old and a new one,
 * while rotating) are accepted where noted.
 */
export type WebhookSecret = string | readonly string[];

const PREFIX = 'whsec_';

/** Import each secret as an HMAC-SHA256 key; throws `invalid-secret` for an empty list or a bad secret. */
export async function importSecrets(secret: WebhookSecret, usage: 'sign' | 'verify'): Promise<CryptoKey[]> {
  const secrets = typeof secret === 'string' ? [secret] : Array.isArray(secret) ? secret : [];
  if (secrets.length === 0) {
    throw new WebhookVerificationError('invalid-secret', 'No webhook secret given.');
  }
  return Promise.all(secrets.map((one, index) => importSecret(one, usage, secrets.length > 1 ? index : -1)));
}

async function importSecret(secret: unknown, usage: 'sign' | 'verify', index: number): Promise<CryptoKey> {
  const which = index >= 0 ? `Webhook secret #${index + 1}` : 'The webhook secret';
  const encoded =
    typeof secret === 'string' && secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  const key = typeof encoded === 'string' && encoded !== '' ? decodeBase64(encoded) : undefined;
  if (key === undefined || key.length === 0) {
    // Never echo the value: it is a secret, or (pasted by mistake) an API token.
    throw new WebhookVerificationError(
      'invalid-secret',
      `${which} is not valid: expected "whsec_" followed by base64, as GET /webhooks/default/secret returns it.`,
    );
  }
  return globalThis.crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}
