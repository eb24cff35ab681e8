/** Option names of run, stream and the client, and the odd values the fuzz suite gives each of them. */

/** Option values to try, for each option of run and of the client. */
export const ODD = [
  undefined,
  null,
  0,
  -1,
  0.5,
  61,
  1e12,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  '',
  '5m',
  'x',
  true,
  false,
  [],
  {},
  'https://evil.example/',
  '\r\nX-Injected: 1',
];
export const RUN_OPTIONS = [
  'wait',
  'cancelAfter',
  'webhook',
  'webhookEventsFilter',
  'timeout',
  'pollInterval',
  'maxPollInterval',
  'useStream',
  'fileEncoding',
  'fileOutput',
  'signal',
  'onProgress',
];
export const STREAM_OPTIONS = [
  'cancelAfter',
  'maxReconnects',
  'reconnectDelay',
  'cancelOnBreak',
  'fallback',
  'signal',
];
export const CLIENT_OPTIONS = ['maxRetries', 'timeout', 'maxRetryAfter', 'userAgent', 'baseUrl', 'auth'];
