import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FileOutput, NotFoundError, Replicate } from '../../src/index';
import { fixture, prediction } from '../helpers/fixtures';
import { BASE, calls, json, problem, route } from '../helpers/server';
import { collect, sseResponse } from '../helpers/sse';

const CREATE = '/models/acme/hello/predictions';
const IMAGE = 'https://replicate.delivery/pbxt/DrIrmUBWOSqrMhGKd86thpGwe8paOezCVyxDf1Xqq3eaTzqFB/out-0.png';
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const replicate = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });
const succeeded = (output: unknown) =>
  route('POST', CREATE, json(prediction({ status: 'succeeded', output }), { status: 201 }));
const image = () => new Response(PNG, { headers: { 'content-type': 'image/png' } });
const downloads = () => calls.filter((c) => c.method === 'GET');

/** FileOutputs from a file stream, whose chunks may be on any host. */
async function streamedFiles(...urls: string[]): Promise<FileOutput[]> {
  const files = 'https://stream.replicate.com/v1/files/abcd';
  route('POST', CREATE, json(prediction({ urls: { stream: files } }), { status: 201 }));
  const body = urls.map((url) => `event: output\ndata: ${url}\n\n`).join('');
  route('GET', files, sseResponse(`${body}event: done\ndata: {}\n\n`));
  const events = await collect(replicate().stream('acme/hello', { input: {} }));
  calls.length = 0;
  return events.flatMap((e) => (e.type === 'output' && e.file ? [e.file] : []));
}

