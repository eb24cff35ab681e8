import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { verifyWebhook, WebhookVerificationError } from 'replikit/webhooks';
import { describe, expect, it } from 'vitest';
import { prediction } from '../helpers/fixtures';

// Headers and bodies in every shape servers hand them out, and each reason a delivery is refused before or
// after the signature. Signatures are computed with node:crypto, independently of the code under test.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const KEY = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
const NOW = 1_762_215_068_000;
const TS = String(NOW / 1000);
const ID = 'msg_2pLCj7IegsV4pdmS7E4ztqF2lAN';
const BODY = JSON.stringify(prediction({ status: 'processing', logs: '42%|████' }));
const options = { secret: SECRET, now: NOW };

function sign(body: string | Uint8Array, id = ID, timestamp = TS): string {
  return `v1,${createHmac('sha256', KEY).update(`${id}.${timestamp}.`).update(body).digest('base64')}`;
}

function headers(body: string | Uint8Array = BODY): Record<string, string> {
  return { 'webhook-id': ID, 'webhook-timestamp': TS, 'webhook-signature': sign(body) };
}

async function failure(promise: Promise<unknown>): Promise<WebhookVerificationError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return error as WebhookVerificationError;
}

describe('headers', () => {
  it('accepts a Headers, a plain object, mixed-case names and Node IncomingHttpHeaders', async () => {
    const signed = headers();
    const mixed = {
      'Webhook-Id': ID,
      'WEBHOOK-TIMESTAMP': TS,
      'Webhook-Signature': signed['webhook-signature'],
      'Content-Type': 'application/json',
    };
    const node: IncomingHttpHeaders = {
      'content-type': 'application/json',
      'webhook-id': ID,
      'webhook-timestamp': TS,
      // The same header sent twice; only the second line holds the valid signature.
      'webhook-signature': ['v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', signed['webhook-signature']!],
    };
    for (const shape of [new Headers(signed), signed, mixed, node]) {
      const result = await verifyWebhook({ body: BODY, headers: shape }, options);
      expect(result.id).toBe('ufawqhfynnddngldkgtslldrkq');
      expect(result.status).toBe('processing');
    }
  });

  it('reads a header sent twice in a Headers (joined with ", ") as two signatures', async () => {
    const joined = new Headers({ 'webhook-id': ID, 'webhook-timestamp': TS });
    joined.append('webhook-signature', 'v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=');
    joined.append('webhook-signature', sign(BODY));
    expect(joined.get('webhook-signature')).toContain(', v1,');
    expect((await verifyWebhook({ body: BODY, headers: joined }, options)).status).toBe('processing');
  });

  it.each(['webhook-id', 'webhook-timestamp', 'webhook-signature'])(
    'refuses a delivery without %s',
    async (name) => {
      const without = headers();
      delete without[name];
      const missing = await failure(verifyWebhook({ body: BODY, headers: without }, options));
      expect(missing.reason).toBe('missing-header');
      expect(missing.message).toContain(name);
      const empty = await failure(
        verifyWebhook({ body: BODY, headers: { ...headers(), [name]: ' ' } }, options),
      );
      expect(empty.reason).toBe('missing-header');
    },
  );

  it('refuses a timestamp that is not whole seconds', async () => {
    for (const timestamp of ['1762215068.5', 'now', '-1762215068', '1762215068000000000']) {
      const signed = {
        ...headers(),
        'webhook-timestamp': timestamp,
        'webhook-signature': sign(BODY, ID, timestamp),
      };
      const error = await failure(verifyWebhook({ body: BODY, headers: signed }, options));
      expect(error.reason).toBe('missing-header');
      expect(error.message).toContain('webhook-timestamp');
    }
  });
});

describe('Request input', () => {
  const request = (body: BodyInit, init: Record<string, string> = headers()) =>
    new Request('https://example.com/webhooks/replicate', { method: 'POST', headers: init, body });

  it('reads the body once and verifies it', async () => {
    const input = request(BODY);
    expect((await verifyWebhook(input, options)).id).toBe('ufawqhfynnddngldkgtslldrkq');
    expect(input.bodyUsed).toBe(true);
    expect((await failure(verifyWebhook(input, options))).reason).toBe('invalid-body');
  });

  it('verifies the raw bytes, so a signed byte-order mark still matches', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(BODY)]);
    expect((await verifyWebhook(request(bytes, headers(bytes)), options)).status).toBe('processing');
  });

  it('refuses a tampered Request body', async () => {
    const error = await failure(verifyWebhook(request(`${BODY} `), options));
    expect(error.reason).toBe('signature-mismatch');
  });
});

describe('bodies', () => {
  it('accepts a string, a Uint8Array, a Buffer and an ArrayBuffer', async () => {
    const bytes = new TextEncoder().encode(BODY);
    for (const body of [BODY, bytes, Buffer.from(BODY), bytes.buffer]) {
      expect((await verifyWebhook({ body, headers: headers() }, options)).status).toBe('processing');
    }
  });

  it('verifies non-ASCII text as UTF-8', async () => {
    const body = JSON.stringify(prediction({ output: ['café ☕ 🦊'] }));
    expect((await verifyWebhook({ body, headers: headers(body) }, options)).output).toEqual(['café ☕ 🦊']);
  });

  it('refuses signed bodies that are not JSON, not UTF-8 or not a prediction', async () => {
    const notJson = '{"id": "abc", ';
    const notUtf8 = new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]);
    const array = '[]';
    const noStatus = JSON.stringify({ id: 'abc', status: 'done' });
    for (const body of [notJson, notUtf8, array, noStatus, '']) {
      const error = await failure(verifyWebhook({ body, headers: headers(body) }, options));
      expect(error.reason).toBe('invalid-body');
    }
    const error = await failure(verifyWebhook({ body: noStatus, headers: headers(noStatus) }, options));
    expect(error.issues.map((issue) => issue.path)).toEqual([['status']]);
    expect(error.message).toContain('status');
  });

  it('refuses a body already parsed by a JSON middleware', async () => {
    const parsed = JSON.parse(BODY) as unknown as string;
    const error = await failure(verifyWebhook({ body: parsed, headers: headers() }, options));
    expect(error.reason).toBe('invalid-body');
    expect(error.message).toContain('raw request body');
  });
});

describe('secrets', () => {
  it.each([
    ['empty', ''],
    ['only the prefix', 'whsec_'],
    ['not base64', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!'],
    ['base64 with spaces', 'whsec_MfKQ9r8G KYqrTwjUPD8ILPZIo2LaLaSw'],
    ['an API token', 'r8_Xn3dEkPq0w3rTkV1jJ6p2mAaZb'],
    ['an empty list', []],
    ['a list with one bad secret', [SECRET, 'whsec_%%%']],
  ])('refuses %s with invalid-secret, without echoing it', async (_, secret) => {
    const error = await failure(verifyWebhook({ body: BODY, headers: headers() }, { secret, now: NOW }));
    expect(error.reason).toBe('invalid-secret');
    if (typeof secret === 'string' && secret.length > 6) expect(error.message).not.toContain(secret.slice(6));
  });

  it('checks the secret before anything else', async () => {
    const error = await failure(verifyWebhook({ body: BODY, headers: {} }, { secret: 'whsec_', now: NOW }));
    expect(error.reason).toBe('invalid-secret');
  });
});
