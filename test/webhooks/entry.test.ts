import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as webhooks from 'replikit/webhooks';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// replikit/webhooks goes into edge bundles: it must not reach zod or the HTTP core. This walks
// every import reachable from the entry through src/, so a new import anywhere on the path fails here.
const root = fileURLToPath(new URL('../../src/', import.meta.url));

/** Module specifiers a file loads at run time: `import type` and `export type` are erased, so skipped. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) {
      specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && !node.isTypeOnly) {
      specifiers.push((node.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteral(argument)) specifiers.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

function importGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier).replace(/\.js$/, '.ts'));
      else packages.add(specifier);
    }
  };
  visit(resolve(root, entry));
  return { files: [...files].map((file) => file.slice(root.length)).sort(), packages: [...packages].sort() };
}

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
