import { createHash } from 'node:crypto';
import { NotFoundError, Replicate } from 'replikit';
import { createFakeReplicate, textModel } from 'replikit/testing';
import { describe, expect, it } from 'vitest';

function setup(pageSize = 2) {
  const fake = createFakeReplicate({
    pageSize,
    presets: false,
    models: { 'acme/echo': textModel({ respond: 'ok', tokenDelay: 0, startDelay: 0 }) },
  });
  return { fake, replicate: new Replicate({ auth: 'test', fetch: fake.fetch }) };
}

describe('predictions.list', () => {
  it('pages newest first with cursor next URLs', async () => {
    const { fake, replicate } = setup();
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      ids.push(
        (await replicate.predictions.create({ model: 'acme/echo', input: { prompt: `${index}` } })).id,
      );
    }
    const pages = [];
    for await (const page of replicate.predictions.list().pages()) pages.push(page);
    expect(pages.map((page) => page.results.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((page) => page.results.map((p) => p.id))).toEqual([...ids].reverse());
    expect(pages[0]!.next).toMatch(/^https:\/\/api\.replicate\.com\/v1\/predictions\?cursor=[A-Za-z0-9+/]+$/);
    expect(pages[0]!.previous).toBeNull();
    expect(pages[2]!.next).toBeNull();
    const items = await replicate.predictions.list().toArray();
    expect(items).toHaveLength(5);
    expect(fake.count('predictions.list')).toBe(6);
  });

  it('follows previous links back and keeps pages stable when new predictions arrive', async () => {
    const { fake } = setup();
    const get = async (url: string) =>
      (await (await fake.fetch(url, { headers: { authorization: 'Bearer test' } })).json()) as {
        next: string | null;
        previous: string | null;
        results: Array<{ id: string }>;
      };
    const replicate = new Replicate({ auth: 'test', fetch: fake.fetch });
    for (let index = 0; index < 4; index++)
      await replicate.predictions.create({ model: 'acme/echo', input: {} });
    const first = await get('https://api.replicate.com/v1/predictions');
    await replicate.predictions.create({ model: 'acme/echo', input: {} });
    const second = await get(first.next!);
    expect(second.results.map((p) => p.id)).not.toContain(first.results[0]!.id);
    expect(second.next).toBeNull();
    const back = await get(second.previous!);
    expect(back.results.map((p) => p.id)).toEqual(first.results.map((p) => p.id));
  });

  it('filters by created_after / created_before', async () => {
    const { replicate } = setup(100);
    const early = await replicate.predictions.create({ model: 'acme/echo', input: {} });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const late = await replicate.predictions.create({ model: 'acme/echo', input: {} });
    const after = await replicate.predictions.list({ createdAfter: late.created_at! }).toArray();
    expect(after.map((p) => p.id)).toEqual([late.id]);
    const before = await replicate.predictions.list({ createdBefore: late.created_at! }).toArray();
    expect(before.map((p) => p.id)).toEqual([early.id]);
    expect(await replicate.predictions.list({ source: 'web' }).toArray()).toEqual([]);
  });
});

describe('files', () => {
  it('uploads, lists, gets, downloads and deletes files', async () => {
    const { fake, replicate } = setup();
    const text = 'hello from the fake';
    const file = await replicate.files.create(new Blob([text], { type: 'text/plain' }), {
      filename: 'hello.txt',
      metadata: { purpose: 'test' },
    });
    const md5 = createHash('md5').update(text).digest('hex');
    expect(file).toMatchObject({
      name: 'hello.txt',
      content_type: 'text/plain',
      size: text.length,
      etag: md5,
      checksums: { sha256: createHash('sha256').update(text).digest('hex'), md5 },
      metadata: { purpose: 'test' },
      urls: { get: `https://api.replicate.com/v1/files/${file.id}` },
    });
    expect(Object.keys(file)).toEqual([
      'id',
      'name',
      'content_type',
      'size',
      'etag',
      'checksums',
      'metadata',
      'created_at',
      'expires_at',
      'urls',
    ]);
    expect(Date.parse(file.expires_at!) - Date.parse(file.created_at)).toBe(86_400_000);
    expect(await replicate.files.get(file.id)).toEqual(file);
    const second = await replicate.files.create(new Uint8Array([1, 2, 3]));
    expect(second).toMatchObject({ name: 'file', content_type: 'application/octet-stream', size: 3 });
    expect((await replicate.files.list().toArray()).map((f) => f.id)).toEqual([second.id, file.id]);

    const url = new URL(await fake.files.downloadUrl(file.id));
    expect(url.pathname).toBe(`/v1/files/${file.id}/download`);
    const blob = await replicate.files.download(file.id, {
      owner: url.searchParams.get('owner')!,
      expiry: Number(url.searchParams.get('expiry')),
      signature: url.searchParams.get('signature')!,
    });
    expect(await blob.text()).toBe(text);
    const forged = await fake.fetch(url.href.replace(/signature=[^&]+/, 'signature=forged'));
    expect(forged.status).toBe(404);

    await replicate.files.delete(file.id);
    await expect(replicate.files.get(file.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(replicate.files.delete(file.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('uploads Blob inputs of run() and passes their URL to the model', async () => {
    const fake = createFakeReplicate({
      presets: false,
      models: { 'acme/reader': textModel({ respond: (input) => String(input.document), tokenDelay: 0 }) },
    });
    const replicate = new Replicate({ auth: 'test', fetch: fake.fetch });
    const output = (await replicate.run('acme/reader', {
      input: { document: new Blob(['%PDF-1.7'], { type: 'application/pdf' }) },
    })) as string[];
    expect(output.join('')).toMatch(/^https:\/\/api\.replicate\.com\/v1\/files\/[A-Za-z0-9]+$/);
    expect(fake.count('files.create')).toBe(1);
  });

  it('rejects a create without content', async () => {
    const { fake } = setup();
    const form = new FormData();
    form.append('filename', 'x.txt');
    const response = await fake.fetch('https://api.replicate.com/v1/files', {
      method: 'POST',
      headers: { authorization: 'Bearer test' },
      body: form,
    });
    expect(response.status).toBe(422);
  });
});

describe('other endpoints', () => {
  it('serves account, hardware, models list, readme and a deployment', async () => {
    const fake = createFakeReplicate({ deployments: { 'acme/prod': 'meta/meta-llama-3-8b-instruct' } });
    const replicate = new Replicate({ auth: 'test', fetch: fake.fetch });
    expect(await replicate.account.get()).toMatchObject({ type: 'user', username: 'replikit-test' });
    expect((await replicate.hardware.list()).map((h) => h.sku)).toContain('gpu-t4');
    const models = await replicate.models.list().toArray();
    expect(models.map((m) => `${m.owner}/${m.name}`)).toContain('black-forest-labs/flux-schnell');
    expect(await replicate.models.readme.get('meta', 'meta-llama-3-8b-instruct')).toContain('# meta/');
    const deployment = await replicate.deployments.get('acme', 'prod');
    expect(deployment.current_release?.model).toBe('meta/meta-llama-3-8b-instruct');
    const prediction = await replicate.predictions.create({
      deployment: 'acme/prod',
      input: { prompt: 'hi' },
    });
    expect(prediction).toMatchObject({ model: 'meta/meta-llama-3-8b-instruct', deployment: 'acme/prod' });
    await expect(replicate.deployments.get('acme', 'nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(replicate.trainings.list().toArray()).rejects.toBeInstanceOf(NotFoundError);
  });
});
