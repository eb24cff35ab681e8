import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The webhook suite's independent reference: Standard Webhooks verification written with node:crypto, and a
 * v1 signer, for the verdict every generated delivery should get.
 */

export const NOW = 1_750_000_000; // seconds
export const TOLERANCE = 300;

export type Reason =
  | 'missing-header'
  | 'invalid-secret'
  | 'signature-mismatch'
  | 'timestamp-too-old'
  | 'timestamp-too-new'
  | 'invalid-body';
export type Verdict = { accepted: true } | { accepted: false; reason: Reason };

export type HeaderBag = Headers | Record<string, string | string[]>;

export interface Delivery {
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

export const bytesOf = (body: Delivery['body']) =>
  typeof body === 'string'
    ? Buffer.from(body, 'utf8')
    : Buffer.from(body instanceof ArrayBuffer ? new Uint8Array(body) : body);

/** Strict, canonical standard base64 (padding optional), as the spec's reference libraries compare strings. */
export function decodeCanonical(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') === text.replace(/=+$/, '') ? bytes : undefined;
}

export function keyOf(secret: string): Buffer | undefined {
  const encoded = secret.startsWith('whsec_') ? secret.slice(6) : secret;
  const key = encoded === '' ? undefined : decodeCanonical(encoded);
  return key && key.length > 0 ? key : undefined;
}

export function header(headers: HeaderBag, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

export function reference(delivery: Delivery): Verdict {
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
export function sign(secret: string, id: string, timestamp: string, body: Delivery['body']): string {
  const key = keyOf(secret)!;
  const content = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), bytesOf(body)]);
  return `v1,${createHmac('sha256', key).update(content).digest('base64')}`;
}

/** Header pairs for `new Headers()`, repeated values joined as they arrive on the wire. */
export function headerPairs(record: Record<string, string | string[]>): Array<[string, string]> {
  return Object.entries(record).map(([name, value]) => [
    name,
    Array.isArray(value) ? value.join(', ') : value,
  ]);
}
