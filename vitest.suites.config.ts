import { defineConfig } from 'vitest/config';
import FiguresReporter from './test/faults/figures-reporter.ts';
import base from './vitest.config.ts';

/**
 * The long suites that `npm test` leaves out: faults (`npm run test:faults`), security (`npm run test:security`)
 * and load (`npm run test:load`). Their files end in `.suite.ts`; each prints the figures it records after
 * vitest's summary.
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/{faults,security,load}/**/*.suite.ts'],
    // No msw: these suites talk to the fake (in process, or on 127.0.0.1 with real sockets).
    setupFiles: [],
    reporters: ['default', new FiguresReporter()],
  },
});
