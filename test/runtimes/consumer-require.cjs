// Node 22 and 24: the package loaded with `require()`, as a CommonJS app would (Node's require of ESM).
const core = require('replikit');
const pricing = require('replikit/pricing');
const testing = require('replikit/testing');
const tokens = require('replikit/tokens');
const webhooks = require('replikit/webhooks');
const { smoke } = require('./smoke.mjs');

smoke({ core, pricing, testing, tokens, webhooks }).then((report) => {
  console.log(`REPLIKIT_SMOKE ${JSON.stringify(report)}`);
});
