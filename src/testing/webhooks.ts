import { signWebhook } from '../webhooks/sign.js';
import type { FakeClock } from './clock.js';
import { ending, isOver, type PredictionRecord, progress, snapshot } from './prediction.js';
import { predictionId, type Random } from './random.js';
import { type FakeState, waitUntil } from './state.js';

/**
 * Webhook events, as in `webhook_events_filter`.
 * @example
 * const events: WebhookEventType[] = ['start', 'completed'];
 */
export type WebhookEventType = 'start' | 'output' | 'logs' | 'completed';

/**
 * Receives webhook deliveries instead of the network: a signed `Request`, answered like a server would.
 * @example
 * const onWebhook: WebhookHandler = async (request) => {
 *   await verifyWebhook(request, { secret: fake.webhooks.secret });
 *   return new Response(null, { status: 204 });
 * };
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler may return nothing (then it counts as a 200).
export type WebhookHandler = (request: Request) => Response | void | Promise<Response | void>;

/**
 * One delivery attempt, as the fake made it.
 * @example
 * const completed = fake.webhooks.attempts.filter((a: WebhookAttempt) => a.event === 'completed');
 */
export interface WebhookAttempt {
  /** `webhook-id`: the same on every retry of one message. */
  id: string;
  predictionId: string;
  event: WebhookEventType;
  url: string;
  /** 1 for the first try. */
  attempt: number;
  /** When it was sent, on the fake's clock (ms since the epoch). */
  time: number;
  /** The receiver's status; `undefined` when it threw or could not be reached. */
  status: number | undefined;
  body: string;
  headers: Record<string, string>;
}

export interface WebhookSettings {
  clock: FakeClock;
  state: FakeState;
  random: Random;
  secret: string;
  handler: WebhookHandler | undefined;
  fetch: typeof fetch | undefined;
  retries: number;
  closed: AbortSignal;
}

const DEFAULT_EVENTS: WebhookEventType[] = ['start', 'output', 'logs', 'completed'];
/** Replicate sends `output` and `logs` webhooks at most once per 500 ms. */
const THROTTLE_MS = 500;

/**
 * Sends a prediction's webhooks as it runs, on the fake's clock: `start` at creation, `output`/`logs`
 * throttled to one per 500 ms, `completed` at the end (retried with backoff when the receiver fails, like
 * Replicate; intermediate events are not retried). Deliveries are signed with the fake's secret.
 */
export class WebhookDispatcher {
  /** Every attempt, in order. */
  readonly attempts: WebhookAttempt[] = [];
  readonly #settings: WebhookSettings;
  readonly #sending = new Set<Promise<unknown>>();

  constructor(settings: WebhookSettings) {
    this.#settings = settings;
  }

  /** Start delivering a prediction's webhooks (no-op without `webhook`). */
  schedule(record: PredictionRecord): void {
    if (record.webhook) void this.#run(record).catch(() => {});
  }

  /** Resolves once no delivery is in flight (deliveries due later on the clock are not waited for). */
  async idle(): Promise<void> {
    await Promise.resolve();
    while (this.#sending.size > 0) await Promise.allSettled([...this.#sending]);
  }

  async #run(record: PredictionRecord): Promise<void> {
    const { clock, state, closed } = this.#settings;
    const events = new Set(record.webhookEventsFilter ?? DEFAULT_EVENTS);
    if (events.has('start')) await this.#deliver(record, 'start', false);
    let outputs = 0;
    let logs = 0;
    let lastIntermediate = Number.NEGATIVE_INFINITY;
    while (!closed.aborted) {
      const now = clock.now();
      if (isOver(record, now)) {
        if (events.has('completed')) await this.#deliver(record, 'completed', true);
        return;
      }
      const { steps } = progress(record, now);
      const seenOutputs = steps.filter((step) => step.output !== undefined).length;
      const seenLogs = steps.filter((step) => step.logs !== undefined).length;
      const newOutput = events.has('output') && seenOutputs > outputs;
      const newLogs = events.has('logs') && seenLogs > logs;
      let wake = nextStepTime(record, now);
      if (newOutput || newLogs) {
        if (now - lastIntermediate >= THROTTLE_MS) {
          await this.#deliver(record, newOutput ? 'output' : 'logs', false);
          lastIntermediate = now;
          outputs = seenOutputs;
          logs = seenLogs;
          continue;
        }
        wake = Math.min(wake, lastIntermediate + THROTTLE_MS);
      }
      await waitUntil(clock, state, record.id, wake, closed);
    }
  }

  async #deliver(record: PredictionRecord, event: WebhookEventType, retry: boolean): Promise<void> {
    const { clock, random, retries, closed } = this.#settings;
    const id = `msg_${predictionId(random)}`;
    const body = JSON.stringify(snapshot(record, clock.now()));
    for (let attempt = 1; ; attempt++) {
      const sending = this.#attempt(record, event, id, body, attempt);
      this.#sending.add(sending);
      const status = await sending.finally(() => this.#sending.delete(sending));
      const ok = status !== undefined && status >= 200 && status < 300;
      if (ok || !retry || attempt > retries || closed.aborted) return;
      await clock.sleep(1000 * 2 ** (attempt - 1), closed);
    }
  }

  async #attempt(
    record: PredictionRecord,
    event: WebhookEventType,
    id: string,
    body: string,
    attempt: number,
  ): Promise<number | undefined> {
    const { clock, secret, handler } = this.#settings;
    const url = record.webhook as string;
    const signed = await signWebhook({ body, secret, id, timestamp: Math.floor(clock.now() / 1000) });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Replicate-Webhooks/1.0 (replikit/testing)',
      ...signed,
    };
    const entry: WebhookAttempt = {
      id,
      predictionId: record.id,
      event,
      url,
      attempt,
      time: clock.now(),
      status: undefined,
      body,
      headers,
    };
    this.attempts.push(entry);
    try {
      const request = new Request(url, { method: 'POST', headers, body });
      const response = handler
        ? await handler(request)
        : await (this.#settings.fetch ?? globalThis.fetch)(request);
      entry.status = response ? response.status : 200;
      await response?.body?.cancel().catch(() => {});
    } catch {
      entry.status = undefined;
    }
    return entry.status;
  }
}

/** When the next step happens after `now`, else when the prediction ends. */
function nextStepTime(record: PredictionRecord, now: number): number {
  let next = ending(record).at;
  for (const step of record.plan.steps) {
    const at = record.startAt + step.at;
    if (at > now && at < next) next = at;
  }
  return next;
}
