import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collect } from '../faults/helpers';
import { inputs, modelRefs } from './fuzz-inputs';
import { CLIENT_OPTIONS, ODD, RUN_OPTIONS, STREAM_OPTIONS } from './fuzz-options';
import { SEED } from './fuzz-random';
import { sseBodies } from './fuzz-sse';
import { classes, outcomes, tally, trial, type Verdict } from './fuzz-trial';

/**
 * Seeded fuzzing of what callers and servers hand the client: model references, inputs, options, and the
 * bytes of event streams. Every case must end (within a bound of fake time and of requests) in a result or
 * a typed `ReplicateError`, never an untyped error, a hang, a busy loop or a leak.
 */

const NOW = new Date('2025-06-01T00:00:00Z').getTime();

beforeEach(() => {
  vi.useFakeTimers({ now: NOW });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('fuzzed input: a result or a typed error, never a hang, a busy loop or an untyped error', () => {
  const figures: Record<string, number> = {};

  it('model references', { timeout: 120_000 }, async () => {
    const results = [];
    const endpoints: string[] = [];
    for (const ref of modelRefs(300)) {
      const { verdict, paths } = await trial((r) => r.run(ref, { input: { prompt: 'x' }, wait: false }));
      results.push({ label: JSON.stringify(ref.slice(0, 60)), verdict });
      for (const path of paths) {
        if (
          !/^POST \/v1\/(models\/[^/]+\/[^/]+|deployments\/[^/]+\/[^/]+)?\/?predictions$|^(GET|POST) \/v1\/predictions\/[a-z0-9]+(\/cancel)?$|^GET \/v1\/streams\//.test(
            path,
          )
        ) {
          endpoints.push(`${JSON.stringify(ref)} reached ${path}`);
        }
      }
    }
    const { bad } = tally(results);
    expect(bad).toEqual([]);
    expect(endpoints).toEqual([]);
    figures['model references'] = results.length;
  });

  it('inputs', { timeout: 120_000 }, async () => {
    const results = [];
    for (const [label, value] of inputs(200)) {
      for (const kind of ['run', 'stream'] as const) {
        const { verdict } = await trial((r) =>
          kind === 'run'
            ? r.run('acme/echo', { input: value() as Record<string, unknown> })
            : collect(r.stream('acme/echo', { input: value() as Record<string, unknown> })),
        );
        results.push({ label: `${kind}: ${label}`, verdict });
      }
    }
    const { bad } = tally(results);
    expect(bad).toEqual([]);
    figures.inputs = results.length;
  });

  it('options of run, stream and the client', { timeout: 120_000 }, async () => {
    const results = [];
    for (const value of ODD) {
      for (const option of RUN_OPTIONS) {
        const { verdict } = await trial((r) => r.run('acme/slow', { input: {}, [option]: value } as never));
        results.push({ label: `run ${option}: ${JSON.stringify(value)}`, verdict });
      }
      for (const option of STREAM_OPTIONS) {
        const { verdict } = await trial((r) =>
          collect(r.stream('acme/echo', { input: {}, [option]: value } as never)),
        );
        results.push({ label: `stream ${option}: ${JSON.stringify(value)}`, verdict });
      }
      for (const option of CLIENT_OPTIONS) {
        const { verdict } = await trial((r) => r.run('acme/echo', { input: {} }), {
          client: { [option]: value },
        });
        results.push({ label: `client ${option}: ${JSON.stringify(value)}`, verdict });
      }
    }
    const { bad } = tally(results);
    expect(bad).toEqual([]);
    figures.options = results.length;
  });

  it('event-stream bytes', { timeout: 120_000 }, async () => {
    const results = [];
    for (let index = 0; index < 400; index++) {
      const seen = new Set<string>();
      let duplicate = false;
      const { verdict } = await trial(
        async (r) => {
          for await (const event of r.stream('acme/echo', { input: { prompt: 'x' } })) {
            if (event.id && event.type !== 'done') {
              if (seen.has(event.id)) duplicate = true;
              seen.add(event.id);
            }
          }
        },
        { stream: sseBodies() },
      );
      results.push({
        label: `stream #${index}`,
        verdict: duplicate ? ({ untyped: 'an event id delivered twice' } as Verdict) : verdict,
      });
    }
    const { bad } = tally(results);
    expect(bad).toEqual([]);
    figures['event-stream bodies'] = results.length;
  });

  it('totals', ({ task }) => {
    task.meta.figures = {
      seed: String(SEED),
      ...figures,
      'a result': outcomes.ok,
      'a ReplicateError': outcomes.typed,
      'refused before any request (a value outside the type)': outcomes.refused,
      "the caller's own exception, unchanged": outcomes.own,
      'error classes': [...classes]
        .sort((a, b) => b[1] - a[1])
        .map(([name, n]) => `${name} ${n}`)
        .join(', '),
      'untyped errors, hangs, busy loops, leaks': 0,
    };
  });
});
