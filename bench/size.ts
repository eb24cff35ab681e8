/**
 * `npm run size`: what replikit adds to a user's bundle, per entry, against the budgets of issue 7.
 *
 * Builds dist/ (skip with `--no-build`), then bundles small entry files from a temp dir whose node_modules
 * links to this package and to the official `replicate` package, exactly as an app would import them, with
 * `esbuild --bundle --minify --format=esm` (browser platform: an edge or browser bundle), and gzips each
 * bundle (level 9). Tree-shaking is real: only what the entry file uses is kept.
 *
 * Fails (exit 1) when an entry is over its budget, and says what dominates it: the gzip bytes each
 * dependency adds (the bundle with that dependency left external, subtracted from the full one).
 *
 * `--json` prints the measurements as JSON instead of the table.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'esbuild';
import { type Case, cases, KB } from './lib/size-cases.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Dependencies whose share of a bundle over budget is reported. */
const DEPENDENCIES = ['zod'];

interface Measured {
  name: string;
  what: string;
  minified: number;
  gzip: number;
  budget?: number;
  /** gzip bytes each dependency adds, for entries over budget. */
  shares?: Record<string, number>;
  /** Minified bytes per package or src/ folder (a build from src/), for entries over budget. */
  parts?: Record<string, number>;
}

function stubPlugin(stubs: Record<string, string>): Plugin {
  return {
    name: 'stubs',
    setup(builder) {
      builder.onResolve({ filter: /^replikit(\/.*)?$/ }, (args) => ({
        path: join(root, 'src', args.path === 'replikit' ? 'index.ts' : `entries/${args.path.slice(9)}.ts`),
      }));
      for (const [module, contents] of Object.entries(stubs)) {
        const filter = new RegExp(`/${module.replace(/[/.]/g, '\\$&')}(\\.js)?$`);
        builder.onResolve({ filter }, () => ({ path: module, namespace: 'stub' }));
        builder.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents, loader: 'ts' }));
      }
    },
  };
}

async function bundle(dir: string, item: Case, external: string[] = []): Promise<Uint8Array> {
  return (await bundleWithMeta(dir, item, external)).bytes;
}

async function bundleWithMeta(
  dir: string,
  item: Case,
  external: string[] = [],
): Promise<{ bytes: Uint8Array; inputs: Record<string, { bytesInOutput: number }> }> {
  const file = join(dir, `${item.name.replace(/\W+/g, '-')}.js`);
  writeFileSync(file, item.code);
  const result = await build({
    entryPoints: [file],
    absWorkingDir: dir,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    metafile: true,
    logLevel: 'error',
    external: external.flatMap((name) => [name, `${name}/*`]),
    plugins: item.fromSource ? [stubPlugin(item.fromSource.stubs)] : [],
  });
  const inputs = Object.values(result.metafile.outputs)[0]?.inputs ?? {};
  return { bytes: result.outputFiles[0]!.contents, inputs };
}

/** `node_modules/zod/v4/core/x.js` → `zod`, `src/chat/mapping.ts` → `src/chat`. */
function groupOf(path: string): string {
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (dependency) return dependency[1]!;
  const source = /(?:^|\/)src\/(?:([^/]+)\/)?[^/]+$/.exec(path);
  return source ? `src/${source[1] ?? ''}` : 'entry';
}

const gzipSize = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).byteLength;

async function measure(dir: string, item: Case): Promise<Measured> {
  const bytes = await bundle(dir, item);
  const measured: Measured = {
    name: item.name,
    what: item.what,
    minified: bytes.byteLength,
    gzip: gzipSize(bytes),
  };
  if (item.budget !== undefined) measured.budget = item.budget;
  if (item.budget !== undefined && measured.gzip > item.budget) {
    measured.shares = {};
    for (const dependency of DEPENDENCIES) {
      const share = measured.gzip - gzipSize(await bundle(dir, item, [dependency]));
      if (share > 0) measured.shares[dependency] = share;
    }
    const { inputs } = await bundleWithMeta(dir, { ...item, fromSource: item.fromSource ?? { stubs: {} } });
    measured.parts = {};
    for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
      const group = groupOf(path);
      measured.parts[group] = (measured.parts[group] ?? 0) + bytesInOutput;
    }
  }
  return measured;
}

