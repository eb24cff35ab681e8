// npm run test:runtimes — the packed tarball in every runtime replikit claims, offline.
//
// Packs the built package (`npm pack`), installs the tarball into one consumer fixture per runtime (npm
// registry only, dependencies from npm's cache when it has them), and runs the one smoke suite (smoke.ts:
// create/wait, run, stream, chat, webhooks, cost, tokens against the in-memory fake) in: Node 22 and 24 by
// `import` and by `require()`, a TypeScript consumer type-checked with moduleResolution node16 and bundler,
// Bun, Deno (runtimes.ts), Cloudflare workerd (miniflare), Vercel's edge runtime and headless Chromium
// (playwright-core, Debian's /usr/bin/chromium) (bundled.ts). Each result names its runtime:
//   PASS   every check passed;
//   FAIL   a check or the install, type check or bundle failed: the run fails;
//   KNOWN  every error is a known issue of the package (outcome.ts: KNOWN), printed, not failing the run;
//   SKIP   the runtime itself cannot start on this machine (its probe failed): printed with the exact error.
//
// Usage: node test/runtimes/run.ts [--keep] [--strict] [name-filter ...]
//   --keep    keep the temporary folder (its path is printed)
//   --strict  KNOWN and SKIP fail the run too
//   filters   run only the runtimes whose id contains one of them (`node22`, `ts`, `bun`, `chromium` …)
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classify, KNOWN, type Outcome, type Runtime, Skip } from './outcome.ts';
import { runtimes } from './runtimes.ts';
import { exec, here, INSTALL_TIMEOUT, limit, message, npmEnv, root } from './support.ts';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const strict = args.includes('--strict');
const filters = args.filter((arg) => !arg.startsWith('--'));

