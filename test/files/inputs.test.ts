import { describe, expect, it } from 'vitest';
import { encodeDataUri, prepareInput } from '../../src/files/inputs';
import { ApiError, InvalidRequestError, Replicate } from '../../src/index';
import { fixture, prediction } from '../helpers/fixtures';
import { BASE, calls, json, problem, route } from '../helpers/server';
import { collect, sseResponse } from '../helpers/sse';

const CREATE = '/models/acme/hello/predictions';
const replicate = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const bytes = (text: string) => new TextEncoder().encode(text);
const streamOf = (text: string) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes(text.slice(0, 3)));
      controller.enqueue(bytes(text.slice(3)));
      controller.close();
    },
  });
/** The URL the fake files API gives an upload: named after its content, so the test can tell them apart. */
const urlOf = (content: string) => `${BASE}/files/${content}`;

interface Upload {
  name: string;
  type: string;
  content: string;
  filename: FormDataEntryValue | null;
}
const uploads: Upload[] = [];

/** A files API that records each multipart upload and answers with a URL named after the content. */
function serveUploads(): void {
  uploads.length = 0;
  route('POST', '/files', async (request) => {
    const form = await request.formData();
    const content = form.get('content') as File;
    const text = await content.text();
    uploads.push({ name: content.name, type: content.type, content: text, filename: form.get('filename') });
    return json(
      { ...fixture<Record<string, unknown>>('api/file-create.json'), urls: { get: urlOf(text) } },
      { status: 201 },
    );
  });
  route('POST', CREATE, json(prediction({ status: 'succeeded', output: 'ok' }), { status: 201 }));
}
const createdInput = () => JSON.parse(calls.find((c) => c.url.pathname.endsWith(CREATE))!.body).input;

