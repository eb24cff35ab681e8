import { InvalidRequestError } from './errors.js';

/** A parsed model reference: what to run and through which endpoint. */
export type ModelRef =
  | { kind: 'model'; owner: string; name: string }
  | { kind: 'version'; owner?: string | undefined; name?: string | undefined; version: string }
  | { kind: 'deployment'; owner: string; name: string };

const NAME = '[A-Za-z0-9][A-Za-z0-9._-]*';
const VERSION_ID = '[0-9a-f]{64}';
const MODEL = new RegExp(`^(${NAME})/(${NAME})$`);
const MODEL_VERSION = new RegExp(`^(${NAME})/(${NAME}):(${VERSION_ID})$`);
const BARE_VERSION = new RegExp(`^${VERSION_ID}$`);
const DEPLOYMENT = new RegExp(`^deployments/(${NAME})/(${NAME})$`);

const FORMS =
  '`owner/name`, `owner/name:<64-hex version>`, a bare 64-hex version id, or `deployments/owner/name`';

/**
 * Parse a model reference. Throws `InvalidRequestError` naming the accepted forms before any request.
 * @example
 * parseModelRef('meta/meta-llama-3-8b-instruct'); // { kind: 'model', owner: 'meta', name: 'meta-llama-3-8b-instruct' }
 */
export function parseModelRef(ref: string): ModelRef {
  if (typeof ref === 'string') {
    const deployment = DEPLOYMENT.exec(ref);
    if (deployment) return { kind: 'deployment', owner: deployment[1]!, name: deployment[2]! };
    const versioned = MODEL_VERSION.exec(ref);
    if (versioned)
      return { kind: 'version', owner: versioned[1]!, name: versioned[2]!, version: versioned[3]! };
    if (BARE_VERSION.test(ref)) return { kind: 'version', version: ref };
    const model = MODEL.exec(ref);
    // `deployments/acme` is a deployment missing its name, not a model owned by "deployments".
    if (model && model[1] !== 'deployments') return { kind: 'model', owner: model[1]!, name: model[2]! };
  }
  throw invalidValue('model', ref, `use ${FORMS}.`, 'model reference');
}

/** Check an `owner/name` model name (e.g. a training destination). */
export function checkModelName(field: string, value: string): string {
  if (typeof value !== 'string' || !MODEL.test(value)) {
    throw invalidValue(field, value, "expected 'owner/name'.");
  }
  return value;
}

/** Check one path segment (owner, model name, id) so nothing odd is spliced into a URL. */
export function checkSegment(field: string, value: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._~-]*$/.test(value)) {
    throw invalidValue(field, value, "expected letters, digits, '.', '_', '-' or '~'.");
  }
  return value;
}

/** Webhook URLs must be absolute https URLs: Replicate rejects others, and plain http leaks the payload. */
export function checkWebhookUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {}
  if (parsed?.protocol !== 'https:') {
    throw invalidValue('webhook', url, 'it must be an absolute https:// URL.', 'webhook URL');
  }
  return url;
}

/** The webhook events Replicate can send. */
export type WebhookEvent = 'start' | 'output' | 'logs' | 'completed';
const WEBHOOK_EVENTS = new Set<string>(['start', 'output', 'logs', 'completed']);

/** Check a `webhook_events_filter`: a non-empty list of known events. */
export function checkWebhookEvents(events: readonly string[]): WebhookEvent[] {
  if (!Array.isArray(events) || events.length === 0 || events.some((event) => !WEBHOOK_EVENTS.has(event))) {
    throw invalidValue(
      'webhookEventsFilter',
      events,
      'use a non-empty list of start, output, logs, completed.',
    );
  }
  return [...new Set(events)] as WebhookEvent[];
}

/** The error for input the client refuses to send; `field` names the offending option. */
/**
 * The `InvalidRequestError` of a bad value: `Invalid <label> <value as JSON>: <hint>`.
 * @example
 * throw invalidValue('wait', 90, 'use seconds from 1 to 60, true, or false.');
 */
export function invalidValue(
  field: string,
  value: unknown,
  hint: string,
  label = field,
): InvalidRequestError {
  return invalid(field, `Invalid ${label} ${JSON.stringify(value)}: ${hint}`);
}

export function invalid(field: string, message: string): InvalidRequestError {
  return new InvalidRequestError(message, {
    problem: { detail: message, invalid_fields: [{ field, description: message }] },
  });
}
