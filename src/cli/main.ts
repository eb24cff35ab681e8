import { Replicate } from '../client.js';
import { ApiError, InvalidRequestError, ReplicateError } from '../errors.js';
import { PredictionCanceledError, PredictionFailedError } from '../lifecycle/errors.js';
import { type CommandContext, chat, cost, predictions, run, tokens } from './commands.js';
import { EXIT, UsageError } from './errors.js';
import { HELP } from './help.js';
import type { Io } from './output.js';

const COMMANDS: Record<string, (context: CommandContext) => Promise<void>> = {
  run,
  // `replikit stream <model> …` is `run --stream`.
  stream: (context) => run({ ...context, args: [...context.args, '--stream'] }),
  chat,
  predictions,
  tokens,
  cost,
};

/** A client on the real API, or on the embedded fake with `--fake`. */
export async function makeClient(fake: boolean, env: Io['env']): Promise<Replicate> {
  if (!fake) return new Replicate({ auth: env.REPLICATE_API_TOKEN });
  const { createFakeReplicate } = await import('../entries/testing.js');
  return new Replicate({ auth: 'fake-token', fetch: createFakeReplicate().fetch });
}

/** Run the CLI on `argv` (without node and the script); resolves to the exit code. */
export async function main(
  argv: readonly string[],
  io: Io,
  signal: AbortSignal,
  client: (fake: boolean, env: Io['env']) => Promise<Replicate> = makeClient,
): Promise<number> {
  const fake = argv.includes('--fake');
  const args = argv.filter((arg) => arg !== '--fake');
  const [name, ...rest] = args;
  const help = rest.includes('--help') || rest.includes('-h');
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${HELP.main}\n`);
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`replikit: unknown command ${JSON.stringify(name)}\n\n${HELP.main}\n`);
    return EXIT.usage;
  }
  if (help) {
    io.stdout.write(`${HELP[name]}\n`);
    return EXIT.ok;
  }
  try {
    await command({ args: rest, io, client: () => client(fake, io.env), signal });
    return EXIT.ok;
  } catch (error) {
    return report(error, name, io);
  }
}

function report(error: unknown, name: string, io: Io): number {
  const message = error instanceof Error ? error.message : String(error);
  if (
    error instanceof UsageError ||
    String((error as { code?: unknown })?.code).startsWith('ERR_PARSE_ARGS')
  ) {
    io.stderr.write(`replikit ${name}: ${message}\n\n${HELP[name]}\n`);
    return EXIT.usage;
  }
  // Checked before any request (a bad model id, cancelAfter below 5 s…): the arguments are wrong.
  if (error instanceof InvalidRequestError && error.status === undefined) {
    io.stderr.write(`replikit ${name}: ${message}\n`);
    return EXIT.usage;
  }
  io.stderr.write(`replikit ${name}: ${message}\n`);
  if (error instanceof PredictionFailedError || error instanceof PredictionCanceledError) return EXIT.failed;
  if (error instanceof ApiError || error instanceof ReplicateError) return EXIT.api;
  if (error instanceof Error && error.name === 'AbortError') return EXIT.failed;
  return EXIT.api;
}
