import { fileURLToPath } from 'node:url';
import { HttpHandler } from 'msw';
import type { setupWorker } from 'msw/browser';
import { setupServer } from 'msw/node';
import { createFakeReplicate, type MswHandler } from 'replikit/testing';
import ts from 'typescript';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { server } from '../helpers/server';

// msw is an optional peer of replikit/testing: its handlers must reach msw's own functions without casts, while
// the package's declarations never name msw (a consumer without msw type-checks them with skipLibCheck off).
describe('fake.handlers and the msw types', () => {
  it('are accepted by setupServer, setupWorker and server.use without casts', async () => {
    const fake = createFakeReplicate();
    const { handlers } = fake;
    expect(fake.handlers).toBe(handlers); // built once
    // loadHandlers (any runtime, other origins) gives the same kind: msw's HttpHandlers, per origin
    const loaded = await fake.loadHandlers({ origins: ['https://proxy.example.com/'] });
    expect(loaded).toHaveLength(1);
    expect(loaded[0]).toBeInstanceOf(HttpHandler);
    // Compile-time checks (npm run typecheck): each line fails to type-check if the type stops fitting msw.
    expectTypeOf(setupServer).toBeCallableWith(...handlers);
    expectTypeOf<typeof setupWorker>().toBeCallableWith(...handlers);
    expectTypeOf(server.use).toBeCallableWith(...handlers);
    expectTypeOf(server.resetHandlers).toBeCallableWith(...handlers);
    const one: MswHandler = handlers[0];
    expectTypeOf(setupServer).toBeCallableWith(one);
    // At runtime they are msw's HttpHandlers, from the copy of msw installed here: one per default origin.
    expect(handlers).toHaveLength(3);
    for (const handler of handlers) expect(handler).toBeInstanceOf(HttpHandler);
  });

  it('say to use loadHandlers where no require can be made (a browser)', () => {
    const { getBuiltinModule } = process;
    Object.assign(process, { getBuiltinModule: undefined });
    try {
      expect(() => createFakeReplicate().handlers).toThrow(/use await fake\.loadHandlers\(\)/);
    } finally {
      Object.assign(process, { getBuiltinModule });
    }
  });

  it('never appear in the declarations as msw types', () => {
    const emitted = emitDeclarations('src/entries/testing.ts');
    const fake = [...emitted].find(([name]) => name.endsWith('/testing/fake.d.ts'));
    expect(fake?.[1]).toContain('readonly handlers: MswHandler[];');
    expect(fake?.[1]).toContain('loadHandlers(options?: HandlersOptions): Promise<');
    const offenders: string[] = [];
    for (const [name, text] of emitted) {
      const info = ts.preProcessFile(text, true, true);
      // Static and type-level `import('…')` imports, re-exports and `/// <reference types>` directives.
      const specifiers = [...info.importedFiles, ...info.typeReferenceDirectives].map((ref) => ref.fileName);
      for (const specifier of specifiers)
        if (/^msw(\/|$)/.test(specifier)) offenders.push(`${name}: ${specifier}`);
    }
    expect(offenders).toEqual([]);
  }, 60_000);
});

/** The declarations tsc emits for `entry` and every source file it reaches, in memory (nothing is written). */
function emitDeclarations(entry: string): Map<string, string> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const config = ts.getParsedCommandLineOfConfigFile(
    `${root}tsconfig.json`,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!config) throw new Error('tsconfig.json could not be read');
  const options: ts.CompilerOptions = {
    ...config.options,
    noEmit: false,
    declaration: true,
    emitDeclarationOnly: true,
    outDir: `${root}.declarations`,
  };
  const program = ts.createProgram([`${root}${entry}`], options);
  const emitted = new Map<string, string>();
  const result = program.emit(undefined, (name, text) =>
    emitted.set(name.slice(options.outDir!.length), text),
  );
  if (result.emitSkipped) throw new Error('tsc skipped the declaration emit');
  return emitted;
}
