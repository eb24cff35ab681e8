// A browser page: bundled by esbuild (platform browser), served on 127.0.0.1 and run in headless Chromium;
// the runner reads the report from `globalThis.replikitSmoke`.
import * as core from 'replikit';
import * as pricing from 'replikit/pricing';
import * as testing from 'replikit/testing';
import * as tokens from 'replikit/tokens';
import * as webhooks from 'replikit/webhooks';
import { smoke } from './smoke.mjs';

globalThis.replikitSmoke = smoke({ core, pricing, testing, tokens, webhooks });
