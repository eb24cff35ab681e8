import { decodeBase64 } from './base64.js';
import { WebhookVerificationError } from './errors.js';

/**
 * A webhook signing secret as `GET /webhooks/default/secret` returns it: `whsec_` followed by base64.
 * The prefix is optional, as in the Standard Webhooks reference libraries; the rest is always
 * base64-decoded into the HMAC key, never used as raw text. Several secrets (an old and a new one,
 * while rotating) are accepted where noted.
 */
export type WebhookSecret = string | readonly string[];

/** Import each secret as an HMAC-SHA256 key; throws `invalid-secret` for an empty list or a bad secret. */
export async function importSecrets(secret: WebhookSecret, usage: 'sign' | 'verify'): Promise<CryptoKey[]> {
  const secrets: unknown[] = [secret].flat();
  if (secrets.length === 0) throw new WebhookVerificationError('invalid-secret', 'No webhook secret');
  return Promise.all(
    secrets.map((one, index) => {
      const key = typeof one === 'string' ? decodeBase64(one.replace(/^whsec_/, '')) : undefined;
      if (!key?.length) {
        // Never echo the value: it is a secret, or (pasted by mistake) an API token.
        throw new WebhookVerificationError(
          'invalid-secret',
          `Webhook secret #${index + 1} is not whsec_ + base64`,
        );
      }
      return crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
    }),
  );
}
