// Receive Replicate webhooks in an edge function (Cloudflare Workers, Vercel Edge, Deno Deploy, Bun):
// `Request` in, `Response` out. replikit/webhooks uses Web Crypto only and pulls in no HTTP client.
import { verifyWebhook, WebhookVerificationError } from 'replikit/webhooks';

interface Env {
  /** `(await replicate.webhooks.default.secret.get()).key`, stored as a secret binding. */
  REPLICATE_WEBHOOK_SECRET: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (request.method !== 'POST') return new Response('method not allowed', { status: 405 });
    try {
      // Reads the body once, as bytes, and checks signature, timestamp (300 s) and prediction shape.
      const prediction = await verifyWebhook(request, { secret: env.REPLICATE_WEBHOOK_SECRET });
      if (prediction.status === 'succeeded') console.log(prediction.id, prediction.output);
      if (prediction.status === 'failed') console.warn(prediction.id, prediction.error);
      return new Response(null, { status: 204 });
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      // A misconfigured secret is our fault (500, so Replicate retries); anything else is the sender's.
      const status = error.reason === 'invalid-secret' ? 500 : 400;
      return new Response(error.reason, { status });
    }
  },
};
