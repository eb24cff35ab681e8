/** Response builders shaped like Replicate's: JSON bodies, RFC 7807 problems, cursor pages. */

/** A JSON response (`application/json; charset=UTF-8`, as the API labels them). */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=UTF-8', ...headers },
  });
}

/** One entry of `invalid_fields` on a 422. */
export interface InvalidField {
  type: string;
  field: string;
  description: string;
}

/** An `application/problem+json` error: `{ title?, detail, status, invalid_fields? }`. */
export function problem(
  status: number,
  detail: string,
  options: { title?: string; invalidFields?: InvalidField[]; headers?: Record<string, string> } = {},
): Response {
  const body: Record<string, unknown> = {};
  if (options.title) body.title = options.title;
  body.detail = detail;
  body.status = status;
  if (options.invalidFields) body.invalid_fields = options.invalidFields;
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json', ...options.headers },
  });
}

/** 422 with `invalid_fields`, the detail listing each as Replicate does (`- field: description`). */
export function invalidFields(fields: InvalidField[], title = 'Input validation failed'): Response {
  const detail = fields
    .map((field) => `- ${field.field ? `${field.field}: ` : ''}${field.description}\n`)
    .join('');
  return problem(422, detail, { title, invalidFields: fields });
}

/** 404 in Replicate's words. */
export function notFound(detail = 'Not found.'): Response {
  return problem(404, detail, { title: 'Not found' });
}

/** Something with a creation order, listed newest first. */
export interface Listed {
  seq: number;
}

/**
 * A page of `{ next, previous, results }`, newest first. Cursors are opaque (base64 of a position in
 * creation order), so items created between two page requests neither repeat nor go missing.
 */
export function page<T extends Listed>(
  items: Iterable<T>,
  url: URL,
  pageSize: number,
  render: (item: T) => unknown,
): Response {
  const all = [...items].sort((a, b) => b.seq - a.seq);
  const cursor = decodeCursor(url.searchParams.get('cursor'));
  let slice: T[];
  if (cursor?.direction === 'before') {
    const newer = all.filter((item) => item.seq > cursor.seq);
    slice = newer.slice(Math.max(0, newer.length - pageSize));
  } else {
    const older = cursor ? all.filter((item) => item.seq < cursor.seq) : all;
    slice = older.slice(0, pageSize);
  }
  const first = slice[0];
  const last = slice[slice.length - 1];
  const hasOlder = last !== undefined && all.some((item) => item.seq < last.seq);
  const hasNewer = first !== undefined && all.some((item) => item.seq > first.seq);
  return json({
    next: hasOlder && last ? withCursor(url, { direction: 'after', seq: last.seq }) : null,
    previous: hasNewer && first ? withCursor(url, { direction: 'before', seq: first.seq }) : null,
    results: slice.map(render),
  });
}

interface Cursor {
  direction: 'after' | 'before';
  seq: number;
}

function withCursor(url: URL, cursor: Cursor): string {
  const next = new URL(url);
  const raw = `${cursor.direction === 'after' ? 'o' : 'n'}=${cursor.seq}`;
  next.searchParams.set('cursor', btoa(raw).replace(/=+$/, ''));
  return next.href;
}

function decodeCursor(value: string | null): Cursor | undefined {
  if (!value) return undefined;
  try {
    const match = /^([on])=(\d+)$/.exec(atob(value));
    if (match) return { direction: match[1] === 'o' ? 'after' : 'before', seq: Number(match[2]) };
  } catch {}
  return undefined;
}
