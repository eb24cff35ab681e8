// Node 22, Node 24, Bun and Deno: the package loaded with `import`, as an ESM app would.
import * as core from 'replikit';
import * as pricing from 'replikit/pricing';
import * as testing from 'replikit/testing';
import * as tokens from 'replikit/tokens';
import * as webhooks from 'replikit/webhooks';
import { smoke } from './smoke.mjs';

const report = await smoke({ core, pricing, testing, tokens, webhooks });
console.log(`REPLIKIT_SMOKE ${JSON.stringify(report)}`);
