/** The bundles `npm run size` measures: what each entry file imports and uses, and its budget. */
export const KB = 1024;

export interface Case {
  name: string;
  /** What the entry file does. */
  what: string;
  code: string;
  /** Budget in gzip bytes; none for references. */
  budget?: number;
  /** Measured from src/ instead of dist/, with these modules replaced by stubs. */
  fromSource?: { stubs: Record<string, string> };
}

const client = (name: string) => `import { ${name} } from 'replikit';
const replicate = new ${name}();
console.log(replicate.run, replicate.stream);`;
const core = client('Replicate');

export const cases: Case[] = [
  {
    name: 'replikit core',
    what: '`new ReplicateCore()`, `run`, `stream`',
    code: client('ReplicateCore'),
    budget: 16 * KB,
  },
  {
    name: 'replikit full client',
    what: '`new Replicate()`, `run`, `stream` (every resource, chat, policies)',
    code: core,
  },
  {
    name: 'replikit full client + chat',
    what: 'the same plus `chat.completions.create`',
    code: `${core}\nconsole.log(replicate.chat.completions.create);`,
  },
  {
    name: 'replikit full client without chat',
    what: 'the full client built from src/ with `chat/completions` stubbed out',
    code: core,
    fromSource: {
      stubs: { 'chat/completions': 'export class ChatCompletions { constructor() {} }' },
    },
  },
  {
    name: 'replikit full client (from src)',
    what: 'the full client built from src/, the baseline of the line above',
    code: core,
    fromSource: { stubs: {} },
  },
  {
    name: 'replikit/webhooks',
    what: 'every export of the entry',
    code: `import * as entry from 'replikit/webhooks';\nconsole.log(entry);`,
    budget: 2 * KB,
  },
  {
    name: 'replikit/tokens',
    what: 'every export of the entry',
    code: `import * as entry from 'replikit/tokens';\nconsole.log(entry);`,
    budget: 3 * KB,
  },
  {
    name: 'replikit/pricing',
    what: 'every export of the entry',
    code: `import * as entry from 'replikit/pricing';\nconsole.log(entry);`,
    budget: 4 * KB,
  },
  {
    name: 'replikit/openai',
    what: 'every export of the entry (needs the core client)',
    code: `import * as entry from 'replikit/openai';\nconsole.log(entry);`,
  },
  {
    name: 'replicate (official)',
    what: '`new Replicate()`, `run`, `stream`',
    code: `import Replicate from 'replicate';
const replicate = new Replicate();
console.log(replicate.run, replicate.stream);`,
  },
  {
    name: 'replicate (official), webhook check only',
    what: '`validateWebhook`',
    code: `import { validateWebhook } from 'replicate';\nconsole.log(validateWebhook);`,
  },
];
