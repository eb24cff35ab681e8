import { signWebhook, verifyWebhook, WebhookVerificationError } from 'replikit/webhooks';
import { describe, expect, it } from 'vitest';
import { generator } from './webhooks-deliveries';
import {
  type Delivery,
  headerPairs,
  keyOf,
  NOW,
  type Reason,
  reference,
  sign,
  TOLERANCE,
  type Verdict,
} from './webhooks-reference';

/**
 * Generated webhook deliveries checked against an independent reference: Standard Webhooks verification
 * written here with node:crypto (HMAC-SHA256 over `id.timestamp.body`, canonical base64, constant-time
 * compare), following the order verifyWebhook documents (secret, headers, signature, window, body).
 */

const SEED = Number(process.env.WEBHOOK_SEED ?? 8_675_309);
const DELIVERIES = Number(process.env.WEBHOOK_DELIVERIES ?? 12_000);

async function actual(delivery: Delivery): Promise<Verdict> {
  const input = delivery.asRequest
    ? new Request('https://example.com/hooks', {
        method: 'POST',
        headers: delivery.headers instanceof Headers ? delivery.headers : headerPairs(delivery.headers),
        body: delivery.body as BodyInit,
      })
    : { body: delivery.body, headers: delivery.headers };
  try {
    await verifyWebhook(input, {
      secret: delivery.secrets,
      now: delivery.now * 1000,
      toleranceSeconds: TOLERANCE,
    });
    return { accepted: true };
  } catch (error) {
    if (error instanceof WebhookVerificationError) return { accepted: false, reason: error.reason as Reason };
    throw error;
  }
}

describe('webhook verification against an independent reference', () => {
  it(`${DELIVERIES} generated deliveries: 0 wrongly accepted, 0 wrongly rejected`, {
    timeout: 120_000,
  }, async ({ task }) => {
    const next = generator(SEED);
    const kinds = new Map<string, number>();
    let accepted = 0;
    let wronglyAccepted = 0;
    let wronglyRejected = 0;
    let wrongReason = 0;
    const examples: string[] = [];
    // Verified 100 at a time: Web Crypto works off the main thread.
    for (let first = 0; first < DELIVERIES; first += 100) {
      const batch = Array.from({ length: Math.min(100, DELIVERIES - first) }, (_, offset) =>
        next(first + offset),
      );
      const verdicts = await Promise.all(batch.map(actual));
      batch.forEach((delivery, offset) => {
        kinds.set(delivery.kind, (kinds.get(delivery.kind) ?? 0) + 1);
        const expected = reference(delivery);
        const got = verdicts[offset]!;
        if (got.accepted) accepted++;
        if (got.accepted && !expected.accepted) wronglyAccepted++;
        else if (!got.accepted && expected.accepted) wronglyRejected++;
        else if (!got.accepted && !expected.accepted && got.reason !== expected.reason) wrongReason++;
        else return;
        if (examples.length < 5) {
          examples.push(
            `#${first + offset} ${delivery.kind}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`,
          );
        }
      });
    }
    expect(examples).toEqual([]);
    expect(wronglyAccepted).toBe(0);
    expect(wronglyRejected).toBe(0);
    expect(wrongReason).toBe(0);
    task.meta.figures = {
      seed: String(SEED),
      deliveries: DELIVERIES,
      accepted,
      rejected: DELIVERIES - accepted,
      'wrongly accepted': wronglyAccepted,
      'wrongly rejected': wronglyRejected,
      'right verdict, wrong reason': wrongReason,
      kinds: kinds.size,
    };
    expect(kinds.size).toBeGreaterThanOrEqual(15);
  });

  it('a replay outside the window is refused, inside it accepted, either way', async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const body = JSON.stringify({ id: 'p1', status: 'succeeded' });
    const headers = await signWebhook({ body, secret, id: 'msg_replay', timestamp: NOW });
    const at = (seconds: number) =>
      verifyWebhook({ body, headers }, { secret, now: (NOW + seconds) * 1000 }).then(
        () => 'accepted',
        (error: WebhookVerificationError) => error.reason,
      );
    expect(await at(0)).toBe('accepted');
    expect(await at(300)).toBe('accepted');
    expect(await at(301)).toBe('timestamp-too-old');
    expect(await at(86_400)).toBe('timestamp-too-old');
    expect(await at(-300)).toBe('accepted');
    expect(await at(-301)).toBe('timestamp-too-new');
    // A replay re-signed with a fresh timestamp but the old signature is a mismatch, not a pass.
    const moved = { ...headers, 'webhook-timestamp': String(NOW + 3600) };
    await expect(
      verifyWebhook({ body, headers: moved }, { secret, now: (NOW + 3600) * 1000 }),
    ).rejects.toMatchObject({
      reason: 'signature-mismatch',
    });
  });

  it('signWebhook agrees with the reference signer', async () => {
    const next = generator(SEED + 1);
    for (let index = 0; index < 200; index++) {
      const delivery = next(index);
      const secret = typeof delivery.secrets === 'string' ? delivery.secrets : undefined;
      if (!secret || !keyOf(secret) || typeof delivery.body !== 'string') continue;
      const headers = await signWebhook({ body: delivery.body, secret, id: `msg_${index}`, timestamp: NOW });
      expect(headers['webhook-signature']).toBe(sign(secret, `msg_${index}`, String(NOW), delivery.body));
    }
  });
});
