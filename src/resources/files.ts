import { checkSegment, invalid } from '../identifiers.js';
import type { Paginator } from '../paginator.js';
import { fileSchema, type ReplicateFile } from '../schemas/file.js';
import { paginate, type RequestOptions, Resource, remove } from './base.js';

/** File content the client can upload: web types only, so it works in browsers and Workers too. */
export type FileContent = Blob | ArrayBuffer | ArrayBufferView;

/** Options of `files.create`. */
export interface FileCreateParams extends RequestOptions {
  /**
   * File name, at most 255 bytes of UTF-8.
   * @default the `File`'s name, else `'file'`
   */
  filename?: string;
  /**
   * MIME type.
   * @default the `Blob`'s type, else `'application/octet-stream'`
   */
  contentType?: string;
  /**
   * JSON metadata stored with the file.
   * @default {}
   */
  metadata?: Record<string, unknown>;
}

/** Query of `files.download`: the signed parameters of a download URL. */
export interface FileDownloadParams extends RequestOptions {
  owner: string;
  /** Unix timestamp (seconds) after which the signature is invalid. */
  expiry: number;
  /** Base64 HMAC-SHA256 of `"{owner} {id} {expiry}"`. */
  signature: string;
}

/**
 * `ReplicateCore`'s `files`: upload files (kept about 24 h); listing and the rest need `Replicate`.
 * @example
 * const file = await new ReplicateCore().files.create(new Blob(['hello'], { type: 'text/plain' }));
 */
export class CoreFiles extends Resource {
  /**
   * Upload a file (`multipart/form-data`); pass its `urls.get` as a model input.
   * @example
   * const file = await replicate.files.create(new Blob(['hello'], { type: 'text/plain' }), { filename: 'hello.txt' });
   */
  async create(content: FileContent, params: FileCreateParams = {}): Promise<ReplicateFile> {
    const { filename, contentType, metadata, ...options } = params;
    const blob = toBlob(content, contentType);
    const name = filename ?? (typeof File !== 'undefined' && content instanceof File ? content.name : 'file');
    if (new TextEncoder().encode(name).length > 255) {
      throw invalid('filename', 'Invalid filename: at most 255 bytes of UTF-8.');
    }
    const form = new FormData();
    form.append('content', blob, name);
    form.append('filename', name);
    form.append('type', blob.type || 'application/octet-stream');
    form.append('metadata', new Blob([JSON.stringify(metadata ?? {})], { type: 'application/json' }));
    return this.http.json({ method: 'POST', path: '/files', body: form, ...options }, fileSchema);
  }
}

/** `replicate.files`: upload, list, get, delete and download files (kept about 24 h). */
export class Files extends CoreFiles {
  /**
   * List uploaded files, newest first.
   * @example
   * for await (const file of replicate.files.list()) console.log(file.name, file.size);
   */
  list(options?: RequestOptions): Paginator<ReplicateFile> {
    return paginate(this.http, '/files', fileSchema, {}, options);
  }

  /**
   * Get a file's metadata.
   * @example
   * const file = await replicate.files.get(id);
   */
  async get(id: string, options?: RequestOptions): Promise<ReplicateFile> {
    return this.getJson(`/files/${checkSegment('id', id)}`, fileSchema, options);
  }

  /**
   * Delete a file (204).
   * @example
   * await replicate.files.delete(file.id);
   */
  async delete(id: string, options?: RequestOptions): Promise<void> {
    return remove(this.http, `/files/${checkSegment('id', id)}`, options);
  }

  /**
   * Download a file's content with a signed URL's parameters.
   * @example
   * const blob = await replicate.files.download(id, { owner: 'acme', expiry: 1735689600, signature });
   */
  async download(id: string, params: FileDownloadParams): Promise<Blob> {
    const { owner, expiry, signature, ...options } = params;
    const path = `/files/${checkSegment('id', id)}/download`;
    const response = await this.http.send({
      method: 'GET',
      path,
      query: { owner, expiry, signature },
      ...options,
    });
    return response.blob();
  }
}

function toBlob(content: FileContent, type: string | undefined): Blob {
  if (content instanceof Blob) return type && type !== content.type ? new Blob([content], { type }) : content;
  if (content instanceof ArrayBuffer || ArrayBuffer.isView(content)) {
    return new Blob([content as BlobPart], { type: type ?? 'application/octet-stream' });
  }
  throw invalid('content', 'Invalid file content: use a Blob, File, ArrayBuffer or typed array.');
}
