// The runtimes of the matrix that run a bundle, as an app would ship it: Cloudflare workerd (miniflare), Vercel's
// edge runtime (EdgeVM) and headless Chromium (playwright-core driving Debian's chromium).
import { access, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fromReport, type Outcome, type Runtime, Skip } from './outcome.ts';
import type { SmokeReport } from './smoke.ts';
import { message, packageVersion, RUN_TIMEOUT, version, withTimeout } from './support.ts';

const CHROMIUM = process.env.REPLIKIT_CHROMIUM ?? '/usr/bin/chromium';

export const bundledRuntimes: Runtime[] = [
  {
    id: 'workerd',
    label: 'Cloudflare workerd (miniflare)',
    files: ['consumer-worker.mjs'],
    probe: async () => {
      const { Miniflare } = await import('miniflare');
      const mf = new Miniflare({
        modules: true,
        script: 'export default { fetch: () => new Response(navigator.userAgent) }',
        compatibilityDate: '2026-01-01',
      });
      try {
        const agent = await (await mf.dispatchFetch('http://localhost/')).text();
        return `workerd ${await packageVersion('workerd')} (${agent})`;
      } finally {
        await mf.dispose();
      }
    },
    run: async (dir) => {
      const problems: string[] = [];
      const bundle = await bundleFor(
        dir,
        'consumer-worker.mjs',
        'esm',
        ['workerd', 'worker', 'browser'],
        problems,
      );
      const { Miniflare } = await import('miniflare');
      const outbound: string[] = [];
      const mf = new Miniflare({
        // One module, as a deployed Worker bundle is (miniflare would otherwise try to follow its imports).
        modules: [{ type: 'ESModule', path: bundle, contents: await readFile(bundle, 'utf8') }],
        modulesRoot: dirname(bundle),
        compatibilityDate: '2026-01-01',
        // Any global fetch of the Worker lands here: the smoke must make none.
        outboundService: (request: { url: string }) => {
          outbound.push(request.url);
          return new Response('offline', { status: 599 });
        },
      });
      try {
        const response = await withTimeout(mf.dispatchFetch('http://localhost/smoke'), 'the Worker');
        const text = await response.text();
        if (!response.ok) return { result: 'fail', error: `the Worker answered ${response.status}: ${text}` };
        return fromReport(JSON.parse(text), [
          ...problems,
          ...outbound.map((url) => `network request: ${url}`),
        ]);
      } finally {
        await mf.dispose();
      }
    },
  },
  {
    id: 'edge',
    label: 'Vercel Edge Runtime',
    files: ['consumer-edge.mjs'],
    probe: async () => {
      const { EdgeRuntime } = await import('edge-runtime');
      const runtime = new EdgeRuntime();
      const edge = runtime.evaluate<string>('EdgeRuntime');
      return `edge-runtime ${await packageVersion('edge-runtime')} (${edge})`;
    },
    run: async (dir) => {
      const problems: string[] = [];
      const bundle = await bundleFor(
        dir,
        'consumer-edge.mjs',
        'iife',
        ['edge-light', 'worker', 'browser'],
        problems,
      );
      const { EdgeRuntime } = await import('edge-runtime');
      const runtime = new EdgeRuntime({ initialCode: await readFile(bundle, 'utf8') });
      const response = await withTimeout(
        runtime.dispatchFetch('http://127.0.0.1/smoke'),
        'the edge function',
      );
      await withTimeout(response.waitUntil(), 'the edge function');
      const text = await response.text();
      if (!response.ok)
        return { result: 'fail', error: `the edge function answered ${response.status}: ${text}` };
      return fromReport(JSON.parse(text), problems);
    },
  },
  {
    id: 'chromium',
    label: 'Chromium (headless)',
    files: ['consumer-browser.mjs'],
    probe: async (dir) => {
      try {
        await access(CHROMIUM);
      } catch {
        throw new Skip(`${CHROMIUM} not found: install Debian's chromium (apt-get install -y chromium)`);
      }
      return (await version(CHROMIUM, ['--version'], dir)).split(' built on')[0]!;
    },
    run: (dir) => runChromium(dir),
  },
];

async function runChromium(dir: string): Promise<Outcome> {
  const problems: string[] = [];
  const bundle = await bundleFor(dir, 'consumer-browser.mjs', 'esm', ['browser'], problems);
  const page =
    '<!doctype html><meta charset="utf-8"><title>replikit</title><script type="module" src="/app.js"></script>';
  const app = await readFile(bundle);
  const server = createServer((request, response) => {
    const [type, body] = request.url === '/app.js' ? ['text/javascript', app] : ['text/html', page];
    response.writeHead(200, { 'content-type': type }).end(body);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 30_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const errors: string[] = [];
  const outbound: string[] = [];
  try {
    const tab = await browser.newPage();
    tab.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
    tab.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
    });
    // Anything but the page's own origin is refused and counted: the smoke must make no request.
    await tab.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(origin)) return route.continue();
      outbound.push(url);
      return route.abort();
    });
    await tab.goto(`${origin}/`);
    const report = await withTimeout(
      tab
        .waitForFunction(() => 'replikitSmoke' in globalThis, null, { timeout: RUN_TIMEOUT })
        .then(() =>
          tab.evaluate(
            () => (globalThis as unknown as { replikitSmoke: Promise<SmokeReport> }).replikitSmoke,
          ),
        ),
      'the page',
    ).catch((error: unknown) => {
      throw new Error(`${message(error)}${errors.length ? `\n${errors.join('\n')}` : ''}`);
    });
    return fromReport(report, [...problems, ...outbound.map((url) => `network request: ${url}`)]);
  } finally {
    await browser.close();
    server.close();
  }
}

/**
 * Bundle an entry as a user's bundler would. If that fails only on Node built-ins named without `node:` (a
 * build regression), bundle again with them external, the workaround a user would reach for, so the runtime
 * still runs the smoke; the first error goes into `problems` and the row cannot pass.
 */
async function bundleFor(
  dir: string,
  entry: string,
  format: 'esm' | 'iife',
  conditions: string[],
  problems: string[],
): Promise<string> {
  const { build } = await import('esbuild');
  const outfile = join(dir, 'bundle', entry.replace(/\.mjs$/, '.js'));
  const bundle = (external: string[]) =>
    build({
      absWorkingDir: dir,
      entryPoints: [join(dir, entry)],
      outfile,
      bundle: true,
      format,
      platform: 'browser',
      conditions,
      target: 'es2022',
      logLevel: 'silent',
      // Loaded on demand only: fake.handlers and loadHandlers() load msw (an optional peer), fake.listen() node:http.
      external: ['msw', 'node:*', ...external],
    });
  try {
    await bundle([]);
  } catch (error) {
    const bare = [...message(error).matchAll(/Could not resolve "([a-z_]+)"/g)].map((m) => m[1]!);
    if (bare.length === 0 || !bare.every((name) => builtinModules.includes(name))) throw error;
    problems.push(`esbuild: ${message(error)}`);
    await bundle(bare);
  }
  return outfile;
}
