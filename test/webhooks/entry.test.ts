import * as webhooks from 'replikit/webhooks';
import { describe, expect, it } from 'vitest';
import { importGraph } from '../helpers/import-graph';

// replikit/webhooks goes into edge bundles: it must not reach zod or the HTTP core. This walks
// every import reachable from the entry through src/, so a new import anywhere on the path fails here.
describe('replikit/webhooks', () => {
  it('imports no package at run time, only its own files and the error root', () => {
    const graph = importGraph('entries/webhooks.ts');
    expect(graph.packages).toEqual([]);
    expect(graph.files).toContain('webhooks/verify.ts');
    expect(graph.files).toContain('webhooks/prediction-check.ts');
    expect(graph.files.filter((file) => !file.startsWith('webhooks/'))).toEqual([
      'entries/webhooks.ts',
      'errors.ts',
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
