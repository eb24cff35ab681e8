// An edge function (Cloudflare Workers, Vercel Edge, Deno, Bun) that serves OpenAI's chat API from
// Replicate: point any OpenAI client at it. The token comes from the platform's environment binding.
import { Replicate } from 'replikit';
import { createOpenAIHandler } from 'replikit/openai';

interface Env {
  REPLICATE_API_TOKEN: string;
}

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    const replicate = new Replicate({ auth: env.REPLICATE_API_TOKEN });
    const handler = createOpenAIHandler(replicate, {
      models: ['meta/meta-llama-3-8b-instruct', 'meta/meta-llama-3-70b-instruct'],
    });
    return handler(request);
  },
};
