// A TypeScript app: type-checked against the packed .d.ts files with moduleResolution node16 and bundler
// (tsconfig.node16.json, tsconfig.bundler.json), then compiled and run on Node 24.
import * as core from 'replikit';
import * as pricing from 'replikit/pricing';
import * as testing from 'replikit/testing';
import * as tokens from 'replikit/tokens';
import * as webhooks from 'replikit/webhooks';
import { type SmokeReport, smoke } from './smoke.js';

const report: SmokeReport = await smoke({ core, pricing, testing, tokens, webhooks });
console.log(`REPLIKIT_SMOKE ${JSON.stringify(report)}`);
