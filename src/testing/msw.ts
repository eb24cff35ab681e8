/**
 * Options of `fake.handlers()`.
 * @example
 * setupServer(...(await fake.handlers({ origins: ['https://api.replicate.com', 'https://proxy.example.com'] })));
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
 * One msw request handler, as `fake.handlers()` returns it: at runtime an msw `HttpHandler`, made by the copy
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
 * const handlers: MswHandler[] = await createFakeReplicate().handlers();
 * const server = setupServer(...handlers); // no cast needed, with msw 2 or 3
 */
// biome-ignore lint/suspicious/noExplicitAny: msw's handler classes are nominal (private members); see above.
export type MswHandler = any;

export const DEFAULT_ORIGINS = [
  'https://api.replicate.com',
  'https://stream.replicate.com',
  'https://replicate.delivery',
] as const;

/**
 * msw request handlers serving the fake. msw is an optional peer dependency: it is imported here, on
 * demand, so `replikit/testing` loads without it.
 */
export async function mswHandlers(
  handle: (request: Request) => Promise<Response>,
  options: HandlersOptions = {},
): Promise<MswHandler[]> {
  let msw: typeof import('msw');
  try {
    // msw is an optional peer (external to the build): the user's own copy, whose server checks the handlers.
    msw = await import('msw');
  } catch (cause) {
    throw new Error('fake.handlers() needs msw: npm install --save-dev msw', { cause });
  }
  const { http, HttpResponse } = msw;
  return (options.origins ?? DEFAULT_ORIGINS).map((origin) =>
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
