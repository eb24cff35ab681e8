import { InvalidRequestError } from '../errors.js';

/**
 * A chat parameter Replicate's models cannot honour (`tools`, `logprobs`, a JSON schema response
 * format, images for a text-only model…). Pass `dropUnsupported: true` to ignore such parameters instead.
 */
export class UnsupportedParameterError extends InvalidRequestError {
  override name = 'UnsupportedParameterError';
  /** The parameter, e.g. `'tools'` or `'messages[1].content[0]'`. */
  readonly param: string;

  constructor(param: string, why: string) {
    const message = `Unsupported parameter \`${param}\`: ${why} (pass dropUnsupported: true to ignore it).`;
    super(message, { problem: { detail: message, invalid_fields: [{ field: param, description: why }] } });
    this.param = param;
  }
}
