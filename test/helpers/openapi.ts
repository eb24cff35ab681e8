import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * Replicate's OpenAPI 3.1 file (a copy of shared/replicate-openapi.json in test/fixtures) compiled with ajv's
 * JSON Schema 2020-12 dialect, so the contract test can check what the client sends against the spec.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** The parts of an OpenAPI parameter the tests use. */
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: JsonObject;
}

/** One operation of the spec with its path template as a regular expression. */
export interface Operation {
  id: string;
  method: string;
  template: string;
  /** The template with msw `:param` placeholders, for `route()`. */
  mswPath: string;
  parameters: Parameter[];
  requestBody: { required: boolean; content: Record<string, JsonObject> } | undefined;
  responses: Record<string, { content?: Record<string, { schema: JsonObject }> }>;
  pattern: RegExp;
}

const SPEC_PATH = fileURLToPath(new URL('../fixtures/replicate-openapi.json', import.meta.url));
const COMPONENTS_ID = 'https://replikit.test/openapi/components';
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace', 'query']);

export const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as JsonObject;

/**
 * OpenAPI 3.0's `nullable: true` is not JSON Schema: rewrite it as a type union (and let `null` through an
 * `enum`). Component refs are pointed at the `$defs` of one registered schema.
 */
export function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
      out.$ref = `${COMPONENTS_ID}#/$defs/${value.slice('#/components/schemas/'.length)}`;
    } else {
      out[key] = toJsonSchema(value);
    }
  }
  if (node.nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
  // ajv-formats is CommonJS: under ESM its default export may arrive wrapped.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
    addFormatsModule) as typeof addFormatsModule;
  addFormats(ajv);
  ajv.addFormat('binary', true);
  ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isSafeInteger(value) });
  ajv.addKeyword('example');
  const components = (spec.components as JsonObject).schemas as JsonObject;
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: toJsonSchema(components) } as object);
  return ajv;
}

export const ajv = createAjv();

function resolveParameter(raw: JsonObject): Parameter {
  if (typeof raw.$ref === 'string') {
    const name = raw.$ref.replace('#/components/parameters/', '');
    return ((spec.components as JsonObject).parameters as JsonObject)[name] as unknown as Parameter;
  }
  return raw as unknown as Parameter;
}

function templatePattern(template: string): RegExp {
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/]+)');
  return new RegExp(`^${source}$`);
}

/** Every operation of the spec (37 in the 1.0.0-a1 file). */
export const operations: Operation[] = Object.entries(spec.paths as JsonObject).flatMap(([template, item]) =>
  Object.entries(item as JsonObject)
    .filter(([method]) => METHODS.has(method))
    .map(([method, raw]) => {
      const op = raw as JsonObject;
      return {
        id: op.operationId as string,
        method: method.toUpperCase(),
        template,
        mswPath: template.replace(/\{([^}]+)\}/g, ':$1'),
        parameters: ((op.parameters ?? []) as JsonObject[]).map(resolveParameter),
        requestBody: op.requestBody as unknown as Operation['requestBody'],
        responses: op.responses as unknown as Operation['responses'],
        pattern: templatePattern(template),
      };
    }),
);

/** The operation with this id; throws for an unknown id so a typo cannot pass silently. */
export function operation(id: string): Operation {
  const found = operations.find((op) => op.id === id);
  if (!found) throw new Error(`No operation ${id} in the OpenAPI file`);
  return found;
}

/**
 * The operations whose method and path template match a request URL (path relative to the server URL,
 * `/v1` stripped). A correct request matches exactly one.
 */
export function matchOperations(method: string, url: URL | string): Operation[] {
  const { pathname } = typeof url === 'string' ? new URL(url) : url;
  const path = pathname.replace(/^\/v1(?=\/)/, '');
  return operations.filter((op) => op.method === method.toUpperCase() && op.pattern.test(path));
}

/** The values of the path parameters of a request, by name. */
export function pathParameters(op: Operation, url: URL): Record<string, string> {
  const path = url.pathname.replace(/^\/v1(?=\/)/, '');
  const values = op.pattern.exec(path)?.slice(1) ?? [];
  const names = [...op.template.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(values[index] ?? '')]));
}

const compiled = new Map<string, ValidateFunction>();

function validator(key: string, schema: Json): ValidateFunction {
  let validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(toJsonSchema(schema) as object);
    compiled.set(key, validate);
  }
  return validate;
}

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '(root)'} ${error.message ?? error.keyword}`);
}

/** Validate a value with a schema of the spec; returns readable errors, empty when valid. */
export function validateWith(key: string, schema: Json, value: unknown): string[] {
  const validate = validator(key, schema);
  return validate(value) ? [] : describe(validate.errors);
}

/** Validate a request body against an operation's `requestBody` schema for a media type. */
export function requestBodyErrors(op: Operation, mediaType: string, value: unknown): string[] {
  const media = op.requestBody?.content[mediaType];
  if (!media) return [`${op.id} has no ${mediaType} request body`];
  return validateWith(`${op.id} request ${mediaType}`, media.schema as Json, value);
}

/** Validate a response body against an operation's response schema for a status and media type. */
export function responseErrors(
  op: Operation,
  status: number,
  value: unknown,
  mediaType = 'application/json',
): string[] {
  const media = op.responses[String(status)]?.content?.[mediaType];
  if (!media) return [`${op.id} has no ${status} ${mediaType} response`];
  return validateWith(`${op.id} response ${status} ${mediaType}`, media.schema as Json, value);
}

/** The parameter of an operation by location and name (header names compared case-insensitively). */
export function parameter(op: Operation, location: Parameter['in'], name: string): Parameter | undefined {
  return op.parameters.find(
    (param) => param.in === location && param.name.toLowerCase() === name.toLowerCase(),
  );
}

/** Validate a parameter's string value as sent on the wire, coerced to the schema's scalar type. */
export function parameterErrors(param: Parameter, raw: string): string[] {
  const type = param.schema.type;
  const value =
    type === 'integer' || type === 'number' ? Number(raw) : type === 'boolean' ? raw === 'true' : raw;
  return validateWith(`param ${param.in} ${param.name} ${JSON.stringify(param.schema)}`, param.schema, value);
}
