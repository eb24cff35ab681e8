import type { AddressInfo } from 'node:net';

/**
 * Options of `fake.listen()`.
 * @example
 * const server = await fake.listen({ port: 0 });
 */
export interface ListenOptions {
  /**
   * TCP port; 0 picks a free one.
   * @default 0
   */
  port?: number;
  /**
   * Interface to bind. Loopback only by default: the fake has no real authentication.
   * @default '127.0.0.1'
   */
  host?: string;
}

/**
 * A running fake server.
 * @example
 * const server = await fake.listen();
 * const replicate = new Replicate({ auth: 'test', baseUrl: server.baseUrl });
 * await server.close();
 */
export interface FakeServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The API base to give a client: `http://127.0.0.1:<port>/v1`. */
  baseUrl: string;
  port: number;
  /** Stop listening and drop open connections (streams included). */
  close(): Promise<void>;
}

/**
 * Serve `handle` over HTTP with `node:http`, imported on demand so the testing entry stays loadable in
 * Workers and browsers. Client disconnects abort the request; an injected reset destroys the socket.
 */
export async function listenNode(
  handle: (request: Request) => Promise<Response>,
  options: ListenOptions = {},
): Promise<FakeServer> {
  const { createServer } = await import('node:http');
  const host = options.host ?? '127.0.0.1';
  const server = createServer(async (req, res) => {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    try {
      const chunks: Uint8Array[] = [];
      if (req.method !== 'GET' && req.method !== 'HEAD') for await (const chunk of req) chunks.push(chunk);
      const headers = new Headers();
      for (let index = 0; index < req.rawHeaders.length; index += 2) {
        headers.append(req.rawHeaders[index]!, req.rawHeaders[index + 1]!);
      }
      const request = new Request(`http://${req.headers.host ?? host}${req.url ?? '/'}`, {
        method: req.method,
        headers,
        body: chunks.length > 0 ? new Blob(chunks as BlobPart[]) : undefined,
        signal: controller.signal,
      });
      const response = await handle(request);
      res.writeHead(response.status, [...response.headers].flat());
      res.flushHeaders();
      if (response.body) {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
      }
      res.end();
    } catch {
      // A reset fault, a truncated body or a client that left: drop the connection.
      res.destroy();
      req.socket.destroy();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
