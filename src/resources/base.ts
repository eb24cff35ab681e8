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
}

/**
 * A list endpoint as a `Paginator`. A function, not a `Resource` method: a bundle that never lists (one of
 * `ReplicateCore`) leaves the paginator out.
 */
export function paginate<S extends z.ZodMiniType>(
  http: HttpClient,
  path: string,
  schema: S,
  query: Query = {},
  options?: RequestOptions,
): Paginator<z.output<S>> {
  const page = pageSchema(schema);
  return new Paginator<z.output<S>>(
    (q) => http.json({ method: 'GET', path, query: q, ...options }, page),
    query,
  );
}

/** `DELETE` a path (a function for the same reason as `paginate`). */
export function remove(http: HttpClient, path: string, options?: RequestOptions): Promise<void> {
  return http.empty({ method: 'DELETE', path, ...options });
}

/** `/models/{owner}/{name}`, each segment checked. */
export function modelPath(owner: string, name: string): string {
  return `/models/${checkSegment('owner', owner)}/${checkSegment('name', name)}`;
}
