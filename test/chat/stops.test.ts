import { describe, expect, it } from 'vitest';
import { StopScanner, truncateAtStop } from '../../src/chat/stops';

function scan(chunks: string[], stops: string[]): { out: string[]; stopped: boolean } {
  const scanner = new StopScanner(stops);
  const out = chunks.map((chunk) => scanner.push(chunk));
  out.push(scanner.flush());
  return { out, stopped: scanner.stopped };
}

describe('StopScanner', () => {
  it('passes text through untouched when nothing could start a stop', () => {
    expect(scan(['Hello', ' world'], ['END']).out).toEqual(['Hello', ' world', '']);
  });

  it('holds back only a tail that could begin a stop, and releases it when it does not', () => {
    expect(scan(['abc E', 'Nx'], ['END'])).toEqual({ out: ['abc ', 'ENx', ''], stopped: false });
  });

  it('finds a stop split over three chunks and emits nothing after it', () => {
    expect(scan(['one <|e', 'ot_', 'id|> two', ' three'], ['<|eot_id|>'])).toEqual({
      out: ['one ', '', '', '', ''],
      stopped: true,
    });
  });

  it('takes the earliest of several stops', () => {
    expect(truncateAtStop('a. b! c', ['!', '.'])).toEqual({ text: 'a', stopped: true });
  });

  it('flushes a held tail at the end of a stream that never stopped', () => {
    expect(scan(['the E'], ['END'])).toEqual({ out: ['the ', 'E'], stopped: false });
  });

  it('ignores empty stops', () => {
    expect(truncateAtStop('text', [''])).toEqual({ text: 'text', stopped: false });
  });

  it('finds a stop arriving one character at a time', () => {
    const text = 'alpha, beta, gamma';
    const { out, stopped } = scan([...text], [', gam']);
    expect(out.join('')).toBe('alpha, beta');
    expect(stopped).toBe(true);
  });
});
