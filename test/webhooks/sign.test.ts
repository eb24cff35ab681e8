import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhook, WebhookVerificationError } from 'replikit/webhooks';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { prediction } from '../helpers/fixtures';

// signWebhook is checked against node:crypto, not against verifyWebhook alone: a round trip would pass
// with the delimiter or the key decoding wrong on both sides. (The official vector is in verify.test.ts.)
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const OTHER = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
const BODY = JSON.stringify(prediction({ status: 'succeeded', output: ['hello'] }));

function nodeSignature(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('signWebhook', () => {
  it('signs id, timestamp and body as node:crypto does', async () => {
    const headers = await signWebhook({ id: 'msg_1', timestamp: 1_762_215_068, body: BODY, secret: SECRET });
    expect(headers).toEqual({
      'webhook-id': 'msg_1',
      'webhook-timestamp': '1762215068',
      'webhook-signature': nodeSignature(SECRET, 'msg_1', '1762215068', BODY),
    });
  });

  it('defaults to a random msg_ id and the current second', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_762_215_068_999);
    const first = await signWebhook({ body: BODY, secret: SECRET });
    const second = await signWebhook({ body: BODY, secret: SECRET });
    expect(first['webhook-id']).toMatch(/^msg_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(second['webhook-id']).not.toBe(first['webhook-id']);
    expect(first['webhook-timestamp']).toBe('1762215068');
    expect(first['webhook-signature']).toBe(nodeSignature(SECRET, first['webhook-id'], '1762215068', BODY));
  });

  it('takes a Date and bytes', async () => {
    const headers = await signWebhook({
      id: 'msg_2',
      timestamp: new Date('2025-11-04T00:11:08.513Z'),
      body: new TextEncoder().encode(BODY),
      secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    expect(headers['webhook-timestamp']).toBe('1762215068');
    expect(headers['webhook-signature']).toBe(nodeSignature(SECRET, 'msg_2', '1762215068', BODY));
  });

  it('gives one v1 signature per secret, each verifiable on its own', async () => {
    const headers = await signWebhook({
      id: 'msg_3',
      timestamp: 1_762_215_068,
      body: BODY,
      secret: [OTHER, SECRET],
    });
    expect(headers['webhook-signature']).toBe(
      `${nodeSignature(OTHER, 'msg_3', '1762215068', BODY)} ${nodeSignature(SECRET, 'msg_3', '1762215068', BODY)}`,
    );
    for (const secret of [SECRET, OTHER]) {
      const verified = await verifyWebhook({ body: BODY, headers }, { secret, now: 1_762_215_068_000 });
      expect(verified.output).toEqual(['hello']);
    }
  });

  it('produces headers that verify through a Request', async () => {
    const headers = await signWebhook({ body: BODY, secret: SECRET });
    const request = new Request('https://example.com/hook', { method: 'POST', headers, body: BODY });
    expect((await verifyWebhook(request, { secret: SECRET })).status).toBe('succeeded');
  });

  it('refuses a millisecond timestamp, a fraction and an empty id', async () => {
    for (const timestamp of [1_762_215_068_000, 1_762_215_068.5, -1]) {
      await expect(signWebhook({ timestamp, body: BODY, secret: SECRET })).rejects.toThrow(RangeError);
    }
    await expect(signWebhook({ id: '', body: BODY, secret: SECRET })).rejects.toThrow(RangeError);
  });

  it('refuses a bad secret with invalid-secret', async () => {
    const error = await signWebhook({ body: BODY, secret: 'whsec_not base64' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect((error as WebhookVerificationError).reason).toBe('invalid-secret');
  });
});