describe('file inputs: upload (default)', () => {
  it('uploads every kind of file anywhere in the input and sends its URL instead', async () => {
    serveUploads();
    const buffer = bytes('buffer').buffer;
    const input = {
      image: new Blob(['blob'], { type: 'image/png' }),
      photo: new File(['file'], 'cat.jpg', { type: 'image/jpeg' }),
      bytes: bytes('bytes'),
      buffer,
      view: bytes('__view__').subarray(2, 6),
      stream: streamOf('stream'),
      list: [new Blob(['a']), 'keep', [new Blob(['b'])]],
      nested: { deep: { audio: new Blob(['deep'], { type: 'audio/wav' }) } },
      n: 3,
      text: 'plain',
      none: null,
      flag: true,
    };
    await replicate().run('acme/hello', { input });
    expect(createdInput()).toEqual({
      image: urlOf('blob'),
      photo: urlOf('file'),
      bytes: urlOf('bytes'),
      buffer: urlOf('buffer'),
      view: urlOf('view'),
      stream: urlOf('stream'),
      list: [urlOf('a'), 'keep', [urlOf('b')]],
      nested: { deep: { audio: urlOf('deep') } },
      n: 3,
      text: 'plain',
      none: null,
      flag: true,
    });
    expect(uploads.map((u) => u.content).sort()).toEqual(
      ['a', 'b', 'blob', 'buffer', 'bytes', 'deep', 'file', 'stream', 'view'].sort(),
    );
    const byContent = new Map(uploads.map((u) => [u.content, u]));
    expect(byContent.get('file')).toMatchObject({ name: 'cat.jpg', type: 'image/jpeg', filename: 'cat.jpg' });
    expect(byContent.get('blob')).toMatchObject({ name: 'file', type: 'image/png' });
    expect(byContent.get('deep')).toMatchObject({ type: 'audio/wav' });
    expect(byContent.get('bytes')).toMatchObject({ type: 'application/octet-stream' });
    // The caller's input is left as it was.
    expect(input.image).toBeInstanceOf(Blob);
    expect(input.list[0]).toBeInstanceOf(Blob);
  });

  it('uploads before creating, through multipart POST /files with the token', async () => {
    serveUploads();
    await replicate().run('acme/hello', { input: { image: new Blob(['png']) } });
    expect(calls.map((c) => `${c.method} ${c.url.pathname}`)).toEqual([
      'POST /v1/files',
      `POST /v1${CREATE}`,
    ]);
    expect(calls[0]!.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    expect(calls[0]!.headers.get('authorization')).toBe('Bearer r8_test');
  });

  it('does not create the prediction when an upload fails', async () => {
    route('POST', '/files', problem(413, { detail: 'Files must be less than 100MB in size' }));
    route('POST', CREATE, json(prediction({ status: 'succeeded' }), { status: 201 }));
    const error = await replicate()
      .run('acme/hello', { input: { image: new Blob(['big']) } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 413, detail: 'Files must be less than 100MB in size' });
    expect(calls.filter((c) => c.url.pathname.endsWith(CREATE))).toHaveLength(0);
  });

  it('uploads the files of a streamed prediction too', async () => {
    serveUploads();
    route(
      'POST',
      CREATE,
      json(prediction({ urls: { stream: 'https://stream.replicate.com/v1/streams/s' } })),
    );
    route('GET', 'https://stream.replicate.com/v1/streams/s', sseResponse('event: done\ndata: {}\n\n'));
    await collect(replicate().stream('acme/hello', { input: { audio: new Blob(['wav']) } }));
    expect(createdInput()).toEqual({ audio: urlOf('wav') });
  });
});

describe("file inputs: fileEncoding: 'data-uri'", () => {
  it('inlines files as base64 data URIs and uploads nothing', async () => {
    serveUploads();
    await replicate().run('acme/hello', {
      fileEncoding: 'data-uri',
      input: {
        text: new Blob(['hello'], { type: 'text/plain' }),
        photo: new File([new Uint8Array([0xff, 0xd8, 0xff])], 'a.jpg', { type: 'image/jpeg' }),
        raw: [bytes('hi')],
        stream: streamOf('streamed'),
      },
    });
    expect(uploads).toHaveLength(0);
    expect(createdInput()).toEqual({
      text: 'data:text/plain;base64,aGVsbG8=',
      photo: 'data:image/jpeg;base64,/9j/',
      raw: ['data:application/octet-stream;base64,aGk='],
      stream: `data:application/octet-stream;base64,${btoa('streamed')}`,
    });
  });

  it('accepts exactly 1,000,000 bytes in total', async () => {
    serveUploads();
    const half = new Uint8Array(500_000);
    await replicate().run('acme/hello', { fileEncoding: 'data-uri', input: { a: half, b: half } });
    expect(createdInput().a).toMatch(/^data:application\/octet-stream;base64,A{100}/);
  });

  it('refuses more than 1,000,000 bytes in total before any request, naming the field', async () => {
    serveUploads();
    const error = await replicate()
      .run('acme/hello', {
        fileEncoding: 'data-uri',
        input: { images: [new Uint8Array(600_000), new Uint8Array(400_001)] },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    const invalid = error as InvalidRequestError;
    expect(invalid.invalidFields[0]?.field).toBe('input.images[1]');
    expect(invalid.message).toBe(
      "Files inlined as data URIs total 1000001 bytes, above the 1000000-byte limit (at input.images[1]): use fileEncoding: 'upload'.",
    );
    expect(calls).toHaveLength(0);
  });
});

describe('prepareInput', () => {
  it('takes a custom maxDataUriBytes', async () => {
    const upload = async () => 'unused';
    const ok = await prepareInput(
      { a: bytes('0123456789') },
      { upload, fileEncoding: 'data-uri', maxDataUriBytes: 10 },
    );
    expect(ok.a).toBe(`data:application/octet-stream;base64,${btoa('0123456789')}`);
    await expect(
      prepareInput({ a: bytes('0123456789!') }, { upload, fileEncoding: 'data-uri', maxDataUriBytes: 10 }),
    ).rejects.toThrow(/11 bytes, above the 10-byte limit \(at input\.a\)/);
  });

  it('leaves class instances other than files alone', async () => {
    const date = new Date(0);
    const map = new Map([['k', 1]]);
    const out = await prepareInput({ date, map }, { upload: async () => 'x' });
    expect(out.date).toBe(date);
    expect(out.map).toBe(map);
  });

  it('encodes large binary files (beyond one 32 KB chunk) exactly', async () => {
    const data = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256);
    const uri = await encodeDataUri(new Blob([data]));
    const decoded = Uint8Array.from(atob(uri.slice(uri.indexOf(',') + 1)), (c) => c.charCodeAt(0));
    expect(decoded).toEqual(data);
  });
});
