import type { FakeModel, RunPlan, RunStep } from './model.js';

/** A prediction as the fake stores it: its plan and what happened to it; its state is derived from time. */
export interface PredictionRecord {
  /** Creation order, for newest-first lists and stable cursors. */
  seq: number;
  id: string;
  /** `owner/name`. */
  model: string;
  definition: FakeModel;
  /** `version` on the wire: `"hidden"` for official models, else the 64-hex id. */
  version: string;
  input: Record<string, unknown>;
  createdAt: number;
  /** When it leaves `starting` (creation plus the model's start delay). */
  startAt: number;
  plan: RunPlan;
  /** `Cancel-After` deadline, ms since the epoch. */
  deadline?: number | undefined;
  deployment?: string | undefined;
  webhook?: string | undefined;
  webhookEventsFilter?: string[] | undefined;
  /** When a cancel request arrived. */
  canceledAt?: number | undefined;
  urls: { cancel: string; get: string; stream?: string; web: string };
}

export type TerminalStatus = 'succeeded' | 'failed' | 'canceled' | 'aborted';

/** How and when a prediction ends, given what is known now (a later cancel can only bring it forward). */
export function ending(record: PredictionRecord): { at: number; status: TerminalStatus } {
  let end: { at: number; status: TerminalStatus } = {
    at: record.startAt + record.plan.duration,
    status: record.plan.result.status,
  };
  if (record.deadline !== undefined && record.deadline < end.at) {
    end = { at: record.deadline, status: record.deadline < record.startAt ? 'aborted' : 'canceled' };
  }
  if (record.canceledAt !== undefined && record.canceledAt < end.at) {
    end = { at: record.canceledAt, status: 'canceled' };
  }
  return end;
}

/** Whether the prediction has ended at `now`. */
export function isOver(record: PredictionRecord, now: number): boolean {
  return now >= ending(record).at;
}

/** One server-sent event of a prediction, at the time it happens. */
export interface TimelineEvent {
  at: number;
  event: 'output' | 'logs' | 'error' | 'done';
  data: string;
  /** `<unix seconds>:<n>`, n counting from 0 within each second, as Replicate's stream ids. */
  id: string;
}

/** Every event of the prediction, past and (as far as known) future, in order. */
export function timeline(record: PredictionRecord): TimelineEvent[] {
  const end = ending(record);
  const raw: Array<Omit<TimelineEvent, 'id'>> = [];
  if (end.status !== 'aborted' && !(end.at < record.startAt)) {
    for (const step of record.plan.steps) {
      const at = record.startAt + step.at;
      if (at > end.at) continue;
      if (step.logs !== undefined) raw.push({ at, event: 'logs', data: step.logs });
      if (step.output !== undefined) raw.push({ at, event: 'output', data: asText(step.output) });
    }
  }
  if (end.status === 'failed' && record.plan.result.status === 'failed') {
    raw.push({ at: end.at, event: 'error', data: record.plan.result.error });
  }
  const reason = end.status === 'succeeded' ? {} : { reason: end.status === 'failed' ? 'error' : 'canceled' };
  raw.push({ at: end.at, event: 'done', data: JSON.stringify(reason) });
  // Stable sort keeps step order within the same millisecond.
  raw.sort((a, b) => a.at - b.at);
  let second = -1;
  let counter = 0;
  return raw.map((event) => {
    const current = Math.floor(event.at / 1000);
    counter = current === second ? counter + 1 : 0;
    second = current;
    return { ...event, id: `${current}:${counter}` };
  });
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Whether the prediction has started by `now`, and the steps that have happened. */
export function progress(record: PredictionRecord, now: number): { started: boolean; steps: RunStep[] } {
  const end = ending(record);
  const visible = Math.min(now, end.at);
  const started = visible >= record.startAt && end.status !== 'aborted';
  const steps = started ? record.plan.steps.filter((step) => record.startAt + step.at <= visible) : [];
  return { started, steps };
}

const iso = (ms: number) => new Date(ms).toISOString();
const seconds = (ms: number) => Math.round(ms) / 1000;

/**
 * The prediction as `GET /predictions/{id}` returns it at `now`, with the keys and key order of Replicate's
 * current responses (`id, model, version, input, logs, output, data_removed, error, source, status,
 * created_at, …, urls, metrics`).
 */
export function snapshot(record: PredictionRecord, now: number): Record<string, unknown> {
  const end = ending(record);
  const terminal = now >= end.at;
  const { started, steps } = progress(record, now);
  const logs = steps
    .filter((step) => step.logs !== undefined)
    .map((step) => `${step.logs}\n`)
    .join('');
  let output: unknown = null;
  if (terminal && end.status === 'succeeded' && record.plan.result.status === 'succeeded') {
    output = record.plan.result.output;
  } else if (record.plan.iterator && started) {
    output = steps.filter((step) => step.output !== undefined).map((step) => step.output);
  }
  const body: Record<string, unknown> = {
    id: record.id,
    model: record.model,
    version: record.version,
    input: record.input,
    logs,
    output,
    data_removed: false,
    error:
      terminal && end.status === 'failed' && record.plan.result.status === 'failed'
        ? record.plan.result.error
        : null,
    source: 'api',
    status: terminal ? end.status : started ? 'processing' : 'starting',
    created_at: iso(record.createdAt),
  };
  if (started) body.started_at = iso(record.startAt);
  if (terminal) body.completed_at = iso(end.at);
  if (record.deadline !== undefined) body.deadline = iso(record.deadline);
  if (record.deployment !== undefined) body.deployment = record.deployment;
  body.urls = { ...record.urls };
  if (terminal) body.metrics = metrics(record, end, started);
  return body;
}

function metrics(
  record: PredictionRecord,
  end: { at: number; status: TerminalStatus },
  started: boolean,
): Record<string, number> {
  const times: Record<string, number> = {};
  if (started) times.predict_time = seconds(end.at - record.startAt);
  times.total_time = seconds(end.at - record.createdAt);
  return end.status === 'succeeded' ? { ...record.plan.metrics, ...times } : times;
}
