import { int, pick, random, randomText } from './fuzz-random';

/** Event-stream bodies built from real fragments and garbage, split at random byte offsets. */
export function sseBodies(): (connection: number) => Uint8Array[] {
  const encoder = new TextEncoder();
  const fragments = [
    () =>
      `event: output\nid: ${pick(['1:0', '1:1', '2:0', '0:0', 'x', '', '9999999999999:1'])}\ndata: ${randomText(8)}\n\n`,
    () => `data: ${randomText(10)}\n`,
    () => `event: ${pick(['logs', 'output', 'error', 'done', 'unknown', ''])}\n`,
    () => `id: ${randomText(5)}\n`,
    () => `retry: ${pick(['0', '-1', 'abc', '99999999999'])}\n`,
    () => ': comment\n',
    () => '\r\n',
    () => '\n\n',
    () => 'event: done\ndata: {}\n\n',
    () => `event: error\ndata: ${pick(['{"detail":"boom"}', 'not json', ''])}\n\n`,
    () => `event: done\ndata: ${pick(['{"reason":"canceled"}', '[', '"x"', 'null'])}\n\n`,
    () => `data: ${'y'.repeat(pick([0, 10, 70_000]))}\n\n`,
    () => randomText(12),
  ];
  return () => {
    const text = Array.from({ length: int(12) }, () => pick(fragments)()).join('');
    const bytes = encoder.encode(text);
    const raw = random() < 0.1 ? new Uint8Array([...bytes, 0xff, 0xfe, 0xc3]) : bytes; // invalid UTF-8 tail
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < raw.length; ) {
      const size = 1 + int(64);
      chunks.push(raw.slice(at, at + size));
      at += size;
    }
    return chunks;
  };
}
