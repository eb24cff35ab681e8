import { describe, expect, it, vi } from 'vitest';
import { AuthenticationError, Replicate } from '../src/index';
import { prediction } from './helpers/fixtures';
import { BASE, calls, json, route } from './helpers/server';

describe('Replicate client', () => {
  it('sends the bearer token and user agent to the API origin', async () => {
    route('GET', '/predictions/abc', json(prediction({ id: 'abc', status: 'succeeded', output: 'hi' })));
    const replicate = new Replicate({ auth: 'r8_secret_token_123', baseUrl: BASE });
    const result = await replicate.predictions.get('abc');
    expect(result.output).toBe('hi');
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer r8_secret_token_123');
    expect(calls[0]?.headers.get('user-agent')).toMatch(/^replikit\/\d+\.\d+\.\d+/);
  });

  it('reads REPLICATE_API_TOKEN on the first request, not at construction', async () => {
    const replicate = new Replicate({ baseUrl: BASE });
    vi.stubEnv('REPLICATE_API_TOKEN', 'r8_from_env');
    route('GET', '/account', json({ type: 'user', username: 'alice' }));
    await replicate.account.get();
    expect(calls[0]?.headers.get('authorization')).toBe('Bearer r8_from_env');
  });

  it('rejects with AuthenticationError when no token is configured, before any request', async () => {
    vi.stubEnv('REPLICATE_API_TOKEN', '');
    const replicate = new Replicate({ baseUrl: BASE });
    await expect(replicate.account.get()).rejects.toBeInstanceOf(AuthenticationError);
    expect(calls).toHaveLength(0);
  });
});
