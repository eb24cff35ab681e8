import type { JsonSchema } from './model.js';

/** A preset model's published version and schemas (`openapi_schema.components.schemas`). */
export interface PresetSchema {
  description: string;
  /** The 64-hex id of the latest version; derived from the name when unpublished. */
  version?: string;
  versionCreatedAt?: string;
  cogVersion?: string;
  /** `components.schemas.Input`. */
  input: JsonSchema;
  /** `components.schemas.Output`. */
  output: JsonSchema;
  /** Other component schemas the input refers to (enums). */
  schemas?: Record<string, JsonSchema>;
}
