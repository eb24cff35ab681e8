import type { Query } from './http/core.js';
import type { Page } from './schemas/page.js';

/** Fetches one page given the query of the page to fetch. */
export type PageFetcher<T> = (query: Query) => Promise<Page<T>>;

/**
 * A list across pages. `for await` yields every item; `.pages()` yields page by page.
 * The cursor is read from each page's `next` URL, but the request goes through the client's own base
 * URL and path: a `next` pointing at another host never receives the token.
 * @example
 * for await (const prediction of replicate.predictions.list()) console.log(prediction.id);
 * for await (const page of replicate.predictions.list().pages()) console.log(page.results.length);
 */
export class Paginator<T> implements AsyncIterable<T> {
  readonly #fetchPage: PageFetcher<T>;
  readonly #query: Query;

  constructor(fetchPage: PageFetcher<T>, query: Query = {}) {
    this.#fetchPage = fetchPage;
    this.#query = query;
  }

  /** Yield each page, following `next` until there is none. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let query: Query | undefined = this.#query;
    while (query) {
      const page: Page<T> = await this.#fetchPage(query);
      yield page;
      const next = nextQuery(page.next);
      // Filters of the first request (e.g. created_after) survive even if `next` omits them.
      query = next && { ...this.#query, ...next };
    }
  }

  /** Yield every item of every page. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.results;
  }

  /** Collect items into an array, stopping after `limit` items. */
  async toArray(limit = Number.POSITIVE_INFINITY): Promise<T[]> {
    const items: T[] = [];
    if (limit <= 0) return items;
    for await (const item of this) {
      items.push(item);
      if (items.length >= limit) break;
    }
    return items;
  }
}

/** The query of the next page, from its absolute `next` URL; `undefined` on the last page. */
function nextQuery(next: string | null | undefined): Query | undefined {
  if (!next || next === 'null') return undefined;
  let url: URL;
  try {
    url = new URL(next, 'https://api.replicate.com/');
  } catch {
    return undefined;
  }
  const query = Object.fromEntries(url.searchParams);
  return Object.keys(query).length > 0 ? query : undefined;
}
