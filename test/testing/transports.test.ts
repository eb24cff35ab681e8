import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { passthrough, http as route } from 'msw';
import { ConnectionError, FileOutput, Replicate } from 'replikit';
import { createFakeReplicate, echo, type FakeServer, textModel } from 'replikit/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { server } from '../helpers/server';

const models = { 'acme/echo': textModel({ respond: echo, tokenDelay: 1, startDelay: 1 }) };
const presets = { tokenDelay: 1, stepDelay: 1, startDelay: 1 };

describe('msw handlers', () => {
  it('serve the fake to a client using the global fetch', async () => {
    const fake = createFakeReplicate({ models, presets });
    server.use(...fake.handlers);
    const replicate = new Replicate({ auth: 'test' });
    expect(await replicate.run('acme/echo', { input: { prompt: 'over msw' } })).toEqual(['over', ' msw']);
    let text = '';
    for await (const event of replicate.stream('acme/echo', { input: { prompt: 'streamed too' } })) {
      if (event.type === 'output') text += event.data;
    }
    expect(text).toBe('streamed too');
    const [image] = (await replicate.run('black-forest-labs/flux-schnell', {
      input: { prompt: 'x' },
    })) as FileOutput[];
    expect(image).toBeInstanceOf(FileOutput);
    expect((await image!.blob()).type).toBe('image/webp');
  });

  it('turn an injected reset into a network error', async () => {
    const fake = createFakeReplicate({ faults: [{ route: 'account.get', type: 'reset' }] });
    server.use(...(await fake.loadHandlers()));
    const replicate = new Replicate({ auth: 'test', maxRetries: 0 });
    await expect(replicate.account.get()).rejects.toBeInstanceOf(ConnectionError);
  });
});

describe('listen()', () => {
  let running: FakeServer | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  async function start(options: Parameters<typeof createFakeReplicate>[0] = {}) {
    const fake = createFakeReplicate({ models, presets, ...options });
    running = await fake.listen({ port: 0 });
    // The suite's msw server refuses unhandled requests: let loopback traffic through to the real socket.
    server.use(route.all(`${running.url}/*`, () => passthrough()));
    return { fake, url: running.url, replicate: new Replicate({ auth: 'test', baseUrl: running.baseUrl }) };
  }

  it('serves the API, streams and files on 127.0.0.1', async () => {
    const { url, replicate } = await start();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await replicate.run('acme/echo', { input: { prompt: 'over a socket' } })).toEqual([
      'over',
      ' a',
      ' socket',
    ]);
    const events: string[] = [];
    for await (const event of replicate.stream('acme/echo', { input: { prompt: 'one two' } })) {
      events.push(event.type === 'output' ? event.data : event.type);
    }
    expect(events).toEqual(['one', ' two', 'done']);
    const created = await replicate.predictions.create({ model: 'acme/echo', input: { prompt: 'x' } });
    expect(created.urls?.stream).toBe(`${url}/v1/streams/${created.id}`);
    const [image] = (await replicate.run('black-forest-labs/flux-schnell', {
      input: { prompt: 'x', output_format: 'jpg' },
      fileOutput: false,
    })) as string[];
    expect(image).toMatch(new RegExp(`^${url}/delivery/xezq/[a-z0-9]{26}/out-0\\.jpg$`));
    const download = await fetch(image!);
    expect(download.headers.get('content-type')).toBe('image/jpeg');
    const file = await replicate.files.create(new Blob(['abc']), { filename: 'a.txt' });
    expect(file.urls.get).toBe(`${url}/v1/files/${file.id}`);
  });

  it('drops the socket on an injected reset', async () => {
    const { fake } = await start({ faults: [{ route: 'account.get', type: 'reset' }] });
    const replicate = new Replicate({ auth: 'test', baseUrl: running!.baseUrl, maxRetries: 0 });
    await expect(replicate.account.get()).rejects.toBeInstanceOf(ConnectionError);
    expect(fake.requests.at(-1)).toMatchObject({ operation: 'account.get', fault: 'reset' });
  });

  it('answers 401 without a token over HTTP too', async () => {
    const { url } = await start();
    const response = await fetch(`${url}/v1/account`);
    expect(response.status).toBe(401);
  });
});

describe('the testing entry', () => {
  it('imports msw and node: modules only on demand (type imports aside)', () => {
    const dir = fileURLToPath(new URL('../../src/testing/', import.meta.url));
    const offenders: string[] = [];
    for (const name of readdirSync(dir)) {
      const source = readFileSync(`${dir}${name}`, 'utf8');
      for (const line of source.split('\n')) {
        if (/^import (?!type )[^;]*from '(msw|msw\/.*|node:.*)'/.test(line))
          offenders.push(`${name}: ${line}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
