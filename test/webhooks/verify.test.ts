import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ReplicateError } from 'replikit';
import { signWebhook, verifyWebhook, WebhookVerificationError } from 'replikit/webhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';

// The official Standard Webhooks test vector, from standard-webhooks/standard-webhooks
// libraries/javascript/src/webhook.test.ts ("sign function works"), commit 7b4b8f6ae873424eb23562d6962ef548d1e1f78b.
// Svix publishes the same vector in its own libraries' tests (Standard Webhooks grew out of Svix's scheme).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: '1614265330',
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const SECRET = VECTOR.secret;
const KEY = Buffer.from(SECRET.slice('whsec_'.length), 'base64');
// A real prediction body (recorded; see test/fixtures/api/SOURCES.md), sent as the raw bytes of the file.
const BODY = readFileSync(new URL('../fixtures/api/prediction-get-flux.json', import.meta.url), 'utf8');
const NOW = 1_762_215_068_000; // ms; the delivery below is signed at this second
const TS = String(NOW / 1000);
const ID = 'msg_2pLCj7IegsV4pdmS7E4ztqF2lAN';

/** Signed with node:crypto, independently of the code under test. */
function nodeSignature(
  id: string,
  timestamp: string,
  body: string | Uint8Array,
  key: Uint8Array = KEY,
): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64')}`;
}

function delivery(overrides: Record<string, string | undefined> = {}, body: string = BODY) {
  const headers: Record<string, string | undefined> = {
    'webhook-id': ID,
    'webhook-timestamp': TS,
    'webhook-signature': nodeSignature(ID, TS, BODY),
    ...overrides,
  };
  return { body, headers };
}

async function reason(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return (error as WebhookVerificationError).reason;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the Standard Webhooks test vector', () => {
  it('is what node:crypto computes, so the test helper signs correctly', () => {
    const key = Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64');
    expect(nodeSignature(VECTOR.id, VECTOR.timestamp, VECTOR.body, key)).toBe(VECTOR.signature);
  });

  it('is reproduced by signWebhook', async () => {
    const headers = await signWebhook({
      id: VECTOR.id,
      timestamp: Number(VECTOR.timestamp),
      body: VECTOR.body,
      secret: VECTOR.secret,
    });
    expect(headers).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': VECTOR.timestamp,
      'webhook-signature': VECTOR.signature,
    });
  });

  // The vector's body is not a prediction: getting as far as `invalid-body` proves the signature and the
  // timestamp passed (a wrong key or content would stop at `signature-mismatch`).
  it.each([
    ['with the whsec_ prefix', VECTOR.secret],
    ['without the prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
  ])('verifies %s', async (_, secret) => {
    const headers = {
      'webhook-id': VECTOR.id,
      'webhook-timestamp': VECTOR.timestamp,
      'webhook-signature': VECTOR.signature,
    };
    const now = Number(VECTOR.timestamp) * 1000;
    expect(await reason(verifyWebhook({ body: VECTOR.body, headers }, { secret, now }))).toBe('invalid-body');
    // A changed first character, and a non-canonical last one (same bytes once decoded, but not the
    // signature the reference libraries compare as a string).
    for (const signature of [
      'v1,h0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
      `${VECTOR.signature.slice(0, -2)}F=`,
    ]) {
      const tampered = { ...headers, 'webhook-signature': signature };
      expect(await reason(verifyWebhook({ body: VECTOR.body, headers: tampered }, { secret, now }))).toBe(
        'signature-mismatch',
      );
    }
  });
});

