import { Ajv2020 } from 'ajv/dist/2020.js';
import { TEMPLATES } from 'replikit';
import { describe, expect, it } from 'vitest';
import { mapChatInput, toTextMessages } from '../../src/chat/mapping';
import { builtInInputs, inputsFromOpenApi, templateFamilyOf } from '../../src/chat/model-inputs';
import type { ChatCompletionCreateParams } from '../../src/chat/types';
import { fixture } from '../helpers/fixtures';

type Schemas = Record<string, Record<string, unknown> & { properties?: Record<string, unknown> }>;
const { models } = fixture<{ models: Record<string, { schemas: Schemas }> }>('model-input-schemas.json');
const chatModels = Object.entries(models).filter(
  ([, m]) => inputsFromOpenApi({ components: { schemas: m.schemas } })?.textOutput,
);
const ajv = new Ajv2020({ strict: false, allErrors: true });

function validator(schemas: Schemas) {
  return ajv.compile({ $ref: '#/components/schemas/Input', components: { schemas } });
}

const params: ChatCompletionCreateParams = {
  model: 'x',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello!' },
    { role: 'user', content: [{ type: 'text', text: 'Name a color.' }] },
  ],
  max_tokens: 64,
  stop: ['\n\n', 'END'],
  temperature: 0.5,
  top_p: 0.9,
  seed: 7,
  presence_penalty: 0.1,
  frequency_penalty: 0.2,
};

function map(name: string, schemas: Schemas, overrides: Partial<ChatCompletionCreateParams> = {}) {
  const inputs = inputsFromOpenApi({ components: { schemas } });
  const family = templateFamilyOf(name);
  const all = { ...params, ...overrides };
  return mapChatInput(all, toTextMessages(all.messages, false), inputs, family && TEMPLATES[family], false);
}