describe('FileOutput from run', () => {
  it('turns delivery URLs into FileOutputs that print and serialise as the URL', async () => {
    succeeded([IMAGE]);
    const output = await replicate().run<FileOutput[]>('acme/hello', { input: {} });
    const [file] = output;
    expect(file).toBeInstanceOf(FileOutput);
    expect(file!.url).toBeInstanceOf(URL);
    expect(file!.url.href).toBe(IMAGE);
    expect(String(file)).toBe(IMAGE);
    expect(`${file}`).toBe(IMAGE);
    expect(file!.toJSON()).toBe(IMAGE);
    expect(JSON.stringify(output)).toBe(JSON.stringify([IMAGE]));
    expect(inspect(file)).toBe(`FileOutput(${IMAGE})`);
    expect(downloads()).toHaveLength(0); // lazy: nothing is downloaded until asked
  });

  it('downloads lazily with blob(), arrayBuffer() and stream(), sending the token to Replicate hosts', async () => {
    succeeded(IMAGE);
    route('GET', IMAGE, image());
    const file = await replicate().run<FileOutput>('acme/hello', { input: {} });
    const blob = await file.blob();
    expect(blob.type).toBe('image/png');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(PNG);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG);
    const chunks = await collect(await file.stream());
    expect(new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer())).toEqual(PNG);
    expect(downloads()).toHaveLength(3);
    for (const call of downloads()) expect(call.headers.get('authorization')).toBe('Bearer r8_test');
  });

  it('wraps file URLs nested in objects and arrays, and leaves everything else alone', async () => {
    const second = 'https://pbxt.replicate.delivery/x/out-1.webp';
    succeeded({ images: [IMAGE, second], seed: 42, caption: 'a corgi', link: 'https://example.com/a.png' });
    const output = await replicate().run<{
      images: FileOutput[];
      seed: number;
      caption: string;
      link: string;
    }>('acme/hello', { input: {} });
    expect(output.images.map((f) => f instanceof FileOutput && f.url.href)).toEqual([IMAGE, second]);
    expect(output).toMatchObject({ seed: 42, caption: 'a corgi', link: 'https://example.com/a.png' });
  });

  it.each([
    'https://example.com/out.png',
    'http://replicate.delivery/pbxt/out.png',
    'https://replicate.delivery.evil.example/out.png',
    'https://evilreplicate.delivery/out.png',
    'replicate.delivery/out.png',
  ])('keeps %s a string (not a Replicate delivery URL over https)', async (url) => {
    succeeded([url]);
    expect(await replicate().run('acme/hello', { input: {} })).toEqual([url]);
  });

  it('keeps plain strings with fileOutput: false', async () => {
    succeeded([IMAGE]);
    const output = await replicate().run('acme/hello', { input: {}, fileOutput: false });
    expect(output).toEqual([IMAGE]);
  });

  it('wraps the output of runPrediction too', async () => {
    const recorded = fixture('api/prediction-get-flux.json');
    route('POST', '/models/black-forest-labs/flux-schnell/predictions', json(recorded, { status: 201 }));
    const result = await replicate().runPrediction<FileOutput[]>('black-forest-labs/flux-schnell', {
      input: {},
    });
    expect(result.output?.[0]).toBeInstanceOf(FileOutput);
    expect(String(result.output?.[0])).toBe(
      'https://replicate.delivery/xezq/rIFyuseoP81zRKZZh7fO6AAwnDq1h5k2TOyOmvkKIye40eWWB/out-0.webp',
    );
    expect(result.metrics).toEqual(recorded.metrics);
  });

  it('throws the typed error of a failed download', async () => {
    succeeded(IMAGE);
    route('GET', IMAGE, problem(404, { detail: 'expired' }));
    const file = await replicate().run<FileOutput>('acme/hello', { input: {} });
    await expect(file.blob()).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('FileOutput and the token', () => {
  it('never sends the token to a host that is not Replicate', async () => {
    const [other] = await streamedFiles('https://cdn.example.com/out.png');
    route('GET', 'https://cdn.example.com/out.png', image());
    expect(new Uint8Array(await other!.arrayBuffer())).toEqual(PNG);
    expect(downloads()).toHaveLength(1);
    expect(downloads()[0]!.headers.has('authorization')).toBe(false);
  });

  it('never sends the token over plain http, even to a Replicate domain', async () => {
    const [plain] = await streamedFiles('http://replicate.delivery/pbxt/out.png');
    route('GET', 'http://replicate.delivery/pbxt/out.png', image());
    await plain!.blob();
    expect(downloads()[0]!.headers.has('authorization')).toBe(false);
  });
});

describe('FileOutput of a data URI', () => {
  it.each([
    ['data:text/plain;base64,aGVsbG8gd29ybGQ=', 'text/plain', 'hello world'],
    // no type: the Fetch standard's default for data URIs
    ['data:,A%20brief%20note', 'text/plain;charset=us-ascii', 'A brief note'],
    ['data:text/csv,a%2Cb%0A1%2C2', 'text/csv', 'a,b\n1,2'],
  ])('decodes %s without any request', async (uri, type, text) => {
    succeeded([uri]);
    const [file] = await replicate().run<FileOutput[]>('acme/hello', { input: {} });
    expect(file).toBeInstanceOf(FileOutput);
    const blob = await file!.blob();
    expect(blob.type).toBe(type);
    expect(await blob.text()).toBe(text);
    expect(calls).toHaveLength(1);
  });

  it('decodes percent-encoded bytes that are not UTF-8', async () => {
    succeeded(['data:application/octet-stream,%FF%00%80A']);
    const [file] = await replicate().run<FileOutput[]>('acme/hello', { input: {} });
    expect([...new Uint8Array(await file!.arrayBuffer())]).toEqual([0xff, 0x00, 0x80, 0x41]);
  });

  it('streams a base64 data URI', async () => {
    succeeded([`data:image/png;base64,${btoa(String.fromCharCode(...PNG))}`]);
    const [file] = await replicate().run<FileOutput[]>('acme/hello', { input: {} });
    const chunks = await collect(await file!.stream());
    expect(new Uint8Array(await new Blob(chunks as BlobPart[]).arrayBuffer())).toEqual(PNG);
    expect(inspect(file)).toMatch(/^FileOutput\(data:image\/png;base64,iVBORw0KGgo.*…\)$/);
  });
});
