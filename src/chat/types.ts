/**
 * OpenAI chat-completion shapes: the subset replikit accepts and produces. Wire objects keep OpenAI's
 * snake_case so existing OpenAI code and the official `openai` SDK work unchanged.
 */

/** A text part of a message's content. */
export interface ChatContentTextPart {
  type: 'text';
  text: string;
}

/** Any content part; only text parts are supported by Replicate's text models. */
export type ChatContentPart = ChatContentTextPart | { type: string; [key: string]: unknown };

/** One message of the conversation. */
export interface ChatMessage {
  role: 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function';
  content: string | ChatContentPart[] | null;
  name?: string;
  [key: string]: unknown;
}

/** Parameters of `chat.completions.create`, as OpenAI's `ChatCompletionCreateParams`. */
export interface ChatCompletionCreateParams {
  /** `owner/name`, `owner/name:version`, `deployments/owner/name`, `replicate/owner/name` or `replicate:chat:owner/name`. */
  model: string;
  messages: ChatMessage[];
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
  /** One stop sequence or several; enforced client-side as well. */
  stop?: string | string[] | null;
  temperature?: number | null;
  top_p?: number | null;
  seed?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  /** Number of choices: n predictions run in parallel. @default 1 */
  n?: number | null;
  stream?: boolean | null;
  stream_options?: { include_usage?: boolean } | null;
  user?: string;
  metadata?: Record<string, string> | null;
  /** Not supported by Replicate models: rejected unless `dropUnsupported`. */
  tools?: unknown;
  tool_choice?: unknown;
  functions?: unknown;
  function_call?: unknown;
  logprobs?: boolean | null;
  top_logprobs?: number | null;
  logit_bias?: unknown;
  response_format?: { type: string; [key: string]: unknown } | null;
  [key: string]: unknown;
}

/** Token usage; `estimated` (an extension) is true when counted by replikit rather than reported by Replicate. */
export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  estimated?: boolean;
}

export type FinishReason = 'stop' | 'length';

/** A `chat.completion` object. */
export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    message: { role: 'assistant'; content: string; refusal: null };
    finish_reason: FinishReason;
    logprobs: null;
  }>;
  usage: CompletionUsage;
  /**
   * The Replicate predictions behind each choice (an extension, for cost and debugging), and the model this
   * answer replaced when a `fallback` gave it.
   */
  replicate?: { predictions: string[]; fallbackFrom?: string };
}

/** A `chat.completion.chunk` object. */
export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: { role?: 'assistant'; content?: string };
    finish_reason: FinishReason | null;
    logprobs: null;
  }>;
  usage?: CompletionUsage | null;
  /** The model this stream replaced, when a `fallback` gave it (an extension). */
  replicate?: { fallbackFrom?: string };
}
