import { Replicate, type ReplicateOptions } from 'replikit';
import { createFakeReplicate, type FakeReplicateOptions, textModel } from 'replikit/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useFakeClock } from '../helpers/clock';
import { collect } from './helpers';
import { NOW } from './slow-abort-helpers';

useFakeClock(NOW);

describe('real sockets and timers (a fake on 127.0.0.1, real time)', () => {
  beforeEach(() => {
    vi.useRealTimers();
  });

  it('after aborts mid-stream and mid-create, no request stays open and no timer is left behind', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const options: FakeReplicateOptions = {
      presets: false,
      rateLimit: false,
      models: {
        'acme/trickle': textModel({ respond: 'one two three four five six', tokenDelay: 200, startDelay: 0 }),
      },
      faults: [{ route: 'create', type: 'slow', delay: 300, skip: 1 }],
    };
    const fake = createFakeReplicate(options);
    // Count requests the server is still answering: a client that leaks a body keeps one open.
    let inFlight = 0;
    const server = await fake.listen({ port: 0 });
    const counting: typeof fetch = async (input, init) => {
      inFlight++;
      try {
        const response = await fetch(input, init);
        if (!response.body) return response;
        const reader = response.body.getReader();
        let closed = false;
        const done = () => {
          if (!closed) inFlight--;
          closed = true;
        };
        (init?.signal ?? (input instanceof Request ? input.signal : undefined))?.addEventListener(
          'abort',
          done,
        );
        return new Response(
          new ReadableStream({
            async pull(controller) {
              try {
                const chunk = await reader.read();
                if (chunk.done) {
                  done();
                  controller.close();
                } else controller.enqueue(chunk.value);
              } catch (error) {
                done();
                controller.error(error);
              }
            },
            cancel: (reason) => {
              done();
              return reader.cancel(reason);
            },
          }),
          { status: response.status, headers: response.headers },
        );
      } catch (error) {
        inFlight--;
        throw error;
      }
    };
    const client: ReplicateOptions = { auth: 'r8_fault_suite', baseUrl: server.baseUrl, fetch: counting };
    const replicate = new Replicate(client);
    const before = timers();
    try {
      // Mid-stream: abort after the second token.
      const controller = new AbortController();
      const seen: string[] = [];
      const streamed = collect(
        (async function* () {
          for await (const event of replicate.stream('acme/trickle', {
            input: {},
            signal: controller.signal,
          })) {
            if (event.type === 'output') seen.push(event.data);
            if (seen.length === 2) controller.abort(new Error('enough'));
            yield event;
          }
        })(),
      );
      await expect(streamed).rejects.toThrow('enough');
      // Mid-create: the second create is held 300 ms; abort after 100 ms.
      const late = new AbortController();
      setTimeout(() => late.abort(new Error('too slow')), 100);
      await expect(
        replicate.run('acme/trickle', { input: {}, signal: late.signal, wait: false }),
      ).rejects.toThrow('too slow');
      // The late create still answers; its prediction is then canceled.
      const settled = () => fake.predictions.list().filter((p) => p.status === 'canceled').length === 2;
      for (let i = 0; i < 100 && !settled(); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(fake.predictions.list().map((p) => p.status)).toEqual(['canceled', 'canceled']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(inFlight).toBe(0);
      expect(timers()).toBeLessThanOrEqual(before);
    } finally {
      await server.close();
      await fake.close();
    }
  });
});
