import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Read a JSON fixture from test/fixtures. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(
    readFileSync(fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url)), 'utf8'),
  ) as T;
}

/** A minimal valid prediction, overridable per test. */
export function prediction(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'ufawqhfynnddngldkgtslldrkq',
    model: 'replicate/hello-world',
    version: '5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa',
    input: { text: 'Alice' },
    output: null,
    logs: '',
    error: null,
    status: 'starting',
    created_at: '2022-04-26T22:13:06.224088Z',
    urls: {
      get: 'https://api.replicate.com/v1/predictions/ufawqhfynnddngldkgtslldrkq',
      cancel: 'https://api.replicate.com/v1/predictions/ufawqhfynnddngldkgtslldrkq/cancel',
    },
    ...overrides,
  };
}
