import { seededRandom } from '../../src/testing/random';
import {
  bytesOf,
  type Delivery,
  decodeCanonical,
  type HeaderBag,
  headerPairs,
  NOW,
  sign,
} from './webhooks-reference';

/** Seeded webhook deliveries for the webhook suite: good, tampered, stale, malformed, every body and header form. */

export function generator(seed: number) {
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
