import { createHmac, timingSafeEqual } from 'node:crypto';
import { signWebhook, verifyWebhook, WebhookVerificationError } from 'replikit/webhooks';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/testing/random';

/**
 * Generated webhook deliveries checked against an independent reference: Standard Webhooks verification
 * written here with node:crypto (HMAC-SHA256 over `id.timestamp.body`, canonical base64, constant-time
 * compare), following the order verifyWebhook documents (secret, headers, signature, window, body).
 */

const SEED = Number(process.env.WEBHOOK_SEED ?? 8_675_309);
const DELIVERIES = Number(process.env.WEBHOOK_DELIVERIES ?? 12_000);
const NOW = 1_750_000_000; // seconds
const TOLERANCE = 300;

type Reason =
  | 'missing-header'
  | 'invalid-secret'
  | 'signature-mismatch'
  | 'timestamp-too-old'
  | 'timestamp-too-new'
  | 'invalid-body';
type Verdict = { accepted: true } | { accepted: false; reason: Reason };

type HeaderBag = Headers | Record<string, string | string[]>;

interface Delivery {
  kind: string;
  body: string | Uint8Array | ArrayBuffer;
  headers: HeaderBag;
  /** Verify it as a `Request` rather than `{ body, headers }`. */
  asRequest: boolean;
  secrets: string | string[];
  now: number;
  /** Whether the body is a valid prediction (only matters once the signature holds). */
  validBody: boolean;
}

const bytesOf = (body: Delivery['body']) =>
  typeof body === 'string'
    ? Buffer.from(body, 'utf8')
    : Buffer.from(body instanceof ArrayBuffer ? new Uint8Array(body) : body);

/** Strict, canonical standard base64 (padding optional), as the spec's reference libraries compare strings. */
function decodeCanonical(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') === text.replace(/=+$/, '') ? bytes : undefined;
}

function keyOf(secret: string): Buffer | undefined {
  const encoded = secret.startsWith('whsec_') ? secret.slice(6) : secret;
  const key = encoded === '' ? undefined : decodeCanonical(encoded);
  return key && key.length > 0 ? key : undefined;
}

function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

function reference(delivery: Delivery): Verdict {
  const secrets = typeof delivery.secrets === 'string' ? [delivery.secrets] : delivery.secrets;
  const keys = secrets.map(keyOf);
  if (keys.length === 0 || keys.some((key) => key === undefined))
    return { accepted: false, reason: 'invalid-secret' };
  const id = header(delivery.headers, 'webhook-id');
  const timestamp = header(delivery.headers, 'webhook-timestamp')?.trim();
  const signature = header(delivery.headers, 'webhook-signature');
  if (!id?.trim() || !timestamp || !signature?.trim() || !/^\d{1,15}$/.test(timestamp)) {
    return { accepted: false, reason: 'missing-header' };
  }
  const content = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), bytesOf(delivery.body)]);
  const macs = (keys as Buffer[]).map((key) => createHmac('sha256', key).update(content).digest());
  const matches = signature.split(/\s+/).some((entry) => {
    const comma = entry.indexOf(',');
    if (comma < 0 || entry.slice(0, comma) !== 'v1') return false;
    const given = decodeCanonical(entry.slice(comma + 1).replace(/,$/, ''));
    return (
      given !== undefined && macs.some((mac) => mac.length === given.length && timingSafeEqual(mac, given))
    );
  });
  if (!matches) return { accepted: false, reason: 'signature-mismatch' };
  const seconds = Number(timestamp);
  if (delivery.now - seconds > TOLERANCE) return { accepted: false, reason: 'timestamp-too-old' };
  if (seconds - delivery.now > TOLERANCE) return { accepted: false, reason: 'timestamp-too-new' };
  return delivery.validBody ? { accepted: true } : { accepted: false, reason: 'invalid-body' };
}

