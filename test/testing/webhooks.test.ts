import { createHmac } from 'node:crypto';
import { Replicate } from 'replikit';
import { createFakeReplicate, type FakeReplicateOptions, textModel } from 'replikit/testing';
import { verifyWebhook } from 'replikit/webhooks';
import { describe, expect, it } from 'vitest';

interface Received {
  headers: Record<string, string>;
  body: string;
}

const HOOK = 'https://example.com/hooks/replicate';

function setup(options: FakeReplicateOptions = {}) {
  const received: Received[] = [];
  const fake = createFakeReplicate({
    clock: 'manual',
    presets: false,
    models: {
      // 20 tokens, 100 ms apart, after a 1 s start: done 3.1 s after creation.
      'acme/chatty': textModel({
        respond: Array.from({ length: 20 }, (_, i) => `t${i} `),
        startDelay: 1000,
        tokenDelay: 100,
        logs: ['booted'],
      }),
    },
    onWebhook: async (request) => {
      received.push({ headers: Object.fromEntries(request.headers), body: await request.text() });
    },
    ...options,
  });
  return { fake, received, replicate: new Replicate({ auth: 'test', fetch: fake.fetch }) };
}

/** Standard Webhooks verification written out with node:crypto, independent of the library under test. */
function signatureIsValid(secret: string, { headers, body }: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const content = `${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`;
  const expected = createHmac('sha256', key).update(content).digest('base64');
  return headers['webhook-signature']!.split(' ').includes(`v1,${expected}`);
}

describe('webhooks', () => {
  it('delivers start, throttled output/logs and completed, signed like Replicate', async () => {
    const { fake, received, replicate } = setup();
    const created = await replicate.predictions.create({ model: 'acme/chatty', input: {}, webhook: HOOK });
    await fake.advance(5000);
    const bodies = received.map(
      (delivery) => JSON.parse(delivery.body) as { id: string; status: string; output: unknown },
    );
    expect(bodies[0]).toMatchObject({ id: created.id, status: 'starting', output: null });
    expect(bodies.at(-1)).toMatchObject({ status: 'succeeded' });
    expect(fake.webhooks.attempts.map((attempt) => attempt.event)[0]).toBe('start');
    expect(fake.webhooks.attempts.at(-1)?.event).toBe('completed');
    // 20 outputs in 2 s, at most one intermediate webhook per 500 ms.
    const intermediate = fake.webhooks.attempts.filter((a) => a.event === 'output' || a.event === 'logs');
    expect(intermediate.length).toBeGreaterThan(1);
    expect(intermediate.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < intermediate.length; i++) {
      expect(intermediate[i]!.time - intermediate[i - 1]!.time).toBeGreaterThanOrEqual(500);
    }
    for (const delivery of received) {
      expect(delivery.headers['webhook-id']).toMatch(/^msg_/);
      expect(delivery.headers['webhook-timestamp']).toMatch(/^\d{10}$/);
      expect(delivery.headers['content-type']).toBe('application/json');
      expect(signatureIsValid(fake.webhooks.secret, delivery)).toBe(true);
    }
    expect(signatureIsValid(fake.webhooks.secret, { ...received[0]!, body: `${received[0]!.body} ` })).toBe(
      false,
    );
  });

  it('honours webhook_events_filter', async () => {
    const { fake, received, replicate } = setup();
    await replicate.predictions.create({
      model: 'acme/chatty',
      input: {},
      webhook: HOOK,
      webhookEventsFilter: ['completed'],
    });
    await fake.advance(5000);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ status: 'succeeded' });
  });

  it('serves its secret at GET /webhooks/default/secret, and verifyWebhook accepts its deliveries', async () => {
    const requests: Request[] = [];
    const { fake, replicate } = setup({
      onWebhook: (request) => {
        requests.push(request);
        return new Response(null, { status: 204 });
      },
    });
    const { key } = await replicate.webhooks.default.secret.get();
    expect(key).toBe(fake.webhooks.secret);
    expect(key).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await replicate.predictions.create({
      model: 'acme/chatty',
      input: {},
      webhook: HOOK,
      webhookEventsFilter: ['completed'],
    });
    await fake.advance(5000);
    const prediction = await verifyWebhook(requests[0]!, { secret: key, now: fake.clock.now() });
    expect(prediction.status).toBe('succeeded');
  });

  it('retries a failed completed delivery with the same webhook-id, 1 s then 2 s later', async () => {
    let calls = 0;
    const { fake, replicate } = setup({
      onWebhook: () => new Response(null, { status: ++calls <= 2 ? 500 : 200 }),
    });
    await replicate.predictions.create({
      model: 'acme/chatty',
      input: {},
      webhook: HOOK,
      webhookEventsFilter: ['completed'],
    });
    await fake.advance(3100);
    await fake.advance(1000);
    await fake.advance(2000);
    const attempts = fake.webhooks.attempts;
    expect(attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(new Set(attempts.map((a) => a.id)).size).toBe(1);
    expect(attempts[1]!.time - attempts[0]!.time).toBe(1000);
    expect(attempts[2]!.time - attempts[1]!.time).toBe(2000);
  });

  it('POSTs to the webhook URL with webhookFetch when there is no handler', async () => {
    const sent: Request[] = [];
    const { fake, replicate } = setup({
      onWebhook: undefined,
      webhookFetch: async (input, init) => {
        sent.push(new Request(input, init));
        return new Response('ok');
      },
    });
    await replicate.predictions.create({
      model: 'acme/chatty',
      input: {},
      webhook: HOOK,
      webhookEventsFilter: ['start'],
    });
    await fake.webhooks.idle();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(HOOK);
    expect(sent[0]!.method).toBe('POST');
    await expect(
      verifyWebhook(sent[0]!, { secret: fake.webhooks.secret, now: fake.clock.now() }),
    ).resolves.toMatchObject({
      status: 'starting',
    });
  });
});
