/** A chat turn reduced to text: what every prompt template works on. */
export interface TextMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The template families Replicate's chat models use. */
export type TemplateFamily = 'llama2' | 'llama3' | 'mistral' | 'chatml' | 'deepseek' | 'granite' | 'gemma';

/**
 * A prompt template: turns a conversation into the one prompt string a completion model reads,
 * ending with the cue for the assistant's next turn.
 */
export type PromptTemplate = (messages: readonly TextMessage[]) => string;

/** The system text (system messages joined), `undefined` without one, and the other turns. */
export function splitSystem(messages: readonly TextMessage[]): {
  system: string | undefined;
  turns: TextMessage[];
} {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
  return {
    system: system.length > 0 ? system.join('\n\n') : undefined,
    turns: messages.filter((m) => m.role !== 'system'),
  };
}

/** For families without a system role: the system text goes in front of the first user turn. */
function foldSystem(messages: readonly TextMessage[]): TextMessage[] {
  const { system, turns } = splitSystem(messages);
  if (system === undefined) return turns;
  // `turns` is a fresh array: take the first user turn out to merge it.
  const first = turns[0]?.role === 'user' ? `\n\n${turns.shift()!.content}` : '';
  return [{ role: 'user', content: system + first }, ...turns];
}

/** Meta's Llama 2 chat format: `<<SYS>>` inside the first `[INST]`, each exchange in `<s>…</s>`. */
const llama2: PromptTemplate = (messages) => {
  let { system, turns } = splitSystem(messages);
  let out = '';
  for (const turn of turns) {
    if (turn.role === 'user') {
      // The system block goes in the first user turn only.
      const sys = system === undefined ? '' : `<<SYS>>\n${system}\n<</SYS>>\n\n`;
      out += `<s>[INST] ${sys}${turn.content.trim()} [/INST]`;
      system = undefined;
    } else {
      out += ` ${turn.content.trim()} </s>`;
    }
  }
  return out;
};

/** Llama 3 / 3.1 / 3.3: header ids around each role, `<|eot_id|>` after each turn. */
const llama3: PromptTemplate = (messages) => {
  let out = '<|begin_of_text|>';
  for (const m of messages) {
    out += `<|start_header_id|>${m.role}<|end_header_id|>\n\n${m.content.trim()}<|eot_id|>`;
  }
  return `${out}<|start_header_id|>assistant<|end_header_id|>\n\n`;
};

/** Mistral / Mixtral instruct (v0.1–v0.3): `[INST] … [/INST]`, answers closed by `</s>`, no system role. */
const mistral: PromptTemplate = (messages) => {
  let out = '<s>';
  for (const turn of foldSystem(messages)) {
    out += turn.role === 'user' ? `[INST] ${turn.content.trim()} [/INST]` : `${turn.content.trim()}</s>`;
  }
  return out;
};

/** ChatML (Qwen and others): `<|im_start|>role\n…<|im_end|>`. */
const chatml: PromptTemplate = (messages) => {
  let out = '';
  for (const m of messages) out += `<|im_start|>${m.role}\n${m.content}<|im_end|>\n`;
  return `${out}<|im_start|>assistant\n`;
};

/** DeepSeek V3 / R1: `<｜User｜>` and `<｜Assistant｜>` markers, system text right after BOS. */
const deepseek: PromptTemplate = (messages) => {
  const { system, turns } = splitSystem(messages);
  let out = `<｜begin▁of▁sentence｜>${system ?? ''}`;
  for (const turn of turns) {
    out +=
      turn.role === 'user'
        ? `<｜User｜>${turn.content}`
        : `<｜Assistant｜>${turn.content}<｜end▁of▁sentence｜>`;
  }
  return `${out}<｜Assistant｜>`;
};

/** IBM Granite 3.x: `<|start_of_role|>role<|end_of_role|>…<|end_of_text|>`. */
const granite: PromptTemplate = (messages) => {
  let out = '';
  for (const m of messages) out += `<|start_of_role|>${m.role}<|end_of_role|>${m.content}<|end_of_text|>\n`;
  return `${out}<|start_of_role|>assistant<|end_of_role|>`;
};

/** Gemma: `<start_of_turn>user|model`, no system role (folded into the first user turn). */
const gemma: PromptTemplate = (messages) => {
  let out = '<bos>';
  for (const turn of foldSystem(messages)) {
    out += `<start_of_turn>${turn.role === 'user' ? 'user' : 'model'}\n${turn.content}<end_of_turn>\n`;
  }
  return `${out}<start_of_turn>model\n`;
};

/** Every built-in template by family. */
export const TEMPLATES: Readonly<Record<TemplateFamily, PromptTemplate>> = {
  llama2,
  llama3,
  mistral,
  chatml,
  deepseek,
  granite,
  gemma,
};

/** The stop sequence each family's model emits at the end of a turn (enforced client-side too). */
export const TEMPLATE_STOPS: Readonly<Record<TemplateFamily, string>> = {
  llama2: '</s>',
  llama3: '<|eot_id|>',
  mistral: '</s>',
  chatml: '<|im_end|>',
  deepseek: '<｜end▁of▁sentence｜>',
  granite: '<|end_of_text|>',
  gemma: '<end_of_turn>',
};

const PLACEHOLDER = '\u0000PROMPT\u0000';

/**
 * Split a rendered conversation for a model whose server applies the template itself around
 * `prompt` (with `system_prompt`): returns the part between the server's opening (system + first
 * user header) and its closing (assistant cue), or `undefined` when the conversation cannot be
 * expressed that way (e.g. it does not start with a user turn).
 */
export function innerPrompt(
  template: PromptTemplate,
  messages: readonly TextMessage[],
  system: string,
): string | undefined {
  const [open, close] = template([
    { role: 'system', content: system },
    { role: 'user', content: PLACEHOLDER },
  ]).split(PLACEHOLDER) as [string, string];
  const { turns } = splitSystem(messages);
  const full = template([{ role: 'system', content: system }, ...turns]);
  if (turns[0]?.role !== 'user' || !full.startsWith(open) || !full.endsWith(close)) return undefined;
  return full.slice(open.length, full.length - close.length);
}
