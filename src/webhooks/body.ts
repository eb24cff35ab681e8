import { type Prediction, predictionSchema } from '../schemas/prediction';
import { WebhookVerificationError } from './errors';

/** A raw webhook body: exactly the bytes received, before any JSON parsing. */
export type WebhookBody = string | Uint8Array | ArrayBuffer;

/** The bytes that were signed. Strings are UTF-8 encoded; bytes are used as they are. */
export function bodyBytes(body: WebhookBody): Uint8Array {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  // The usual mistake: a body already parsed by a JSON middleware, whose bytes are gone.
  throw new WebhookVerificationError(
    'invalid-body',
    'The webhook body must be the raw request body (string, Uint8Array or ArrayBuffer), not parsed JSON.',
  );
}

/** `${id}.${timestamp}.` followed by the raw body bytes: what Standard Webhooks signs. */
export function signedContent(id: string, timestamp: string, body: Uint8Array): Uint8Array<ArrayBuffer> {
  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix);
  content.set(body, prefix.length);
  return content;
}

/** Read a `Request`'s body once, as bytes: `text()` would drop a byte-order mark that was signed. */
export async function requestBytes(request: Request): Promise<Uint8Array> {
  if (request.bodyUsed) {
    throw new WebhookVerificationError('invalid-body', 'The request body was already read.');
  }
  return new Uint8Array(await request.arrayBuffer());
}

/** Decode, parse and schema-check a verified body as a prediction; throws `invalid-body`. */
export function parsePrediction<Output>(bytes: Uint8Array): Prediction<Output> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new WebhookVerificationError('invalid-body', 'The webhook body is not UTF-8 JSON.', {
      cause,
      issues: [{ code: 'invalid_json', path: [], message: 'Body is not valid JSON' }],
    });
  }
  const result = predictionSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map(({ code, path, message }) => ({ code, path, message }));
    const where = issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new WebhookVerificationError('invalid-body', `The webhook body is not a prediction: ${where}`, {
      issues,
    });
  }
  return result.data as Prediction<Output>;
}
