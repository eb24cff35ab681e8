import type { z } from 'zod/mini';
import type { HttpClient, HttpMethod, Query } from '../http/core.js';
import { checkSegment } from '../identifiers.js';
import { Paginator } from '../paginator.js';
import { pageSchema } from '../schemas/page.js';

/** Per-call options every operation accepts. */
export interface RequestOptions {
  /** Aborts the request; the call rejects with `signal.reason`. */
  signal?: AbortSignal;
  /**
   * Timeout of each HTTP attempt in milliseconds.
   * @default the client's `timeout`
   */
  timeout?: number;
}

/** A group of API operations sharing the client's HTTP core. */
export abstract class Resource {
  protected readonly http: HttpClient;

  constructor(http: HttpClient) {
    this.http = http;
  }

  protected getJson<S extends z.ZodMiniType>(
    path: string,
    schema: S,
    options?: RequestOptions,
    query?: Query,
  ) {
    return this.http.json({ method: 'GET', path, query, ...options }, schema);
  }

  protected sendJson<S extends z.ZodMiniType>(
    method: HttpMethod,
    path: string,
    schema: S,
    json: unknown,
    options?: RequestOptions,
  ) {
    return this.http.json({ method, path, json, ...options }, schema);
  }

  protected remove(path: string, options?: RequestOptions): Promise<void> {
    return this.http.empty({ method: 'DELETE', path, ...options });
  }

  protected paginate<S extends z.ZodMiniType>(
    path: string,
    schema: S,
    query: Query = {},
    options?: RequestOptions,
  ) {
    const page = pageSchema(schema);
    return new Paginator<z.output<S>>(
      (q) => this.http.json({ method: 'GET', path, query: q, ...options }, page),
      query,
    );
  }
}

/** `/models/{owner}/{name}`, each segment checked. */
export function modelPath(owner: string, name: string): string {
  return `/models/${checkSegment('owner', owner)}/${checkSegment('name', name)}`;
}
