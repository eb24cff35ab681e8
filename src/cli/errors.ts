/** Exit codes of the `replikit` CLI. */
export const EXIT = { ok: 0, failed: 1, usage: 2, api: 3 } as const;

/** Bad arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