async function main(): Promise<number> {
  const selected = runtimes.filter((r) => filters.length === 0 || filters.some((f) => r.id.includes(f)));
  if (selected.length === 0) throw new Error(`no runtime matches ${filters.join(', ')}`);
  const started = performance.now();
  const tmp = await mkdtemp(join(tmpdir(), 'replikit-runtimes-'));
  try {
    console.log(`runtimes: packing into ${tmp}`);
    const packed = await exec(
      'npm',
      ['pack', '--json', '--pack-destination', tmp],
      root,
      npmEnv(),
      INSTALL_TIMEOUT,
    );
    if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
    const tarball = join(tmp, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
    const { transform } = await import('esbuild');
    const smokeJs = (
      await transform(await readFile(join(here, 'smoke.ts'), 'utf8'), { loader: 'ts', format: 'esm' })
    ).code;

    const installStarted = performance.now();
    const fixtures = new Map<Runtime, Promise<string>>();
    const queue = limit(3);
    for (const runtime of selected)
      fixtures.set(
        runtime,
        queue(() => makeFixture(tmp, runtime, tarball, smokeJs)),
      );
    await Promise.allSettled(fixtures.values());
    const installSeconds = (performance.now() - installStarted) / 1000;
    console.log(
      `runtimes: ${selected.length} consumer fixtures installed in ${installSeconds.toFixed(1)} s\n`,
    );

    const rows: { runtime: Runtime; version: string; outcome: Outcome; seconds: number }[] = [];
    for (const runtime of selected) {
      const t0 = performance.now();
      let versionText = '';
      let outcome: Outcome;
      try {
        const dir = await fixtures.get(runtime)!;
        try {
          versionText = await runtime.probe(dir);
        } catch (error) {
          throw error instanceof Skip ? error : new Skip(`cannot start here: ${message(error)}`);
        }
        outcome = await runtime.run(dir);
      } catch (error) {
        outcome =
          error instanceof Skip
            ? { result: 'skip', error: error.message }
            : { result: 'fail', error: message(error) };
      }
      outcome = classify(runtime, outcome);
      const seconds = (performance.now() - t0) / 1000;
      rows.push({ runtime, version: versionText, outcome, seconds });
      const sign = { pass: '✓', fail: '✗', known: '✗', skip: '-' }[outcome.result];
      console.log(`${sign} ${runtime.label}: ${outcome.result.toUpperCase()} (${seconds.toFixed(1)} s)`);
      if (outcome.result !== 'pass') console.log(indent(describeOutcome(runtime, outcome)));
      if ('issue' in outcome && outcome.issue) console.log(indent(`known issue: ${outcome.issue}`));
    }

    const counts = { pass: 0, fail: 0, known: 0, skip: 0 };
    for (const row of rows) counts[row.outcome.result]++;
    console.log('');
    printTable(
      ['runtime', 'version', 'result', 'checks', 'time'],
      rows.map(({ runtime, version: v, outcome, seconds }) => [
        runtime.label,
        v,
        outcome.result.toUpperCase(),
        'report' in outcome && outcome.report
          ? `${outcome.report.checks.filter((c) => c.ok).length}/${outcome.report.checks.length}`
          : '–',
        `${seconds.toFixed(1)} s`,
      ]),
    );
    const total = (performance.now() - started) / 1000;
    console.log(
      `\nwhole matrix: ${total.toFixed(1)} s (pack + ${installSeconds.toFixed(1)} s of installs + runs)`,
    );
    for (const row of rows.filter((r) => r.outcome.result === 'skip'))
      console.log(`SKIPPED ${row.runtime.label}: ${row.outcome.error}`);
    for (const row of rows.filter((r) => r.outcome.result === 'known'))
      console.log(`KNOWN ${row.runtime.label}: ${'issue' in row.outcome ? row.outcome.issue : ''}`);
    for (const known of KNOWN) {
      const passed = rows.filter((r) => known.runtimes.includes(r.runtime.id) && r.outcome.result === 'pass');
      if (passed.length > 0)
        console.log(
          `FIXED? no longer seen (delete it from KNOWN in test/runtimes/outcome.ts): ${known.issue}`,
        );
    }
    const failed = rows.filter((r) => r.outcome.result === 'fail');
    if (failed.length) console.log(`FAILED: ${failed.map((r) => r.runtime.label).join(', ')}`);
    console.log(
      `runtimes: ${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped` +
        (counts.known ? ` (+${counts.known} failing with known issues)` : ''),
    );
    return counts.fail > 0 || (strict && counts.skip + counts.known > 0) ? 1 : 0;
  } finally {
    if (keep) console.log(`runtimes: kept ${tmp}`);
    else await rm(tmp, { recursive: true, force: true });
  }
}

async function makeFixture(tmp: string, runtime: Runtime, tarball: string, smokeJs: string): Promise<string> {
  const dir = join(tmp, runtime.id);
  await mkdir(dir);
  const manifest = {
    name: `replikit-consumer-${runtime.id}`,
    private: true,
    type: runtime.type ?? 'module',
    dependencies: { replikit: `file:${tarball}` },
  };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, 'smoke.mjs'), smokeJs);
  for (const file of runtime.files) await copyFile(join(here, file), join(dir, file));
  const installed = await exec(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline'],
    dir,
    npmEnv(),
    INSTALL_TIMEOUT,
  );
  if (installed.code !== 0) throw new Error(`npm install of the tarball failed:\n${installed.stderr.trim()}`);
  return dir;
}

function describeOutcome(runtime: Runtime, outcome: Outcome): string {
  const lines: string[] = [];
  if ('report' in outcome && outcome.report)
    for (const check of outcome.report.checks.filter((c) => !c.ok))
      lines.push(`${runtime.label}: ${check.name}: ${check.error}`);
  if (outcome.error) lines.push(`${runtime.label}: ${outcome.error}`);
  return lines.join('\n');
}

function printTable(head: string[], body: string[][]) {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`);
  for (const row of body) console.log(line(row));
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}

process.exitCode = await main().catch((error: unknown) => {
  console.error(`runtimes: ${message(error)}`);
  return 1;
});
