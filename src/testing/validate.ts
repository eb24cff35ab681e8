import type { JsonSchema } from './model.js';
import type { InvalidField } from './responses.js';

/**
 * Request validation in Replicate's words. Its 422s come from gojsonschema: `invalid_fields[].type` is
 * `required`, `additional_property_not_allowed`, `invalid_type`, `enum`, `number_gte`, `number_lte`, with
 * gojsonschema's descriptions.
 */

const CREATE_KEYS = ['input', 'stream', 'webhook', 'webhook_events_filter'];
const EVENTS = ['start', 'output', 'logs', 'completed'];

/** Check a create body's top-level keys (`additionalProperties: false`) and their types. */
export function validateCreateBody(body: unknown, withVersion: boolean): InvalidField[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return [
      {
        type: 'invalid_type',
        field: '',
        description: `Invalid type. Expected: object, given: ${typeName(body)}`,
      },
    ];
  }
  const allowed = withVersion ? ['version', ...CREATE_KEYS] : CREATE_KEYS;
  const record = body as Record<string, unknown>;
  const fields: InvalidField[] = [];
  for (const key of [...(withVersion ? ['version'] : []), 'input']) {
    if (!(key in record)) fields.push({ type: 'required', field: '', description: `${key} is required` });
  }
  for (const key of Object.keys(record)) {
    if (!allowed.includes(key)) {
      fields.push({
        type: 'additional_property_not_allowed',
        field: '',
        description: `Additional property ${key} is not allowed`,
      });
    }
  }
  const expect = (key: string, type: string, ok: boolean) => {
    if (key in record && !ok) fields.push(typeError(key, type, record[key]));
  };
  expect('input', 'object', isObject(record.input));
  expect('version', 'string', typeof record.version === 'string');
  expect('stream', 'boolean', typeof record.stream === 'boolean');
  expect('webhook', 'string', typeof record.webhook === 'string');
  const filter = record.webhook_events_filter;
  expect('webhook_events_filter', 'array', Array.isArray(filter));
  if (Array.isArray(filter)) {
    filter.forEach((event, index) => {
      if (!EVENTS.includes(event as string)) {
        fields.push({
          type: 'enum',
          field: `webhook_events_filter.${index}`,
          description: `webhook_events_filter.${index} must be one of the following: ${EVENTS.map((e) => `"${e}"`).join(', ')}`,
        });
      }
    });
  }
  return fields;
}

/** Check a model input against the version's `Input` schema (unknown input keys are let through). */
export function validateInput(
  input: Record<string, unknown>,
  schema: JsonSchema | undefined,
  components: Record<string, JsonSchema>,
): InvalidField[] {
  if (!schema) return [];
  const fields: InvalidField[] = [];
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  for (const key of required) {
    if (input[key] === undefined)
      fields.push({ type: 'required', field: 'input', description: `${key} is required` });
  }
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  for (const [key, value] of Object.entries(input)) {
    const property = properties[key];
    if (!property || value === undefined) continue;
    const field = `input.${key}`;
    const resolved = resolve(property, components);
    const type = resolved.type as string | undefined;
    if (type && !hasType(value, type)) {
      fields.push(typeError(field, type, value));
      continue;
    }
    if (Array.isArray(resolved.enum) && !resolved.enum.includes(value)) {
      const allowed = resolved.enum.map((item) => JSON.stringify(item)).join(', ');
      fields.push({ type: 'enum', field, description: `${key} must be one of the following: ${allowed}` });
    }
    if (typeof value === 'number') {
      if (typeof resolved.minimum === 'number' && value < resolved.minimum) {
        fields.push({
          type: 'number_gte',
          field,
          description: `Must be greater than or equal to ${resolved.minimum}`,
        });
      }
      if (typeof resolved.maximum === 'number' && value > resolved.maximum) {
        fields.push({
          type: 'number_lte',
          field,
          description: `Must be less than or equal to ${resolved.maximum}`,
        });
      }
    }
  }
  return fields;
}

/** Merge `allOf: [{ $ref: '#/components/schemas/x' }]` (how Cog writes enums) into the property. */
function resolve(property: JsonSchema, components: Record<string, JsonSchema>): JsonSchema {
  let merged: JsonSchema = { ...property };
  const parts = Array.isArray(property.allOf) ? (property.allOf as JsonSchema[]) : [];
  const refs = typeof property.$ref === 'string' ? [{ $ref: property.$ref }] : [];
  for (const part of [...parts, ...refs]) {
    const ref = typeof part.$ref === 'string' ? part.$ref.replace('#/components/schemas/', '') : undefined;
    merged = { ...(ref ? components[ref] : part), ...merged };
  }
  return merged;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
    case 'boolean':
      return typeof value === type;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    default:
      return true;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeError(field: string, expected: string, value: unknown): InvalidField {
  return {
    type: 'invalid_type',
    field,
    description: `Invalid type. Expected: ${expected}, given: ${typeName(value)}`,
  };
}
