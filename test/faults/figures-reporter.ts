import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the figures the fault, security and load suites record in `task.meta.figures`, after vitest's own
 * summary, so CI logs show them: one block per test that recorded any.
 */
export default class FiguresReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const lines: string[] = [];
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const figures = test.meta().figures;
        if (!figures) continue;
        lines.push(`  ${test.fullName}`);
        const width = Math.max(...Object.keys(figures).map((key) => key.length));
        for (const [key, value] of Object.entries(figures)) {
          lines.push(
            `    ${key.padEnd(width)}  ${typeof value === 'number' ? value.toLocaleString('en-US') : value}`,
          );
        }
      }
    }
    if (lines.length > 0) process.stdout.write(`\nFigures\n${lines.join('\n')}\n\n`);
  }
}
