import { parseArgs } from 'node:util';
import type { Replicate } from '../client.js';
import { calculateCost, estimateCost } from '../entries/pricing.js';
import { estimateTokens, tokenEstimator } from '../entries/tokens.js';
import { numberOption, parseInputs, readText } from './args.js';
import { UsageError } from './errors.js';
import { type Io, print, progressPrinter } from './output.js';

/** What a command gets: its arguments, a client factory and the process's streams. */
export interface CommandContext {
  args: string[];
  io: Io;
  client: () => Promise<Replicate>;
  signal: AbortSignal;
}

const JSON_FLAG = { json: { type: 'boolean' } } as const;

/** The text of a language model's output; anything else as JSON (file outputs serialise to their URLs). */
function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output) && output.every((item) => typeof item === 'string')) return output.join('');
  return JSON.stringify(output, null, 2);
}

/** `replikit run <model> -i key=value … [--stream] [--wait 60] [--cancel-after 5m] [--json]` */
export async function run({ args, io, client, signal }: CommandContext): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...JSON_FLAG,
      input: { type: 'string', short: 'i', multiple: true },
      stream: { type: 'boolean' },
      wait: { type: 'string' },
      'cancel-after': { type: 'string' },
    },
  });
  const [model] = positionals;
  if (!model)
    throw new UsageError(
      'run needs a model, e.g. replikit run black-forest-labs/flux-schnell -i prompt="a fox"',
    );
  const input = await parseInputs(values.input ?? []);
  const replicate = await client();
  if (values.stream) {
    for await (const event of replicate.stream(model, { input, signal })) {
      if (values.json) print(io, event, true);
      else if (event.type === 'output') io.stdout.write(event.data);
    }
    if (!values.json) io.stdout.write('\n');
    return;
  }
  const progress = progressPrinter(io);
  const wait = numberOption('wait', values.wait);
  try {
    const prediction = await replicate.runPrediction(model, {
      input,
      signal,
      ...(wait === undefined ? {} : { wait }),
      ...(values['cancel-after'] === undefined ? {} : { cancelAfter: values['cancel-after'] }),
      onProgress: progress.onProgress,
    });
    progress.end();
    print(io, values.json ? prediction : outputText(prediction.output), values.json === true);
  } finally {
    progress.end();
  }
}

/** `replikit chat <model> "message" [--system …] [--max-tokens N] [--json]` */
export async function chat({ args, io, client, signal }: CommandContext): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...JSON_FLAG, system: { type: 'string' }, 'max-tokens': { type: 'string' } },
  });
  const [model, message] = positionals;
  if (!model || message === undefined) throw new UsageError('chat needs a model and a message');
  const messages = [
    ...(values.system ? [{ role: 'system' as const, content: values.system }] : []),
    { role: 'user' as const, content: message },
  ];
  const maxTokens = numberOption('max-tokens', values['max-tokens']);
  const params = { model, messages, ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }) };
  const replicate = await client();
  if (values.json) {
    print(io, await replicate.chat.completions.create(params, { signal }), true);
    return;
  }
  const stream = await replicate.chat.completions.create({ ...params, stream: true }, { signal });
  for await (const chunk of stream) io.stdout.write(chunk.choices[0]?.delta.content ?? '');
  io.stdout.write('\n');
}

/** `replikit predictions list [--limit N] | get <id> | cancel <id>` */
export async function predictions({ args, io, client, signal }: CommandContext): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...JSON_FLAG, limit: { type: 'string' } },
  });
  const [action, id] = positionals;
  const replicate = await client();
  if (action === 'list') {
    const limit = numberOption('limit', values.limit) ?? 20;
    const items = await replicate.predictions.list({ signal }).toArray(limit);
    if (values.json) return print(io, items, true);
    for (const p of items)
      io.stdout.write(`${p.id}  ${p.status.padEnd(10)}  ${p.created_at}  ${p.model ?? p.version}\n`);
    return;
  }
  if ((action === 'get' || action === 'cancel') && id) {
    const prediction =
      action === 'get'
        ? await replicate.predictions.get(id, { signal })
        : await replicate.predictions.cancel(id, { signal });
    return print(
      io,
      values.json ? prediction : `${prediction.id}  ${prediction.status}`,
      values.json === true,
    );
  }
  throw new UsageError('predictions needs list, get <id> or cancel <id>');
}

/** `replikit tokens <file|-> --model m [--json]` */
export async function tokens({ args, io }: CommandContext): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...JSON_FLAG, model: { type: 'string' } },
  });
  const text = await readText(positionals[0], io.stdin);
  const count = estimateTokens(text, values.model ? { model: values.model } : {});
  print(
    io,
    values.json ? { tokens: count, model: values.model ?? null, characters: text.length } : String(count),
    values.json === true,
  );
}

/** `replikit cost <prediction-id>` or `replikit cost --model m [--input-tokens N] [--output-tokens N] [--images N] [--seconds N] [--hardware sku]` */
export async function cost({ args, io, client, signal }: CommandContext): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...JSON_FLAG,
      model: { type: 'string' },
      hardware: { type: 'string' },
      'input-tokens': { type: 'string' },
      'output-tokens': { type: 'string' },
      images: { type: 'string' },
      seconds: { type: 'string' },
    },
  });
  // the estimator counts the tokens of a prediction whose metrics have none
  const shared = {
    estimator: tokenEstimator,
    ...(values.hardware === undefined ? {} : { hardware: values.hardware }),
  };
  let result: ReturnType<typeof estimateCost>;
  if (positionals[0]) {
    const prediction = await (await client()).predictions.get(positionals[0], { signal });
    result = calculateCost(prediction, shared);
  } else if (values.model) {
    const option = (name: string, key: string) => {
      const value = numberOption(name, values[name as 'images']);
      return value === undefined ? {} : { [key]: value };
    };
    result = estimateCost(values.model, {
      ...shared,
      ...option('input-tokens', 'inputTokens'),
      ...option('output-tokens', 'outputTokens'),
      ...option('images', 'images'),
      ...option('seconds', 'seconds'),
    });
  } else {
    throw new UsageError('cost needs a prediction id or --model');
  }
  print(
    io,
    values.json ? result : `$${result.totalExact} (${result.basis}, per ${result.unit})`,
    values.json === true,
  );
}
