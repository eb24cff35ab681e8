import type { Prediction, PredictionStatus } from '../schemas/prediction.js';

/** What `onProgress` receives. */
export interface Progress {
  status: PredictionStatus;
  /** 0..1 from the last `NN%|` progress bar in the logs, when the model prints one. */
  fraction: number | undefined;
  prediction: Prediction;
}

/** Receives status changes and progress-bar fractions while a prediction runs. */
export type ProgressCallback = (progress: Progress) => void;

const BAR = /(\d{1,3})%\|/g;

/** The fraction of the last `NN%|` progress bar (tqdm style) in a log text. */
export function progressFromLogs(logs: string | null | undefined): number | undefined {
  if (!logs) return undefined;
  let last: string | undefined;
  for (const match of logs.matchAll(BAR)) last = match[1];
  return last === undefined ? undefined : Math.min(100, Number(last)) / 100;
}

/** Calls `onProgress` only when the status or the fraction changed. */
export function progressReporter(
  onProgress: ProgressCallback | undefined,
): (prediction: Prediction, logs?: string) => void {
  let lastKey = '';
  return (prediction, logs) => {
    if (!onProgress) return;
    const fraction = prediction.status === 'succeeded' ? 1 : progressFromLogs(logs ?? prediction.logs);
    const key = `${prediction.status}:${fraction}`;
    if (key === lastKey) return;
    lastKey = key;
    onProgress({ status: prediction.status, fraction, prediction });
  };
}
