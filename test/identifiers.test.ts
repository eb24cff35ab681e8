import { describe, expect, it } from 'vitest';
import {
  checkModelName,
  checkSegment,
  checkWebhookEvents,
  checkWebhookUrl,
  parseModelRef,
} from '../src/identifiers';
import { InvalidRequestError, type PredictionCreateParams, Replicate } from '../src/index';
import { prediction } from './helpers/fixtures';
import { BASE, calls, json, route } from './helpers/server';

const HEX = '5c7d5dc6dd8bf75c1acaa8565735e7986bc5b66206b55cca93cb72c9bf15ccaa';

/** The synchronous error of `fn`, which must throw. */
function thrown(fn: () => unknown): InvalidRequestError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidRequestError);
    return error as InvalidRequestError;
  }
  throw new Error('expected a throw');
}

describe('parseModelRef', () => {
  it.each([
    ['owner/name', { kind: 'model', owner: 'owner', name: 'name' }],
    ['meta/meta-llama-3-8b-instruct', { kind: 'model', owner: 'meta', name: 'meta-llama-3-8b-instruct' }],
    ['stability-ai/sdxl_1.0', { kind: 'model', owner: 'stability-ai', name: 'sdxl_1.0' }],
    [`owner/name:${HEX}`, { kind: 'version', owner: 'owner', name: 'name', version: HEX }],
    [HEX, { kind: 'version', version: HEX }],
    ['deployments/acme/my-app', { kind: 'deployment', owner: 'acme', name: 'my-app' }],
  ])('parses %s', (ref, expected) => {
    expect(parseModelRef(ref)).toEqual(expected);
  });

  it.each([
    ['a bare owner', 'owner'],
    ['a missing owner', '/name'],
    ['a missing name', 'owner/'],
    ['a bare tag', ':abc'],
    ['a short version', 'owner/name:abc'],
    ['an uppercase version', `owner/name:${HEX.toUpperCase()}`],
    ['a 63-hex version', HEX.slice(1)],
    ['a space', 'a b/c'],
    ['an extra segment', 'owner/name/extra'],
    ['a deployment without its name', 'deployments/acme'],
    ['a dot segment', '../name'],
    ['an empty string', ''],
    ['a number', 42],
    ['undefined', undefined],
    ['null', null],
  ])('rejects %s with the accepted forms in the message', (_, ref) => {
    const error = thrown(() => parseModelRef(ref as string));
    expect(error.message).toContain('`owner/name`');
    expect(error.message).toContain('`owner/name:<64-hex version>`');
    expect(error.message).toContain('64-hex version id');
    expect(error.message).toContain('`deployments/owner/name`');
    expect(error.status).toBeUndefined();
    expect(error.invalidFields).toEqual([{ field: 'model', description: error.message }]);
  });
});

describe('the client refuses bad input before sending', () => {
  const replicate = () => new Replicate({ auth: 'r8_test', baseUrl: BASE });

  it.each([
    ['a bad model ref', { model: 'bad ref' }],
    ['a model with an extra segment', { model: 'owner/name/extra' }],
    ['a short version', { version: 'abc' }],
    ['a bad deployment', { deployment: 'acme' }],
    ['two targets', { model: 'acme/hello', version: HEX }],
    ['no target', {}],
    ['an http webhook', { model: 'acme/hello', webhook: 'http://example.com/hook' }],
    ['an unknown webhook event', { model: 'acme/hello', webhookEventsFilter: ['done'] }],
    ['a too short cancelAfter', { model: 'acme/hello', cancelAfter: '4s' }],
    ['a wait over 60 s', { model: 'acme/hello', wait: 61 }],
  ])('predictions.create with %s → InvalidRequestError, 0 calls', async (_, params) => {
    route('POST', '/predictions', json(prediction(), { status: 201 }));
    route('POST', '/models/:owner/:name/predictions', json(prediction(), { status: 201 }));
    route('POST', '/deployments/:owner/:name/predictions', json(prediction(), { status: 201 }));
    const request = { input: {}, ...params } as PredictionCreateParams;
    await expect(replicate().predictions.create(request)).rejects.toBeInstanceOf(InvalidRequestError);
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['model', 'acme/hello', '/models/acme/hello/predictions', undefined],
    ['model', `acme/hello:${HEX}`, '/predictions', HEX],
    ['model', HEX, '/predictions', HEX],
    ['model', 'deployments/acme/app', '/deployments/acme/app/predictions', undefined],
    ['version', HEX, '/predictions', HEX],
    ['deployment', 'acme/app', '/deployments/acme/app/predictions', undefined],
  ])('predictions.create with %s %s posts to %s', async (key, value, path, version) => {
    route('POST', path, json(prediction(), { status: 201 }));
    const request: Record<string, unknown> = { [key]: value, input: { a: 1 } };
    await replicate().predictions.create(request as unknown as PredictionCreateParams);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.url.pathname).toBe(`/v1${path}`);
    expect(JSON.parse(calls[0]!.body)).toEqual(version ? { input: { a: 1 }, version } : { input: { a: 1 } });
  });
});

describe('checkWebhookUrl', () => {
  it.each(['https://example.com/hook', 'https://example.com:8443/a/b?c=d'])('accepts %s', (url) => {
    expect(checkWebhookUrl(url)).toBe(url);
  });

  it.each([
    'http://example.com/hook',
    '/relative/hook',
    'example.com/hook',
    'not a url',
    'ftp://example.com/hook',
    'javascript:alert(1)',
    '',
  ])('rejects %s', (url) => {
    const error = thrown(() => checkWebhookUrl(url));
    expect(error.message).toContain('https://');
    expect(error.invalidFields[0]?.field).toBe('webhook');
  });
});

describe('checkWebhookEvents', () => {
  it('accepts known events and drops duplicates', () => {
    expect(checkWebhookEvents(['start', 'output', 'logs', 'completed'])).toEqual([
      'start',
      'output',
      'logs',
      'completed',
    ]);
    expect(checkWebhookEvents(['completed', 'completed'])).toEqual(['completed']);
  });

  it.each([
    ['an empty list', []],
    ['an unknown event', ['start', 'done']],
    ['a wrongly cased event', ['Completed']],
    ['a string instead of a list', 'completed'],
  ])('rejects %s', (_, events) => {
    const error = thrown(() => checkWebhookEvents(events as string[]));
    expect(error.message).toContain('start, output, logs, completed');
    expect(error.invalidFields[0]?.field).toBe('webhookEventsFilter');
  });
});

describe('checkModelName and checkSegment', () => {
  it('accepts owner/name and rejects anything else', () => {
    expect(checkModelName('destination', 'acme/fine-tune')).toBe('acme/fine-tune');
    for (const bad of ['acme', 'acme/a/b', '/x', 'a b/c', '']) {
      expect(thrown(() => checkModelName('destination', bad)).message).toContain("'owner/name'");
    }
  });

  it('accepts one URL-safe segment and rejects separators and traversal', () => {
    expect(checkSegment('id', 'gm3qorzdhgbfurvjtvhg6dckhu')).toBe('gm3qorzdhgbfurvjtvhg6dckhu');
    for (const bad of ['a/b', '..', '.hidden', 'a?b', 'a#b', 'a b', '%2F', '']) {
      const error = thrown(() => checkSegment('id', bad));
      expect(error.invalidFields[0]?.field).toBe('id');
    }
  });
});
