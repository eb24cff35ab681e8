/**
 * `replikit/openai` — OpenAI's wire format served from a Replicate client: an edge-ready handler and a
 * `fetch` for the official `openai` SDK or any OpenAI-compatible client.
 */
export { type OpenAIErrorBody, toOpenAIError } from '../openai/errors.js';
export { createOpenAIFetch, createOpenAIHandler, type OpenAIHandlerOptions } from '../openai/handler.js';
