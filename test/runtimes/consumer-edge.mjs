// Vercel's edge runtime: a script bundled by esbuild (conditions edge-light, worker, browser) and evaluated in
// edge-runtime's EdgeVM, answering a fetch event.
import * as core from 'replikit';
import * as pricing from 'replikit/pricing';
import * as testing from 'replikit/testing';
import * as tokens from 'replikit/tokens';
import * as webhooks from 'replikit/webhooks';
import { smoke } from './smoke.mjs';

addEventListener('fetch', (event) => {
  event.respondWith(
    smoke({ core, pricing, testing, tokens, webhooks }).then(
      (report) => new Response(JSON.stringify(report), { headers: { 'content-type': 'application/json' } }),
    ),
  );
});