/** v1 signature of `id.timestamp.body` with one secret, computed here (not with signWebhook). */
function sign(secret: string, id: string, timestamp: string, body: Delivery['body']): string {
  const key = keyOf(secret)!;
  const content = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), bytesOf(body)]);
  return `v1,${createHmac('sha256', key).update(content).digest('base64')}`;
}

function generator(seed: number) {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(items: readonly T[]) => items[int(items.length)]!;
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const secret = () => `whsec_${bytes(pick([16, 24, 32, 64])).toString('base64')}`;
  const ascii = (n: number): string => {
    if (n > 64)
      return ascii(64)
        .repeat(Math.ceil(n / 64))
        .slice(0, n);
    return Array.from({ length: n }, () => pick([...'abcdefghijklmnopqrstuvwxyz0123456789_-.:'])).join('');
  };
  const statuses = ['starting', 'processing', 'succeeded', 'failed', 'canceled', 'aborted'];
  const predictionBody = (): string => {
    const size = pick([0, 1, 10, 100, 1000, 20_000]);
    const prediction = {
      id: ascii(26),
      model: 'meta/meta-llama-3-8b-instruct',
      version: 'hidden',
      input: { prompt: pick(['hi', 'ünïcødé 🦙 "quotes" \\ back', ascii(size)]) },
      logs: '',
      output: Array.from({ length: int(5) }, () => pick([' token', ' ß', ' 🦙', '\n'])),
      error: null,
      status: pick(statuses),
      created_at: '2025-06-15T10:00:00.000Z',
      urls: {
        get: 'https://api.replicate.com/v1/predictions/x',
        cancel: 'https://api.replicate.com/v1/predictions/x/cancel',
      },
    };
    return pick([JSON.stringify(prediction), JSON.stringify(prediction, null, 2)]);
  };
  const brokenBody = (): string | Uint8Array =>
    pick<string | Uint8Array>([
      '',
      'not json',
      '[]',
      '{}',
      'null',
      '{"id":1,"status":"succeeded"}',
      '{"id":"x","status":"queued"}',
      '{"status":"succeeded"}',
      new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), // not UTF-8
      '{"id":"x","status":"succeeded"',
    ]);
  const flipByte = (data: Buffer) => {
    const copy = Buffer.from(data);
    if (copy.length === 0) return Buffer.from('x');
    copy[int(copy.length)]! ^= 1 << int(8);
    return copy;
  };
  const casing = (name: string) =>
    pick([
      name,
      name.toUpperCase(),
      name.replace(/(^|-)(\w)/g, (_, dash: string, c: string) => dash + c.toUpperCase()),
      [...name].map((c) => (random() < 0.5 ? c.toUpperCase() : c)).join(''),
    ]);

  return function next(index: number): Delivery {
    const huge = index % 2500 === 7;
    const valid = huge || random() < 0.85;
    let body: Delivery['body'] = huge
      ? JSON.stringify({ id: 'huge', status: 'succeeded', logs: 'x'.repeat(4_000_000) })
      : valid
        ? predictionBody()
        : brokenBody();
    const id = `msg_${ascii(pick([1, 8, 27, 40]))}`;
    const skew =
      random() < 0.7
        ? pick([0, -1, 1, -30, -299, 299, -300, 300])
        : pick([-301, 301, -86_400, 86_400 * 365, -NOW]);
    let timestamp = String(NOW + skew);
    const signer = secret();
    const other = secret();
    let secrets: string | string[] = signer;
    let signature = sign(signer, id, timestamp, body);
    let headerId = id;
    let kind = 'valid';
    let validBody = valid;

    switch (int(22)) {
      case 0: {
        kind = 'tampered body';
        const tampered = flipByte(bytesOf(body));
        body = pick([tampered.toString('latin1'), new Uint8Array(tampered)]);
        if (typeof body === 'string') kind = 'tampered body (string)';
        validBody = false;
        break;
      }
      case 1:
        kind = 'body with appended whitespace';
        body = `${typeof body === 'string' ? body : bytesOf(body).toString('utf8')} `;
        break;
      case 2:
        kind = 'tampered id';
        headerId = pick([
          `${id}x`,
          id.slice(0, -1) || 'y',
          id.toUpperCase() === id ? `${id}Z` : id.toUpperCase(),
        ]);
        break;
      case 3:
        kind = 'tampered timestamp';
        timestamp = String(Number(timestamp) + pick([1, -1, 60, 3600]));
        break;
      case 4: {
        kind = 'tampered signature bytes';
        const mac = decodeCanonical(signature.slice(3))!;
        signature = `v1,${flipByte(mac).toString('base64')}`;
        break;
      }
      case 5:
        kind = 'malformed signature header';
        signature = pick([
          signature.slice(3),
          `v2,${signature.slice(3)}`,
          `v1,${signature.slice(3, -4)}`,
          'v1,',
          '   ',
          `v1 ${signature.slice(3)}`,
          `v1,${signature.slice(3).replace(/[A-Za-z]/, '!')}`,
        ]);
        break;
      case 6:
        kind = 'wrong secret';
        secrets = other;
        break;
      case 7:
        kind = 'rotated: old secret still accepted';
        secrets = pick([
          [other, signer],
          [signer, other],
        ]);
        break;
      case 8:
        kind = 'rotated: signed with new and old';
        signature = `${sign(other, id, timestamp, body)} ${signature}`;
        secrets = pick([signer, other, [other]]);
        break;
      case 9:
        kind = 'rotated: old secret dropped';
        secrets = [other, secret()];
        break;
      case 10:
        kind = 'valid among garbage signatures';
        signature = `v1,${bytes(32).toString('base64')} v0,abc ${signature} v1,${bytes(32).toString('base64')}`;
        break;
      case 11:
        kind = 'invalid secret';
        secrets = pick(['', 'whsec_', 'whsec_%%%%', [], [signer, 'whsec_!!']]);
        break;
      case 12:
        kind = 'missing or empty header';
        break;
      case 13:
        kind = 'timestamp not whole seconds';
        break;
      case 14:
        kind = 'header sent twice (joined)';
        break;
      default:
        kind = 'valid';
    }
    if (kind === 'valid' && !validBody) kind = 'invalid body';

    const names = {
      id: casing('webhook-id'),
      timestamp: casing('webhook-timestamp'),
      signature: casing('webhook-signature'),
    };
    const record: Record<string, string | string[]> = {
      [names.id]: headerId,
      [names.timestamp]: timestamp,
      [names.signature]: signature,
      'content-type': 'application/json',
    };
    if (kind === 'missing or empty header') {
      const which = pick([names.id, names.timestamp, names.signature]);
      if (random() < 0.5) delete record[which];
      else record[which] = pick(['', '  ']);
    }
    if (kind === 'timestamp not whole seconds') {
      record[names.timestamp] = pick([
        `${timestamp}.5`,
        `${timestamp}000000000`,
        `-${timestamp}`,
        `1e9`,
        'now',
        `${timestamp}s`,
      ]);
    }
    if (kind === 'header sent twice (joined)') {
      record[names.signature] = [signature, `v1,${bytes(32).toString('base64')}`];
    }
    const asHeaders = random() < 0.4;
    const headers: HeaderBag = asHeaders ? new Headers(headerPairs(record)) : record;
    const form = int(3);
    const finalBody: Delivery['body'] =
      typeof body === 'string' && form === 1
        ? new TextEncoder().encode(body)
        : typeof body === 'string' && form === 2
          ? new TextEncoder().encode(body).buffer
          : body;
    return {
      kind,
      body: finalBody,
      headers,
      asRequest: random() < 0.2,
      secrets,
      now: NOW,
      validBody,
    };
  };
}

/** Header pairs for `new Headers()`, repeated values joined as they arrive on the wire. */
function headerPairs(record: Record<string, string | string[]>): Array<[string, string]> {
  return Object.entries(record).map(([name, value]) => [
    name,
    Array.isArray(value) ? value.join(', ') : value,
  ]);
}

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
