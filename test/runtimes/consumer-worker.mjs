// Cloudflare workerd: a module Worker, bundled by esbuild (conditions workerd, worker, browser) and served by
// miniflare. No nodejs_compat flag: the package must need nothing from Node.
import * as core from 'replikit';
import * as pricing from 'replikit/pricing';
import * as testing from 'replikit/testing';
import * as tokens from 'replikit/tokens';
import * as webhooks from 'replikit/webhooks';
import { smoke } from './smoke.mjs';

export default {
  async fetch() {
    const report = await smoke({ core, pricing, testing, tokens, webhooks });
    return new Response(JSON.stringify(report), { headers: { 'content-type': 'application/json' } });
  },
};
