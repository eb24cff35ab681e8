import { describe, expect, it } from 'vitest';
import { InvalidRequestError, Replicate } from '../../src/index';
import { fixture } from '../helpers/fixtures';
import { BASE, calls, json, type RecordedCall, route } from '../helpers/server';

const FILE_ID = 'NGZiNmY2YzQtMThhZi00ZjcyLWFhZjktODg4NTY0NWNlMDEy';
const client = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const only = () => {
  expect(calls).toHaveLength(1);
  return calls[0]!;
};

/** The recorded multipart body, parsed back by the platform's own parser. */
function formOf(call: RecordedCall): Promise<FormData> {
  return new Response(call.body, {
    headers: { 'content-type': call.headers.get('content-type') ?? '' },
  }).formData();
}

describe('files.create', () => {
  it('uploads multipart content (filename, type) with filename, type and metadata fields', async () => {
    route('POST', '/files', json(fixture('api/file-create.json'), { status: 201 }));
    const file = await client().files.create(new Blob(['hello world'], { type: 'text/plain' }), {
      filename: 'hello.txt',
      metadata: { customer_reference_id: 123 },
    });
    const call = only();
    expect(call.method).toBe('POST');
    expect(call.url.href).toBe(`${BASE}/files`);
    expect(call.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    const form = await formOf(call);
    expect([...form.keys()]).toEqual(['content', 'filename', 'type', 'metadata']);
    const content = form.get('content') as File;
    expect(content.name).toBe('hello.txt');
    expect(content.type).toBe('text/plain');
    expect(await content.text()).toBe('hello world');
    expect(form.get('filename')).toBe('hello.txt');
    expect(form.get('type')).toBe('text/plain');
    const metadata = form.get('metadata') as File;
    expect(metadata.type).toBe('application/json');
    expect(JSON.parse(await metadata.text())).toEqual({ customer_reference_id: 123 });
    expect(file).toMatchObject({
      id: FILE_ID,
      name: 'test_fileo20o3wth.txt',
      content_type: 'text/plain',
      size: 0,
      checksums: { sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      metadata: {},
      expires_at: '2024-08-23T12:26:51.079Z',
      urls: { get: `https://api.replicate.com/v1/files/${FILE_ID}` },
    });
  });

  it('defaults bytes to file / application/octet-stream / {} metadata', async () => {
    route('POST', '/files', json(fixture('api/file-create.json'), { status: 201 }));
    await client().files.create(new Uint8Array([104, 105]));
    const form = await formOf(only());
    const content = form.get('content') as File;
    expect(content.name).toBe('file');
    expect(content.type).toBe('application/octet-stream');
    expect(await content.text()).toBe('hi');
    expect(form.get('filename')).toBe('file');
    expect(form.get('type')).toBe('application/octet-stream');
    expect(await (form.get('metadata') as File).text()).toBe('{}');
  });

  it("uses a File's name and an explicit contentType", async () => {
    route('POST', '/files', json(fixture('api/file-create.json'), { status: 201 }));
    await client().files.create(new File(['{}'], 'data.json'), { contentType: 'application/json' });
    const form = await formOf(only());
    const content = form.get('content') as File;
    expect(content.name).toBe('data.json');
    expect(content.type).toBe('application/json');
    expect(form.get('type')).toBe('application/json');
  });

  it('rejects a filename over 255 bytes of UTF-8 before any request', async () => {
    const pending = client().files.create(new Blob(['x']), { filename: `${'é'.repeat(128)}.txt` });
    await expect(pending).rejects.toBeInstanceOf(InvalidRequestError);
    expect(calls).toHaveLength(0);
  });
});

describe('files', () => {
  it('lists files', async () => {
    route('GET', '/files', json(fixture('api/files-list.json')));
    const files = await client().files.list().toArray();
    expect(only().url.href).toBe(`${BASE}/files`);
    expect(files.map((f) => f.name)).toEqual(['test_file6vcnjtb5.txt', 'test_file5snbbln2.txt']);
  });

  it('gets a file', async () => {
    route('GET', `/files/${FILE_ID}`, json(fixture('api/file-get.json')));
    const file = await client().files.get(FILE_ID);
    expect(only().url.href).toBe(`${BASE}/files/${FILE_ID}`);
    expect(file.checksums.md5).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });

  it('deletes a file: 204 resolves undefined', async () => {
    route('DELETE', `/files/${FILE_ID}`, new Response(null, { status: 204 }));
    await expect(client().files.delete(FILE_ID)).resolves.toBeUndefined();
    expect(only().method).toBe('DELETE');
    expect(only().url.href).toBe(`${BASE}/files/${FILE_ID}`);
  });

  it('downloads with owner, expiry and signature and returns the bytes', async () => {
    route(
      'GET',
      `/files/${FILE_ID}/download`,
      new Response(new Uint8Array([0, 1, 2, 255]), {
        headers: { 'content-type': 'application/octet-stream' },
      }),
    );
    const blob = await client().files.download(FILE_ID, {
      owner: 'acme',
      expiry: 1735689600,
      signature: 'aGVs+bG8/d29ybGQ=',
    });
    const { url } = only();
    expect(url.pathname).toBe(`/v1/files/${FILE_ID}/download`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      owner: 'acme',
      expiry: '1735689600',
      signature: 'aGVs+bG8/d29ybGQ=',
    });
    expect([...new Uint8Array(await blob.arrayBuffer())]).toEqual([0, 1, 2, 255]);
  });

  it('rejects an id with a slash before any request', async () => {
    await expect(client().files.get('a/b')).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(client().files.delete('..')).rejects.toBeInstanceOf(InvalidRequestError);
    expect(calls).toHaveLength(0);
  });
});
