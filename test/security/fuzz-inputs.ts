import { int, pick, randomText } from './fuzz-random';

/** Generated model references and `input` values for the fuzz suite. */

export function modelRefs(count: number): string[] {
  const valid = [
    'acme/echo',
    'acme/slow',
    'deployments/acme/echo',
    `acme/echo:${'a'.repeat(64)}`,
    'b'.repeat(64),
  ];
  const refs: string[] = [
    '',
    ' ',
    '/',
    'acme/',
    '/echo',
    'acme//echo',
    'acme/echo/',
    'acme/echo/predictions',
    'acme/../account',
    '../../account',
    'acme/..',
    'acme/.',
    'deployments/acme',
    'deployments/acme/echo/extra',
    'acme/echo:',
    `acme/echo:${'A'.repeat(64)}`,
    `acme/echo:${'a'.repeat(63)}`,
    'acme/echo?x=1',
    'acme/echo#frag',
    'acme%2Fecho',
    'acme/echo%2F..%2F..',
    'acme/echo\n',
    ' acme/echo',
    'https://evil.example/acme/echo',
    'acme/é',
    'acme/🦙',
    'x'.repeat(10_000),
    `${'a'.repeat(5_000)}/${'b'.repeat(5_000)}`,
  ];
  while (refs.length < count) {
    const base = pick(valid);
    const at = int(base.length + 1);
    refs.push(
      pick([
        () => base.slice(0, at) + randomText(4) + base.slice(at),
        () => base.slice(0, at) + base.slice(at + 1 + int(3)),
        () => randomText(40),
        () => base.toUpperCase(),
        () => `${randomText(8)}/${randomText(8)}`,
      ])(),
    );
  }
  return refs;
}

/** Input values a caller might pass, sane and not. */
export function inputs(count: number): Array<[string, () => unknown]> {
  const cyclic = (): unknown => {
    const a: Record<string, unknown> = { prompt: 'x' };
    a.self = a;
    return a;
  };
  const deep = (depth: number): unknown => {
    let value: unknown = 'leaf';
    for (let index = 0; index < depth; index++) value = { nested: value };
    return value;
  };
  const cases: Array<[string, () => unknown]> = [
    ['empty object', () => ({})],
    ['null', () => null],
    ['undefined', () => undefined],
    ['a string', () => 'prompt'],
    ['a number', () => 42],
    ['an array', () => ['a', 'b']],
    ['a cyclic object', cyclic],
    ['a BigInt', () => ({ prompt: 'x', n: 10n })],
    ['a symbol', () => ({ prompt: 'x', s: Symbol('s') })],
    ['a function', () => ({ prompt: 'x', f: () => 1 })],
    ['NaN and Infinity', () => ({ prompt: 'x', a: Number.NaN, b: Number.POSITIVE_INFINITY })],
    [
      'a Date, a Map, a Set, a RegExp',
      () => ({ prompt: 'x', d: new Date(0), m: new Map([[1, 2]]), s: new Set([1]), r: /x/ }),
    ],
    [
      'a getter that throws',
      () => ({
        prompt: 'x',
        get boom() {
          throw new Error('getter');
        },
      }),
    ],
    [
      'a toJSON that throws',
      () => ({
        prompt: 'x',
        v: {
          toJSON() {
            throw new Error('toJSON');
          },
        },
      }),
    ],
    [
      'a Proxy that throws',
      () =>
        new Proxy(
          {},
          {
            ownKeys() {
              throw new Error('proxy');
            },
          },
        ),
    ],
    ['a __proto__ key', () => JSON.parse('{"prompt":"x","__proto__":{"polluted":true}}')],
    ['a 1 MB prompt', () => ({ prompt: 'x'.repeat(1_000_000) })],
    ['nesting 200 deep', () => ({ prompt: 'x', deep: deep(200) })],
    ['nesting 20,000 deep', () => ({ prompt: 'x', deep: deep(20_000) })],
    // biome-ignore lint/suspicious/noSparseArray: a hole is the point of this case
    ['a sparse array', () => ({ prompt: 'x', list: [1, , 3] })],
    ['lone surrogates', () => ({ prompt: '\ud800x\udfff' })],
    ['a NUL byte', () => ({ prompt: 'a\u0000b' })],
    ['a nested Blob', () => ({ prompt: 'x', files: [{ file: new Blob(['hi']) }] })],
    ['an empty Blob', () => ({ prompt: 'x', file: new Blob([]) })],
    ['a typed array', () => ({ prompt: 'x', bytes: new Uint8Array([1, 2, 3]) })],
    [
      'a ReadableStream that errors',
      () => ({
        prompt: 'x',
        file: new ReadableStream({
          start(c) {
            c.error(new Error('read'));
          },
        }),
      }),
    ],
    ['a class instance', () => ({ prompt: 'x', at: new URL('https://example.com') })],
  ];
  while (cases.length < count) {
    const value = randomJson(4);
    cases.push([`random ${JSON.stringify(value).slice(0, 40)}`, () => value]);
  }
  return cases;
}

function randomJson(depth: number): unknown {
  const kind = int(depth > 0 ? 7 : 4);
  if (kind === 0) return randomText(20);
  if (kind === 1) return pick([0, -1, 1.5, 1e308, -0, 2 ** 53 + 1]);
  if (kind === 2) return pick([true, false, null]);
  if (kind === 3) return randomText(3);
  if (kind === 4) return Array.from({ length: int(4) }, () => randomJson(depth - 1));
  return Object.fromEntries(Array.from({ length: int(4) }, () => [randomText(6), randomJson(depth - 1)]));
}
