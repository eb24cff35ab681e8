// An edge function that streams a model's tokens to the browser as plain text, built on `ReplicateCore`:
// predictions, files, run, stream and wait, without chat, the catalog or the policies (a smaller bundle).
import { ReplicateCore } from 'replikit';

interface Env {
  REPLICATE_API_TOKEN: string;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const prompt = new URL(request.url).searchParams.get('prompt') ?? 'Write a haiku about the sea.';
    const replicate = new ReplicateCore({ auth: env.REPLICATE_API_TOKEN });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        // `request.signal` aborts when the visitor leaves: the stream ends and the prediction is canceled.
        for await (const event of replicate.stream('meta/meta-llama-3-8b-instruct', {
          input: { prompt, max_tokens: 256 },
          signal: request.signal,
        })) {
          if (event.type === 'output') controller.enqueue(encoder.encode(event.data));
        }
        controller.close();
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
  },
};
