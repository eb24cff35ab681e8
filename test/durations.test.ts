import { describe, expect, it } from 'vitest';
import { cancelAfterHeader, preferHeader } from '../src/durations';
import { InvalidRequestError } from '../src/index';

function thrown(fn: () => unknown): InvalidRequestError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return error as InvalidRequestError;
  }
  throw new Error('expected a throw');
}

describe('cancelAfterHeader', () => {
  it.each([
    ['90s', '90s'],
    ['5m', '300s'],
    ['1h', '3600s'],
    ['1h30m', '5400s'],
    ['1h30m45s', '5445s'],
    ['2m5s', '125s'],
    [' 30s ', '30s'],
    [45, '45s'],
    ['45', '45s'],
    [5, '5s'],
    ['5s', '5s'],
  ])('%j → %s', (value, header) => {
    expect(cancelAfterHeader(value)).toBe(header);
  });

  it.each([
    4,
    '4s',
    '0',
    0,
    '',
    '   ',
    'abc',
    '5x',
    '5 m',
    '30m1h',
    '1.5m',
    -1,
    1.5,
    90.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    1e21,
    '999999999999999999999',
    '9999999999999999h',
  ])('rejects %j naming the accepted forms', (value) => {
    const error = thrown(() => cancelAfterHeader(value));
    expect(error.message).toContain('>= 5');
    expect(error.message).toContain("'1h30m'");
    expect(error.invalidFields[0]?.field).toBe('cancelAfter');
  });
});

describe('preferHeader', () => {
  it.each([
    [true, 'wait'],
    [1, 'wait=1'],
    [10, 'wait=10'],
    [60, 'wait=60'],
    [1.5, 'wait=2'],
  ])('%j → %s', (wait, header) => {
    expect(preferHeader(wait)).toBe(header);
  });

  it.each([false, undefined])('%j → no header', (wait) => {
    expect(preferHeader(wait)).toBeUndefined();
  });

  it.each([0.5, 0, -1, 61, 60.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %j', (wait) => {
    const error = thrown(() => preferHeader(wait));
    expect(error.message).toContain('1 to 60');
    expect(error.invalidFields[0]?.field).toBe('wait');
  });
});
