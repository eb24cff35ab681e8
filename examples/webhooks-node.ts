// Receive Replicate webhooks on a plain Node server (node:http). Start it, then create predictions with
// `webhook: 'https://<your host>/webhooks/replicate'`. Every delivery is verified before it is acted on.
import { createServer } from 'node:http';
import { Replicate } from 'replikit';
import { verifyWebhook, WebhookVerificationError } from 'replikit/webhooks';

// The signing secret: from the environment, or fetched once with the API token.
const secret =
  process.env.REPLICATE_WEBHOOK_SECRET ?? (await new Replicate().webhooks.default.secret.get()).key;
const MAX_BODY = 10 * 1024 * 1024; // a prediction with large inline outputs still fits
const handled = new Set<string>(); // webhook-id is the same on every retry: use a database in production

const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/webhooks/replicate') {
    res.writeHead(404).end();
    return;
  }
  // Keep the raw bytes: the signature covers them, not a re-serialised JSON object.
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) {
      res.writeHead(413).end();
      return;
    }
    chunks.push(chunk);
  }
  try {
    const prediction = await verifyWebhook({ body: Buffer.concat(chunks), headers: req.headers }, { secret });
    const id = String(req.headers['webhook-id']);
    if (!handled.has(id)) {
      handled.add(id);
      console.log(
        prediction.id,
        prediction.status,
        prediction.status === 'succeeded' ? prediction.output : '',
      );
    }
    res.writeHead(204).end(); // answer within a few seconds; do slow work after responding
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    console.warn(`refused a webhook: ${error.reason}`);
    res.writeHead(error.reason === 'invalid-secret' ? 500 : 400, { 'content-type': 'text/plain' });
    res.end(error.reason);
  }
});

const port = Number(process.env.PORT ?? 3000);
server.listen(port, () => console.log(`listening on http://localhost:${port}/webhooks/replicate`));