describe('mapping onto real model schemas (shared/replicate-model-input-schemas.json)', () => {
  it('covers the chat models of the file, and only those', () => {
    expect(chatModels.map(([name]) => name)).toHaveLength(12);
    expect(chatModels.map(([name]) => name)).not.toContain('black-forest-labs/flux-schnell');
  });

  it.each(chatModels)(
    '%s: the input validates against its schema and uses only its keys',
    (name, { schemas }) => {
      const { input } = map(name, schemas);
      const validate = validator(schemas);
      expect(validate(input), JSON.stringify(validate.errors)).toBe(true);
      const keys = Object.keys(schemas.Input!.properties!);
      for (const key of Object.keys(input)) expect(keys).toContain(key);
      expect(typeof input.prompt).toBe('string');
    },
  );

  it.each(chatModels)('%s: the token limit goes under the key the schema has', (name, { schemas }) => {
    const { input } = map(name, schemas);
    const key = ['max_tokens', 'max_new_tokens', 'max_length'].find((k) => k in schemas.Input!.properties!);
    expect(input[key!]).toBe(64);
  });

  it('Llama 3: the whole conversation rendered, prompt_template switched to {prompt}', () => {
    const { input } = map(
      'meta/meta-llama-3-70b-instruct',
      models['meta/meta-llama-3-70b-instruct']!.schemas,
    );
    expect(input).toEqual({
      prompt: TEMPLATES.llama3(toTextMessages(params.messages, false)),
      prompt_template: '{prompt}',
      max_tokens: 64,
      temperature: 0.5,
      top_p: 0.9,
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
    });
  });

  it('Llama 2: system_prompt, the inner prompt, max_new_tokens, comma-joined stop_sequences and seed', () => {
    const { input, stops } = map('meta/llama-2-70b-chat', models['meta/llama-2-70b-chat']!.schemas);
    expect(input).toEqual({
      prompt: 'Hi [/INST] Hello! </s><s>[INST] Name a color.',
      system_prompt: 'Be brief.',
      max_new_tokens: 64,
      stop_sequences: '\n\n,END',
      temperature: 0.5,
      top_p: 0.9,
      seed: 7,
    });
    expect(stops).toEqual(['\n\n', 'END']);
  });

  it('a stop containing a comma is left out of stop_sequences but still enforced client-side', () => {
    const { input, stops } = map('meta/llama-2-70b-chat', models['meta/llama-2-70b-chat']!.schemas, {
      stop: ['a, b', 'END'],
    });
    expect(input.stop_sequences).toBe('END');
    expect(stops).toEqual(['a, b', 'END']);
  });

  it('max_completion_tokens wins over max_tokens; a bad limit is an error', () => {
    const schemas = models['meta/meta-llama-3-8b-instruct']!.schemas;
    expect(map('meta/meta-llama-3-8b-instruct', schemas, { max_completion_tokens: 9 }).input.max_tokens).toBe(
      9,
    );
    expect(() => map('meta/meta-llama-3-8b-instruct', schemas, { max_tokens: 0 })).toThrow(
      /Invalid max_tokens 0/,
    );
  });

  it('a model that takes messages gets them as they are', () => {
    const inputs = { keys: new Set(['messages', 'max_tokens', 'temperature']) };
    const { input } = mapChatInput(params, toTextMessages(params.messages, false), inputs, undefined, false);
    expect(input).toEqual({ messages: params.messages, max_tokens: 64, temperature: 0.5 });
  });

  it('a model of unknown family: one turn goes as prompt + system_prompt; several turns need a template', () => {
    const inputs = { keys: new Set(['prompt', 'system_prompt', 'max_new_tokens']) };
    const oneTurn = params.messages.slice(0, 2);
    expect(
      mapChatInput({ ...params, messages: oneTurn }, toTextMessages(oneTurn, false), inputs, undefined, false)
        .input,
    ).toEqual({
      prompt: 'Hi',
      system_prompt: 'Be brief.',
      max_new_tokens: 64,
    });
    expect(() =>
      mapChatInput(params, toTextMessages(params.messages, false), inputs, undefined, false),
    ).toThrow(/pass `template`/);
  });

  it('built-in knowledge matches the real schemas (keys and defaults)', () => {
    for (const [name, { schemas }] of chatModels) {
      const builtIn = builtInInputs(name);
      if (!builtIn) continue;
      const real = inputsFromOpenApi({ components: { schemas } })!;
      for (const key of builtIn.keys) expect(real.keys, `${name}: ${key}`).toContain(key);
      for (const key of [
        'prompt',
        'system_prompt',
        'prompt_template',
        'stop_sequences',
        'max_tokens',
        'max_new_tokens',
      ]) {
        expect(builtIn.keys.has(key), `${name}: ${key}`).toBe(real.keys.has(key));
      }
      expect(builtIn.systemPromptDefault, name).toBe(real.systemPromptDefault);
      expect(builtIn.maxTokensDefault, name).toBe(real.maxTokensDefault);
    }
  });

  it('picks template families by name, Code Llama 34B with Llama 2 (not "llama-3…")', () => {
    expect(templateFamilyOf('meta/codellama-34b-instruct')).toBe('llama2');
    expect(templateFamilyOf('meta/meta-llama-3.1-405b-instruct')).toBe('llama3');
    expect(templateFamilyOf('meta/llama-2-13b-chat')).toBe('llama2');
    expect(templateFamilyOf('meta/meta-llama-3-8b-instruct')).toBe('llama3');
  });

  it('image models are recognised as not text', () => {
    const flux = inputsFromOpenApi({
      components: { schemas: models['black-forest-labs/flux-schnell']!.schemas },
    });
    expect(flux?.textOutput).toBe(false);
  });

  it('developer messages count as system; tool messages are unsupported unless dropped', () => {
    expect(toTextMessages([{ role: 'developer', content: 'Rules' }], false)).toEqual([
      { role: 'system', content: 'Rules' },
    ]);
    expect(() => toTextMessages([{ role: 'tool', content: '{}' }], false)).toThrow(/messages\[0\]\.role/);
    expect(
      toTextMessages(
        [
          { role: 'tool', content: '{}' },
          { role: 'user', content: 'x' },
        ],
        true,
      ),
    ).toEqual([{ role: 'user', content: 'x' }]);
    expect(() => toTextMessages([], false)).toThrow(/non-empty/);
  });
});
