import { afterEach, describe, expect, it, vi } from 'vitest';
import { Replicate } from '../../src/index';
import { prediction } from '../helpers/fixtures';
import { BASE, json, route } from '../helpers/server';

// Vercel's Edge Runtime has no AbortSignal.any: the HTTP core then links the caller's signal to each response
// with a listener of its own, and must remove it once the body is read.
const any = AbortSignal.any;
afterEach(() => {
  AbortSignal.any = any;
});

/** A signal that counts its `abort` listeners. */
function countedSignal() {
  const controller = new AbortController();
  const { signal } = controller;
  let listeners = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListener, options?: AddEventListenerOptions) => {
    if (type === 'abort') listeners++;
    add(type, listener, options);
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListener) => {
    if (type === 'abort') listeners--;
    remove(type, listener);
  }) as typeof signal.removeEventListener;
  return { controller, signal, listeners: () => listeners };
}

describe('without AbortSignal.any', () => {
  it('leaves no listener on a long-lived signal after each call', async () => {
    (AbortSignal as { any?: unknown }).any = undefined;
    route('GET', '/predictions/abc', json(prediction({ id: 'abc', status: 'processing' })));
    route('GET', '/predictions/gone', json({ detail: 'Not found' }, { status: 404 }));
    const replicate = new Replicate({ auth: 'r8_links', baseUrl: BASE });
    const { signal, listeners } = countedSignal();
    for (let i = 0; i < 20; i++) await replicate.predictions.get('abc', { signal });
    await replicate.predictions.get('gone', { signal }).catch(() => {});
    expect(listeners()).toBe(0);
  });

  it('still aborts a request in flight with the signal’s reason', async () => {
    (AbortSignal as { any?: unknown }).any = undefined;
    const fetch = vi.fn(
      (_url: string, init: RequestInit) =>
        new Promise<Response>((_, reject) =>
          init.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        ),
    );
    const replicate = new Replicate({ auth: 'r8_links', fetch: fetch as unknown as typeof globalThis.fetch });
    const { controller, signal } = countedSignal();
    const call = replicate.predictions.get('abc', { signal });
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled());
    controller.abort(new Error('left the page'));
    await expect(call).rejects.toThrow('left the page');
  });
});
