// The matrix's types, and the known issues that turn a failure into KNOWN.
import type { SmokeReport } from './smoke.ts';

export type Outcome =
  | {
      result: 'pass' | 'fail' | 'known';
      report?: SmokeReport;
      error?: string;
      problems?: string[];
      issue?: string;
    }
  | { result: 'skip'; error: string };

export interface Runtime {
  id: string;
  label: string;
  /** Files of test/runtimes copied into the fixture (smoke.mjs is always there). */
  files: string[];
  type?: 'module' | 'commonjs';
  /** Checks that the runtime itself starts here; its error makes a skip, not a failure. Returns a version. */
  probe(fixture: string): Promise<string>;
  run(fixture: string): Promise<Outcome>;
}

/** The runtime cannot start on this machine: reported as SKIP with the reason. */
export class Skip extends Error {}

/**
 * Bugs of the package that this matrix found and that are not fixed yet. A runtime whose every error matches
 * one of its known issues is reported as KNOWN (printed with the issue, not failing the run unless --strict);
 * any other error fails it. When a known issue stops showing, the run says so: delete its entry then.
 */
export const KNOWN: { runtimes: string[]; match: RegExp; issue: string }[] = [];

/** A failure whose every error matches a known issue of this runtime becomes KNOWN. */
export function classify(runtime: Runtime, outcome: Outcome): Outcome {
  if (outcome.result !== 'fail') return outcome;
  const errors = [
    ...(outcome.report?.checks.filter((c) => !c.ok).map((c) => c.error ?? '') ?? []),
    ...(outcome.problems ?? (outcome.error ? [outcome.error] : [])),
  ];
  const issues = KNOWN.filter((k) => k.runtimes.includes(runtime.id));
  const matched = errors.map((error) => issues.find((k) => k.match.test(error)));
  if (errors.length === 0 || matched.some((k) => k === undefined)) return outcome;
  return { ...outcome, result: 'known', issue: [...new Set(matched.map((k) => k!.issue))].join('; ') };
}

/** A smoke report, plus problems seen outside it (a bundling error worked around, a network request). */
export function fromReport(report: SmokeReport, problems: string[] = []): Outcome {
  if (problems.length) return { result: 'fail', report, error: problems.join('\n'), problems };
  return { result: report.ok ? 'pass' : 'fail', report };
}
