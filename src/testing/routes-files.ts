import { encodeBase64 } from '../webhooks/base64.js';
import type { FakeEnv, Hosts, RequestContext } from './env.js';
import { md5Hex } from './md5.js';
import { fileId } from './random.js';
import { invalidFields, json, notFound, page, problem } from './responses.js';
import type { StoredFile } from './state.js';

const MAX_BYTES = 100 * 1024 * 1024;
const LIFETIME_MS = 24 * 60 * 60 * 1000;

/** A file as the API returns it (the keys of the recorded `POST /files` response). */
function render(file: StoredFile, hosts: Hosts): Record<string, unknown> {
  return {
    id: file.id,
    name: file.name,
    content_type: file.contentType,
    size: file.bytes.length,
    etag: file.md5,
    checksums: { sha256: file.sha256, md5: file.md5 },
    metadata: file.metadata,
    created_at: new Date(file.createdAt).toISOString(),
    expires_at: new Date(file.createdAt + LIFETIME_MS).toISOString(),
    urls: { get: `${hosts.api}/files/${file.id}` },
  };
}

function live(env: FakeEnv, id: string | undefined): StoredFile | undefined {
  const file = id === undefined ? undefined : env.state.files.get(id);
  return file && env.clock.now() < file.createdAt + LIFETIME_MS ? file : undefined;
}

/** `POST /files` (multipart: `content`, `filename`, `type`, `metadata`). */
export async function createFile(context: RequestContext): Promise<Response> {
  const { env, request } = context;
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return problem(400, 'Expected a multipart/form-data body.', { title: 'Invalid request' });
  }
  const content = form.get('content');
  if (!(content instanceof Blob)) {
    return invalidFields([{ type: 'required', field: '', description: 'content is required' }]);
  }
  if (content.size > MAX_BYTES) return problem(413, 'Files must be less than 100MB in size');
  const bytes = new Uint8Array(await content.arrayBuffer());
  const filename = form.get('filename');
  const type = form.get('type');
  let metadata: Record<string, unknown> = {};
  const rawMetadata = form.get('metadata');
  if (rawMetadata !== null) {
    try {
      const text = typeof rawMetadata === 'string' ? rawMetadata : await rawMetadata.text();
      const parsed: unknown = JSON.parse(text || '{}');
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
        throw new TypeError('not an object');
      metadata = parsed as Record<string, unknown>;
    } catch {
      return invalidFields([
        { type: 'invalid_type', field: 'metadata', description: 'metadata must be a JSON object' },
      ]);
    }
  }
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  const file: StoredFile = {
    seq: env.state.nextSeq(),
    id: fileId(env.random),
    name:
      typeof filename === 'string' && filename ? filename : content instanceof File ? content.name : 'file',
    contentType: typeof type === 'string' && type ? type : content.type || 'application/octet-stream',
    bytes,
    sha256: [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join(''),
    md5: md5Hex(bytes),
    metadata,
    createdAt: env.clock.now(),
  };
  env.state.files.set(file.id, file);
  return json(render(file, context.hosts), 201);
}

/** `GET /files`. */
export function listFiles(context: RequestContext): Response {
  const { env, url, hosts } = context;
  const files = [...env.state.files.values()].filter((file) => live(env, file.id));
  return page(files, url, env.pageSize, (file) => render(file, hosts));
}

/** `GET /files/{id}`. */
export function getFile(context: RequestContext): Response {
  const file = live(context.env, context.params[0]);
  return file ? json(render(file, context.hosts)) : notFound('File not found');
}

/** `DELETE /files/{id}` → 204. */
export function deleteFile(context: RequestContext): Response {
  const file = live(context.env, context.params[0]);
  if (!file) return notFound('File not found');
  context.env.state.files.delete(file.id);
  return new Response(null, { status: 204, headers: { 'content-type': 'text/plain; charset=UTF-8' } });
}

/** `GET /files/{id}/download?owner&expiry&signature`: no token needed, the signature is the credential. */
export async function downloadFile(context: RequestContext): Promise<Response> {
  const { env, url } = context;
  const file = live(env, context.params[0]);
  const owner = url.searchParams.get('owner') ?? '';
  const expiry = Number(url.searchParams.get('expiry'));
  const signature = url.searchParams.get('signature') ?? '';
  const valid =
    file !== undefined &&
    owner === env.account.username &&
    Number.isFinite(expiry) &&
    expiry * 1000 > env.clock.now() &&
    signature === (await sign(env, `${owner} ${file.id} ${expiry}`));
  if (!file || !valid) return notFound('File not found');
  return new Response(file.bytes.slice(), {
    headers: {
      'content-type': file.contentType,
      'content-length': String(file.bytes.length),
      'content-disposition': `attachment; filename="${file.name.replace(/"/g, '')}"`,
    },
  });
}

/** A signed download URL for a stored file, valid for `seconds`. */
export async function downloadUrl(env: FakeEnv, hosts: Hosts, id: string, seconds = 3600): Promise<string> {
  const file = live(env, id);
  if (!file) throw new RangeError(`No file ${id} in the fake (or it expired).`);
  const owner = env.account.username;
  const expiry = Math.floor(env.clock.now() / 1000) + seconds;
  const signature = await sign(env, `${owner} ${id} ${expiry}`);
  const query = new URLSearchParams({ owner, expiry: String(expiry), signature });
  return `${hosts.api}/files/${id}/download?${query}`;
}

async function sign(env: FakeEnv, text: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await env.downloadKey, new TextEncoder().encode(text));
  return encodeBase64(new Uint8Array(mac));
}

/** A model's output file on the delivery host. */
export function serveDelivery(context: RequestContext): Response {
  const delivery = context.env.state.deliveries.get(context.url.pathname);
  if (!delivery) return notFound('Not found');
  return new Response(delivery.bytes.slice(), {
    headers: { 'content-type': delivery.contentType, 'content-length': String(delivery.bytes.length) },
  });
}
