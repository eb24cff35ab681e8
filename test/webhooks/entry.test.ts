import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as webhooks from 'replikit/webhooks';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// replikit/webhooks goes into edge bundles: it must not reach ky, p-retry or the HTTP core. This walks every
// import reachable from the entry through src/, so a new import anywhere on the path fails here.
const root = fileURLToPath(new URL('../../src/', import.meta.url));

function importGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    // TypeScript's own scanner: static, side-effect and dynamic imports and re-exports, never comments.
    for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (fileName.startsWith('.')) visit(`${resolve(dirname(file), fileName)}.ts`);
      else packages.add(fileName);
    }
  };
  visit(resolve(root, entry));
  return { files: [...files].map((file) => file.slice(root.length)).sort(), packages: [...packages].sort() };
}

describe('replikit/webhooks', () => {
  it('imports only zod/mini, the error root and the prediction schema', () => {
    const graph = importGraph('entries/webhooks.ts');
    expect(graph.packages).toEqual(['zod/mini']);
    expect(graph.files).toContain('webhooks/verify.ts');
    expect(graph.files.filter((file) => !file.startsWith('webhooks/'))).toEqual([
      'entries/webhooks.ts',
      'errors.ts',
      'schemas/prediction.ts',
    ]);
  });

  it('exports the verifier, the signer and the error', () => {
    expect(Object.keys(webhooks).sort()).toEqual([
      'WebhookVerificationError',
      'signWebhook',
      'verifyWebhook',
    ]);
  });
});
