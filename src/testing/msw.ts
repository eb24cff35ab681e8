/**
 * Options of `fake.loadHandlers()`.
 * @example
 * setupServer(...(await fake.loadHandlers({ origins: ['https://api.replicate.com', 'https://proxy.example.com'] })));
 */
export interface HandlersOptions {
  /**
   * Origins to intercept. Replicate's API, stream and delivery hosts by default; add yours when the client
   * uses another `baseUrl`.
   * @default ['https://api.replicate.com', 'https://stream.replicate.com', 'https://replicate.delivery']
   */
  origins?: readonly string[];
}

/**
 * One msw request handler, as `fake.handlers` holds it: at runtime an msw `HttpHandler`, made by the copy
 * of msw installed next to your tests.
 *
 * Typed `any` on purpose, so `replikit/testing`'s declarations never name msw, an optional peer (a TypeScript
 * project without msw still type-checks them with `skipLibCheck: false`). No structural type would do: msw
 * declares its handlers as classes with private and protected members, which TypeScript compares nominally,
 * so only msw's own classes (or `any`) are accepted by `setupServer`, `setupWorker` and `server.use`.
 * @example
 * import { setupServer } from 'msw/node';
 * import { createFakeReplicate, type MswHandler } from 'replikit/testing';
 *
 * const handlers: MswHandler[] = createFakeReplicate().handlers;
 * const server = setupServer(...handlers); // no cast needed, with msw 2 or 3
 */
// biome-ignore lint/suspicious/noExplicitAny: msw's handler classes are nominal (private members); see above.
export type MswHandler = any;

export const DEFAULT_ORIGINS = [
  'https://api.replicate.com',
  'https://stream.replicate.com',
  'https://replicate.delivery',
] as const;

type Msw = typeof import('msw');
type Handle = (request: Request) => Promise<Response>;

const MISSING = 'fake.handlers needs msw: npm install --save-dev msw';

/**
 * msw request handlers serving the fake, built with the user's copy of msw (an optional peer dependency,
 * so `replikit/testing` loads without it): one per origin.
 */
function buildHandlers(
  { http, HttpResponse }: Msw,
  handle: Handle,
  origins: readonly string[],
): MswHandler[] {
  return origins.map((origin) =>
    http.all(`${origin.replace(/\/+$/, '')}/*`, async ({ request }) => {
      try {
        return await handle(request);
      } catch (error) {
        // An injected connection reset: msw turns this into a network error for the client.
        if (error instanceof TypeError) return HttpResponse.error();
        throw error;
      }
    }),
  );
}

/**
 * `fake.handlers`: the handlers for the default origins, with msw loaded synchronously, where a `require`
 * can be made (Node, Bun, Deno: `process.getBuiltinModule`, no `node:` import in browser bundles).
 */
export function mswHandlersSync(handle: Handle): MswHandler[] {
  const process = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const nodeModule = process?.getBuiltinModule?.('node:module') as typeof import('node:module') | undefined;
  if (!nodeModule) {
    throw new Error(
      'fake.handlers loads msw with require(), which this runtime lacks: use await fake.loadHandlers().',
    );
  }
  let msw: Msw;
  try {
    msw = nodeModule.createRequire(import.meta.url)('msw') as Msw;
  } catch (cause) {
    throw new Error(MISSING, { cause });
  }
  return buildHandlers(msw, handle, DEFAULT_ORIGINS);
}

/** `fake.loadHandlers()`: msw imported on demand (any runtime, browsers too), for any origins. */
export async function mswHandlers(handle: Handle, options: HandlersOptions = {}): Promise<MswHandler[]> {
  let msw: Msw;
  try {
    // external to the build: the user's own copy, whose server checks the handlers
    msw = await import('msw');
  } catch (cause) {
    throw new Error(MISSING, { cause });
  }
  return buildHandlers(msw, handle, options.origins ?? DEFAULT_ORIGINS);
}
