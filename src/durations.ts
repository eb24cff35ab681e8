import { invalidValue } from './identifiers.js';

const UNIT_SECONDS = { h: 3600, m: 60, s: 1 } as const;
const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const MIN_CANCEL_AFTER = 5;

/**
 * Normalise a `Cancel-After` duration: `'90s'`, `'5m'`, `'1h30m'`, `'45'` or a number of seconds.
 * Returns the header value in seconds form (`'90s'`); throws `InvalidRequestError` below 5 s or when malformed.
 * @example
 * cancelAfterHeader('1h30m'); // '5400s'
 */
export function cancelAfterHeader(value: string | number): string {
  const seconds = durationSeconds(value);
  // Beyond 2^53 seconds lose precision and from 1e21 print as `1e+21`: not a header Replicate accepts.
  if (seconds === undefined || seconds < MIN_CANCEL_AFTER || !Number.isSafeInteger(seconds)) {
    throw invalidValue('cancelAfter', value, "use seconds (>= 5) or a duration like '30s', '5m', '1h30m'.");
  }
  return `${seconds}s`;
}

function durationSeconds(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const match = text ? DURATION.exec(text) : null;
  if (!match || match[0] === '') return undefined;
  const [, h = '0', m = '0', s = '0'] = match;
  return Number(h) * UNIT_SECONDS.h + Number(m) * UNIT_SECONDS.m + Number(s) * UNIT_SECONDS.s;
}

/**
 * The `Prefer` header for a `wait` option: `true` → `wait`, a number of seconds 1..60 → `wait=N`,
 * `false`/`undefined` → no header.
 */
export function preferHeader(wait: number | boolean | undefined): string | undefined {
  if (wait === undefined || wait === false) return undefined;
  if (wait === true) return 'wait';
  if (!Number.isFinite(wait) || wait < 1 || wait > 60) {
    throw invalidValue('wait', wait, 'use seconds from 1 to 60, true, or false.');
  }
  return `wait=${Math.ceil(wait)}`;
}