function makeConsumer(): string {
  const dir = mkdtempSync(join(tmpdir(), 'replikit-size-'));
  mkdirSync(join(dir, 'node_modules'));
  // A consumer app: `replikit` is this package (its exports map, its dist/), `replicate` the official one.
  symlinkSync(root, join(dir, 'node_modules', 'replikit'), 'dir');
  symlinkSync(join(root, 'node_modules', 'replicate'), join(dir, 'node_modules', 'replicate'), 'dir');
  return dir;
}

const kb = (bytes: number) => `${(bytes / KB).toFixed(1)} KB`;

function table(rows: Measured[]): string {
  const lines = [
    '| bundle | what the entry file uses | min | min+gzip | budget |',
    '| --- | --- | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    const budget =
      row.budget === undefined ? '' : `${row.gzip <= row.budget ? 'ok' : '**over**'} (≤ ${kb(row.budget)})`;
    lines.push(`| ${row.name} | ${row.what} | ${kb(row.minified)} | ${kb(row.gzip)} | ${budget} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  if (!args.has('--no-build')) {
    const tsup = spawnSync(join(root, 'node_modules', '.bin', 'tsup'), ['--silent'], {
      cwd: root,
      stdio: 'inherit',
    });
    if (tsup.status !== 0) throw new Error(`tsup failed with exit code ${tsup.status}`);
  }
  const dir = makeConsumer();
  const rows: Measured[] = [];
  try {
    for (const item of cases) rows.push(await measure(dir, item));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const byName = new Map(rows.map((row) => [row.name, row]));
  const withChat = byName.get('replikit full client + chat')!;
  const fullRow = byName.get('replikit full client')!;
  const fromSource = byName.get('replikit full client (from src)')!;
  const withoutChat = byName.get('replikit full client without chat')!;
  // `Replicate` builds `chat` in its constructor, so its bundle already holds the chat adapter; the adapter's
  // share is the full client from src with and without it. (`ReplicateCore` has no chat at all.)
  const chat: Measured = {
    name: 'chat on top of the client',
    what: 'full client − full client without chat (both from src)',
    minified: fromSource.minified - withoutChat.minified,
    gzip: fromSource.gzip - withoutChat.gzip,
    budget: 8 * KB,
  };
  const added = withChat.gzip - fullRow.gzip;
  rows.splice(rows.indexOf(fromSource) + 1, 0, chat);

  if (args.has('--json')) {
    console.log(JSON.stringify({ rows, chatAddedByUse: added }, null, 2));
  } else {
    console.log(table(rows));
    console.log(
      `\nUsing chat.completions.create adds ${added} B gzip to the full client's bundle (it already holds chat).`,
    );
  }
  const over = rows.filter((row) => row.budget !== undefined && row.gzip > row.budget);
  for (const row of over) {
    const shares = Object.entries(row.shares ?? {})
      .sort((a, b) => b[1] - a[1])
      .map(([name, bytes]) => `${name} ${kb(bytes)}`);
    const own = row.gzip - Object.values(row.shares ?? {}).reduce((sum, bytes) => sum + bytes, 0);
    const parts = Object.entries(row.parts ?? {})
      .filter(([, bytes]) => bytes > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([name, bytes]) => `${name} ${kb(bytes)}`);
    console.error(
      `over budget: ${row.name} is ${kb(row.gzip)} min+gzip, budget ${kb(row.budget!)}` +
        (shares.length > 0 ? `; gzip added by ${shares.join(', ')}; replikit's own code ≈ ${kb(own)}` : '') +
        (parts.length > 0 ? `\n  minified bytes by part: ${parts.join(', ')}` : ''),
    );
  }
  if (over.length > 0) process.exitCode = 1;
}

await main();
