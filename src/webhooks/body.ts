import type { Prediction } from '../schemas/prediction.js';
import { WebhookVerificationError } from './errors.js';
import { predictionIssues } from './prediction-check.js';

/** A raw webhook body: exactly the bytes received, before any JSON parsing. */
export type WebhookBody = string | Uint8Array | ArrayBuffer;

/** The bytes that were signed. Strings are UTF-8 encoded; bytes are used as they are. */
export function bodyBytes(body: WebhookBody): Uint8Array {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // The usual mistake: a body already parsed by a JSON middleware, whose bytes are gone.
  throw new WebhookVerificationError('invalid-body', 'Expected the raw request body, not parsed JSON');
}

/** `${id}.${timestamp}.` followed by the raw body bytes: what Standard Webhooks signs. */
export function signedContent(id: string, timestamp: string, body: Uint8Array): Promise<ArrayBuffer> {
  // A Blob encodes the string as UTF-8 and copies the bytes as they are. (The cast only rules out bytes
  // over a SharedArrayBuffer, which no HTTP server hands out as a body.)
  return new Blob([`${id}.${timestamp}.`, body as Uint8Array<ArrayBuffer>]).arrayBuffer();
}

/** Read a `Request`'s body once, as bytes: `text()` would drop a byte-order mark that was signed. */
export async function requestBytes(request: Request): Promise<Uint8Array> {
  if (request.bodyUsed) throw new WebhookVerificationError('invalid-body', 'Request body already read');
  return new Uint8Array(await request.arrayBuffer());
}

/** Decode, parse and check a verified body as a prediction; throws `invalid-body`. */
export function parsePrediction<Output>(bytes: Uint8Array): Prediction<Output> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    // Left undefined: refused below like any body that is not a JSON object.
  }
  const issues = predictionIssues(value);
  if (issues.length > 0) {
    const where = issues.map((issue) => issue.path[0] ?? 'not a JSON object').join(', ');
    throw new WebhookVerificationError('invalid-body', `Body is not a prediction: ${where}`, {
      issues,
    });
  }
  return value as Prediction<Output>;
}