describe('verifyWebhook', () => {
  it('returns the schema-checked prediction of a valid delivery', async () => {
    const prediction = await verifyWebhook<string[]>(delivery(), { secret: SECRET, now: NOW });
    expect(prediction.id).toBe('8mver00185rme0ct9gt80xrw5m');
    expect(prediction.status).toBe('succeeded');
    expect(prediction.output).toEqual([
      'https://replicate.delivery/xezq/rIFyuseoP81zRKZZh7fO6AAwnDq1h5k2TOyOmvkKIye40eWWB/out-0.webp',
    ]);
    expect(prediction.metrics?.predict_time).toBe(0.5333474);
    expect(prediction).toEqual(JSON.parse(BODY));
  });

  it('refuses a tampered body, id, timestamp or signature', async () => {
    const secret = SECRET;
    const body = BODY.replace('"succeeded"', '"failed"');
    expect(body).not.toBe(BODY);
    expect(await reason(verifyWebhook(delivery({}, body), { secret, now: NOW }))).toBe('signature-mismatch');
    expect(await reason(verifyWebhook(delivery({ 'webhook-id': `${ID}x` }), { secret, now: NOW }))).toBe(
      'signature-mismatch',
    );
    // One second later is inside the window: only the signature can catch it.
    const later = String(Number(TS) + 1);
    expect(await reason(verifyWebhook(delivery({ 'webhook-timestamp': later }), { secret, now: NOW }))).toBe(
      'signature-mismatch',
    );
    const good = nodeSignature(ID, TS, BODY);
    const flipped = `v1,${good.slice(3, 10)}${good[10] === 'A' ? 'B' : 'A'}${good.slice(11)}`;
    for (const signature of [flipped, good.slice(0, 20), 'v1,', `v2,${good.slice(3)}`, good.slice(3)]) {
      expect(
        await reason(verifyWebhook(delivery({ 'webhook-signature': signature }), { secret, now: NOW })),
      ).toBe('signature-mismatch');
    }
  });

  it('refuses a delivery signed with another secret', async () => {
    const other = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
    expect(await reason(verifyWebhook(delivery(), { secret: other, now: NOW }))).toBe('signature-mismatch');
  });

  it('accepts any one valid v1 signature among several (rotated secrets)', async () => {
    const good = nodeSignature(ID, TS, BODY);
    const old = nodeSignature(ID, TS, BODY, Buffer.from('C2FVsBQIhrscChlQIMV+b5sSYspob7oD', 'base64'));
    for (const header of [`${old} ${good}`, `${good} ${old}`, `v2,${good.slice(3)}  ${old}\t${good} v1,!!`]) {
      const prediction = await verifyWebhook(delivery({ 'webhook-signature': header }), {
        secret: SECRET,
        now: NOW,
      });
      expect(prediction.id).toBe('8mver00185rme0ct9gt80xrw5m');
    }
    expect(
      await reason(
        verifyWebhook(delivery({ 'webhook-signature': `${old} ${old}` }), { secret: SECRET, now: NOW }),
      ),
    ).toBe('signature-mismatch');
  });

  it('accepts a delivery signed with any of several configured secrets', async () => {
    const other = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
    const prediction = await verifyWebhook(delivery(), { secret: [other, SECRET], now: NOW });
    expect(prediction.status).toBe('succeeded');
    expect(await reason(verifyWebhook(delivery(), { secret: [other], now: NOW }))).toBe('signature-mismatch');
  });
});

describe('the timestamp window', () => {
  const at = (seconds: number) => NOW + seconds * 1000;

  it('accepts up to 300 s either way by default and refuses beyond', async () => {
    const secret = SECRET;
    expect((await verifyWebhook(delivery(), { secret, now: at(300) })).id).toBe('8mver00185rme0ct9gt80xrw5m');
    expect((await verifyWebhook(delivery(), { secret, now: at(-300) })).id).toBe(
      '8mver00185rme0ct9gt80xrw5m',
    );
    expect(await reason(verifyWebhook(delivery(), { secret, now: at(301) }))).toBe('timestamp-too-old');
    expect(await reason(verifyWebhook(delivery(), { secret, now: at(-301) }))).toBe('timestamp-too-new');
  });

  it('honours toleranceSeconds, a Date clock and Infinity', async () => {
    const secret = SECRET;
    const options = { secret, toleranceSeconds: 10 };
    expect((await verifyWebhook(delivery(), { ...options, now: new Date(at(10)) })).status).toBe('succeeded');
    expect(await reason(verifyWebhook(delivery(), { ...options, now: new Date(at(11)) }))).toBe(
      'timestamp-too-old',
    );
    expect(await reason(verifyWebhook(delivery(), { ...options, now: at(-11) }))).toBe('timestamp-too-new');
    const forever = { secret, toleranceSeconds: Number.POSITIVE_INFINITY, now: at(10 * 365 * 86_400) };
    expect((await verifyWebhook(delivery(), forever)).status).toBe('succeeded');
  });

  it('reads the system clock when no now is given', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at(299));
    expect((await verifyWebhook(delivery(), { secret: SECRET })).status).toBe('succeeded');
    vi.setSystemTime(at(302));
    expect(await reason(verifyWebhook(delivery(), { secret: SECRET }))).toBe('timestamp-too-old');
  });

  it('is checked only after the signature, so a forged stale delivery is a mismatch', async () => {
    const forged = delivery({ 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' });
    expect(await reason(verifyWebhook(forged, { secret: SECRET, now: at(10_000) }))).toBe(
      'signature-mismatch',
    );
  });

  it('refuses a tolerance or clock that would disable the check', async () => {
    for (const toleranceSeconds of [Number.NaN, -1]) {
      await expect(verifyWebhook(delivery(), { secret: SECRET, toleranceSeconds })).rejects.toThrow(
        RangeError,
      );
    }
    await expect(verifyWebhook(delivery(), { secret: SECRET, now: new Date('nope') })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('WebhookVerificationError', () => {
  it('is a ReplicateError with a name, a reason and no secret or signature in its message', async () => {
    const signature = nodeSignature(ID, TS, BODY);
    const error = await verifyWebhook(delivery(), {
      secret: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
      now: NOW,
    }).catch((caught: unknown) => caught as WebhookVerificationError);
    expect(error).toBeInstanceOf(ReplicateError);
    expect(error?.name).toBe('WebhookVerificationError');
    expect(error?.reason).toBe('signature-mismatch');
    expect(error?.message).not.toContain('C2FVsBQIhrscChlQIMV');
    expect(error?.message).not.toContain(signature.slice(3));
  });
});
