import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';

/** The base URL tests point the client at (msw intercepts it; nothing leaves the process). */
export const BASE = 'https://api.replicate.com/v1';

/** One request the fake API received. */
export interface RecordedCall {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
  /** `Date.now()` when it arrived: fake timers make this the asserted schedule. */
  time: number;
}

/** A response, or a function building one from the request. */
export type Reply = Response | ((request: Request) => Response | Promise<Response>);

export const server = setupServer();
export const calls: RecordedCall[] = [];

/**
 * Serve `method path` (path relative to BASE, msw params allowed) with `replies` in order; the last
 * reply repeats. Every request is recorded in `calls`.
 */
export function route(method: string, path: string, ...replies: Reply[]): void {
  let index = 0;
  const url = path.startsWith('http') ? path : `${BASE}${path}`;
  server.use(
    http.all(url, async ({ request }) => {
      if (request.method !== method.toUpperCase()) return undefined;
      calls.push({
        method: request.method,
        url: new URL(request.url),
        headers: request.headers,
        body: await request.clone().text(),
        time: Date.now(),
      });
      const reply = replies[Math.min(index++, replies.length - 1)]!;
      return typeof reply === 'function' ? reply(request) : reply.clone();
    }),
  );
}

/** A JSON response. */
export function json(body: unknown, init: ResponseInit = {}): Response {
  return HttpResponse.json(body as never, init) as Response;
}

/** An RFC 7807 problem response. */
export function problem(
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

/** A network failure (connection reset). */
export function networkError(): Response {
  return HttpResponse.error() as Response;
}
