import type { setup } from './helpers';

/** What the slow-response and abort suites share: the fake clock they start from and a look at the fake. */

export const NOW = new Date('2025-06-01T00:00:00Z').getTime();

/** What is left on the fake: predictions by status. */
export const statuses = (fake: ReturnType<typeof setup>['fake']) =>
  fake.predictions.list().map((p) => p.status);
