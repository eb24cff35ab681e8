import { Replicate } from 'replikit';
import { createFakeReplicate, echo, textModel } from 'replikit/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

describe('the fake in a runtime without AbortSignal.any (Vercel Edge)', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
  });

  it('releases each request’s link to its own close signal: no listener piles up', async () => {
    // Without AbortSignal.any every request links its signal to the fake's with an `abort` listener. Before the
    // fix those stayed (the Edge Runtime warned `MaxListenersExceededWarning` in the runtime matrix).
    vi.stubGlobal('AbortSignal', Object.assign(Object.create(AbortSignal), { any: undefined }));
    const listening = new Map<EventTarget, number>();
    const add = EventTarget.prototype.addEventListener;
    const remove = EventTarget.prototype.removeEventListener;
    vi.spyOn(EventTarget.prototype, 'addEventListener').mockImplementation(function (
      this: EventTarget,
      ...args
    ) {
      if (args[0] === 'abort') listening.set(this, (listening.get(this) ?? 0) + 1);
      return add.apply(this, args);
    });
    vi.spyOn(EventTarget.prototype, 'removeEventListener').mockImplementation(function (
      this: EventTarget,
      ...args
    ) {
      if (args[0] === 'abort') listening.set(this, (listening.get(this) ?? 0) - 1);
      return remove.apply(this, args);
    });
    const fake = createFakeReplicate({
      models: { 'acme/echo': textModel({ respond: echo, tokenDelay: 1, startDelay: 1 }) },
    });
    const replicate = new Replicate({ auth: 'test', fetch: fake.fetch });
    for (let n = 0; n < 15; n++) await replicate.predictions.get('missing').catch(() => undefined);
    for (let n = 0; n < 12; n++) {
      let text = '';
      for await (const event of replicate.stream('acme/echo', { input: { prompt: `hello ${n}` } })) {
        if (event.type === 'output') text += event.data;
      }
      expect(text).toBe(`hello ${n}`);
    }
    // 27 requests, 12 of them streams: no signal keeps more than a couple of listeners
    expect(Math.max(...listening.values())).toBeLessThan(3);
    await fake.close();
  });
});
