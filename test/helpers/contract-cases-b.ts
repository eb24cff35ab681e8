import { type ContractCase, FILE_ID, VERSION } from './contract-cases-a';

/** Trainings, deployments, the catalog and files. */
export const CASES_B: ContractCase[] = [
  // trainings
  {
    name: 'create with webhook',
    operationId: 'trainings.create',
    status: 201,
    body: 'training-create',
    call: (r) =>
      r.trainings.create('stability-ai', 'sdxl', VERSION, {
        destination: 'replicate/dreambooth-sdxl',
        input: { input_images: 'https://example.com/data.zip' },
        webhook: 'https://example.com/train-hook',
        webhookEventsFilter: ['completed'],
      }),
  },
  {
    name: 'get',
    operationId: 'trainings.get',
    status: 200,
    body: 'training-get',
    call: (r) => r.trainings.get('zz4ibbonubfz7carwiefibzgga'),
  },
  {
    name: 'cancel',
    operationId: 'trainings.cancel',
    status: 200,
    body: 'training-cancel',
    call: (r) => r.trainings.cancel('xxi2kydbnla3ocjp64sclkewku'),
  },
  {
    name: 'list',
    operationId: 'trainings.list',
    status: 200,
    body: 'trainings-list',
    call: (r) => r.trainings.list().toArray(),
  },
  // deployments
  {
    name: 'list',
    operationId: 'deployments.list',
    status: 200,
    body: 'deployments-list',
    call: (r) => r.deployments.list().toArray(1),
  },
  {
    name: 'create',
    operationId: 'deployments.create',
    status: 200,
    body: 'deployment',
    call: (r) =>
      r.deployments.create({
        name: 'my-app-image-generator',
        model: 'stability-ai/sdxl',
        version: 'da77bc59ee60423279fd632efb4795ab731d9e3ca9705ef3341091fb989b7eaf',
        hardware: 'gpu-t4',
        min_instances: 0,
        max_instances: 3,
      }),
  },
  {
    name: 'get',
    operationId: 'deployments.get',
    status: 200,
    body: 'deployment',
    call: (r) => r.deployments.get('acme', 'my-app-image-generator'),
  },
  {
    name: 'update',
    operationId: 'deployments.update',
    status: 200,
    body: 'deployment-update',
    call: (r) =>
      r.deployments.update('acme', 'my-app-image-generator', { min_instances: 3, max_instances: 10 }),
  },
  {
    name: 'delete',
    operationId: 'deployments.delete',
    status: 204,
    call: (r) => r.deployments.delete('acme', 'my-app-image-generator'),
  },
  // catalog
  {
    name: 'list',
    operationId: 'collections.list',
    status: 200,
    body: 'collections-list',
    call: (r) => r.collections.list().toArray(),
  },
  {
    name: 'get',
    operationId: 'collections.get',
    status: 200,
    body: 'collection-get',
    call: (r) => r.collections.get('text-to-image'),
  },
  {
    name: 'list',
    operationId: 'hardware.list',
    status: 200,
    body: 'hardware-list',
    call: (r) => r.hardware.list(),
  },
  { name: 'get', operationId: 'account.get', status: 200, body: 'account', call: (r) => r.account.get() },
  {
    name: 'get',
    operationId: 'webhooks.default.secret.get',
    status: 200,
    body: 'webhook-secret',
    call: (r) => r.webhooks.default.secret.get(),
  },
  {
    name: 'with limit',
    operationId: 'search',
    status: 200,
    body: 'search',
    call: (r) => r.search('upscale images', { limit: 5 }),
  },
  // files
  {
    name: 'create (multipart)',
    operationId: 'files.create',
    status: 201,
    body: 'file-create',
    call: (r) =>
      r.files.create(new Blob(['hello'], { type: 'text/plain' }), {
        filename: 'hello.txt',
        metadata: { customer_reference_id: 123 },
      }),
  },
  {
    name: 'list',
    operationId: 'files.list',
    status: 200,
    body: 'files-list',
    call: (r) => r.files.list().toArray(),
  },
  { name: 'get', operationId: 'files.get', status: 200, body: 'file-get', call: (r) => r.files.get(FILE_ID) },
  { name: 'delete', operationId: 'files.delete', status: 204, call: (r) => r.files.delete(FILE_ID) },
  {
    name: 'download',
    operationId: 'files.download',
    status: 200,
    raw: { text: 'hello', type: 'application/octet-stream' },
    call: (r) =>
      r.files.download(FILE_ID, { owner: 'acme', expiry: 1735689600, signature: 'aGVsbG8gd29ybGQ=' }),
  },
];
