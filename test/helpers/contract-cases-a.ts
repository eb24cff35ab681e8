import type { Replicate } from '../../src/index';

/** One operation driven through the client, and the response the fake API gives it. */
export interface ContractCase {
  name: string;
  operationId: string;
  status: number;
  /** JSON fixture under test/fixtures/api returned by the fake API; none means an empty body. */
  body?: string;
  /** A non-JSON response body and its content type. */
  raw?: { text: string; type: string };
  call: (replicate: Replicate) => Promise<unknown>;
}

export const VERSION = '39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b';
export const FILE_ID = 'NGZiNmY2YzQtMThhZi00ZjcyLWFhZjktODg4NTY0NWNlMDEy';

/** Predictions and models. */
export const CASES_A: ContractCase[] = [
  // predictions
  {
    name: 'version id with wait, cancelAfter, webhook and events filter',
    operationId: 'predictions.create',
    status: 201,
    body: 'prediction-create-version',
    call: (r) =>
      r.predictions.create({
        version: VERSION,
        input: { prompt: 'a studio photo of a rainbow colored corgi', width: 512 },
        wait: true,
        cancelAfter: '1h30m',
        webhook: 'https://example.com/hooks/replicate',
        webhookEventsFilter: ['start', 'completed'],
      }),
  },
  {
    name: 'owner/name:version as version',
    operationId: 'predictions.create',
    status: 201,
    body: 'prediction-create-version',
    call: (r) =>
      r.predictions.create({ version: `stability-ai/sdxl:${VERSION}`, input: { prompt: 'a corgi' } }),
  },
  {
    name: 'owner/name:version as model, wait=60',
    operationId: 'predictions.create',
    status: 201,
    body: 'prediction-create-version',
    call: (r) => r.predictions.create({ model: `stability-ai/sdxl:${VERSION}`, input: {}, wait: 60 }),
  },
  {
    name: 'model with wait=10 and cancelAfter seconds',
    operationId: 'models.predictions.create',
    status: 201,
    body: 'prediction-create-model-wait',
    call: (r) =>
      r.predictions.create({
        model: 'meta/meta-llama-3-8b-instruct',
        input: { prompt: 'Please write a haiku about llamas' },
        wait: 10,
        cancelAfter: 300,
      }),
  },
  {
    name: 'models.predictions.create with a webhook',
    operationId: 'models.predictions.create',
    status: 201,
    body: 'prediction-create-model-wait',
    call: (r) =>
      r.models.predictions.create('meta', 'meta-llama-3-8b-instruct', {
        input: { prompt: 'hi' },
        webhook: 'https://example.com/hook',
        webhookEventsFilter: ['output', 'logs'],
      }),
  },
  {
    name: 'deployment option',
    operationId: 'deployments.predictions.create',
    status: 201,
    body: 'prediction-create-deployment',
    call: (r) =>
      r.predictions.create({
        deployment: 'acme/my-app-image-generator',
        input: { prompt: 'a bear' },
        wait: 1,
      }),
  },
  {
    name: 'deployments.predictions.create with cancelAfter',
    operationId: 'deployments.predictions.create',
    status: 202,
    body: 'prediction-create-deployment',
    call: (r) =>
      r.deployments.predictions.create('acme', 'my-app-image-generator', {
        input: { prompt: 'a bear' },
        cancelAfter: '5m',
      }),
  },
  {
    name: 'get',
    operationId: 'predictions.get',
    status: 200,
    body: 'prediction-get-flux',
    call: (r) => r.predictions.get('8mver00185rme0ct9gt80xrw5m'),
  },
  {
    name: 'cancel',
    operationId: 'predictions.cancel',
    status: 200,
    body: 'prediction-cancel',
    call: (r) => r.predictions.cancel('hdwst0bb05rgp0cf0p29mzk2am'),
  },
  {
    name: 'list with filters',
    operationId: 'predictions.list',
    status: 200,
    body: 'predictions-list',
    call: (r) =>
      r.predictions
        .list({ createdAfter: new Date('2023-03-01T00:00:00Z'), createdBefore: '2023-03-02', source: 'web' })
        .toArray(),
  },
  // models
  {
    name: 'list sorted',
    operationId: 'models.list',
    status: 200,
    body: 'models-list',
    call: (r) => r.models.list({ sortBy: 'model_created_at', sortDirection: 'asc' }).toArray(1),
  },
  {
    name: 'create',
    operationId: 'models.create',
    status: 201,
    body: 'model-create',
    call: (r) =>
      r.models.create({
        owner: 'test',
        name: 'python-example',
        visibility: 'private',
        hardware: 'cpu',
        description: 'An example model',
      }),
  },
  {
    name: 'search (QUERY)',
    operationId: 'models.search',
    status: 200,
    body: 'models-search',
    call: (r) => r.models.search('llama').toArray(1),
  },
  {
    name: 'get',
    operationId: 'models.get',
    status: 200,
    body: 'model-get-sdxl',
    call: (r) => r.models.get('stability-ai', 'sdxl'),
  },
  {
    name: 'update',
    operationId: 'models.update',
    status: 200,
    body: 'model-update',
    call: (r) =>
      r.models.update('test', 'python-example', {
        description: 'Detects hot dogs',
        github_url: 'https://github.com/test/python-example',
        readme: '# Hot dog\n',
      }),
  },
  {
    name: 'delete',
    operationId: 'models.delete',
    status: 204,
    call: (r) => r.models.delete('test', 'python-example'),
  },
  {
    name: 'examples',
    operationId: 'models.examples.list',
    status: 200,
    body: 'model-examples',
    call: (r) => r.models.examples.list('black-forest-labs', 'flux-schnell').toArray(),
  },
  {
    name: 'readme',
    operationId: 'models.readme.get',
    status: 200,
    raw: { text: '# Hello World Model\n', type: 'text/plain; charset=utf-8' },
    call: (r) => r.models.readme.get('replicate', 'hello-world'),
  },
  {
    name: 'versions list',
    operationId: 'models.versions.list',
    status: 200,
    body: 'model-versions-list',
    call: (r) => r.models.versions.list('stability-ai', 'sdxl').toArray(),
  },
  {
    name: 'versions get',
    operationId: 'models.versions.get',
    status: 200,
    body: 'model-version-get',
    call: (r) => r.models.versions.get('stability-ai', 'sdxl', VERSION),
  },
  {
    name: 'versions delete',
    operationId: 'models.versions.delete',
    status: 202,
    call: (r) => r.models.versions.delete('test', 'python-example', VERSION),
  },
];
