import { TEMPLATES, type TextMessage } from 'replikit';
import { describe, expect, it } from 'vitest';
import { innerPrompt } from '../../src/chat/templates';

const conversation: TextMessage[] = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: 'Hi' },
  { role: 'assistant', content: 'Hello!' },
  { role: 'user', content: 'Name a color.' },
];

// Golden prompts: the exact special tokens of each family's published chat template.
describe('prompt templates', () => {
  it('llama3: header ids and <|eot_id|> per turn, ending with the assistant header', () => {
    expect(TEMPLATES.llama3(conversation)).toBe(
      '<|begin_of_text|>' +
        '<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\nHello!<|eot_id|>' +
        '<|start_header_id|>user<|end_header_id|>\n\nName a color.<|eot_id|>' +
        '<|start_header_id|>assistant<|end_header_id|>\n\n',
    );
  });

  it('llama2: <<SYS>> inside the first [INST], each exchange closed by </s>', () => {
    expect(TEMPLATES.llama2(conversation)).toBe(
      '<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello! </s><s>[INST] Name a color. [/INST]',
    );
  });

  it('mistral (the Hugging Face chat template): no system role, the system text leads the first user turn', () => {
    expect(TEMPLATES.mistral(conversation)).toBe(
      '<s>[INST] Be brief.\n\nHi [/INST]Hello!</s>[INST] Name a color. [/INST]',
    );
  });

  it('chatml (Qwen): <|im_start|>role … <|im_end|>', () => {
    expect(TEMPLATES.chatml(conversation)).toBe(
      '<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n' +
        '<|im_start|>assistant\nHello!<|im_end|>\n<|im_start|>user\nName a color.<|im_end|>\n<|im_start|>assistant\n',
    );
  });

  it('deepseek: fullwidth markers, system text after BOS', () => {
    expect(TEMPLATES.deepseek(conversation)).toBe(
      '<｜begin▁of▁sentence｜>Be brief.<｜User｜>Hi<｜Assistant｜>Hello!<｜end▁of▁sentence｜>' +
        '<｜User｜>Name a color.<｜Assistant｜>',
    );
  });

  it('granite: start/end of role markers', () => {
    expect(TEMPLATES.granite(conversation)).toBe(
      '<|start_of_role|>system<|end_of_role|>Be brief.<|end_of_text|>\n' +
        '<|start_of_role|>user<|end_of_role|>Hi<|end_of_text|>\n' +
        '<|start_of_role|>assistant<|end_of_role|>Hello!<|end_of_text|>\n' +
        '<|start_of_role|>user<|end_of_role|>Name a color.<|end_of_text|>\n' +
        '<|start_of_role|>assistant<|end_of_role|>',
    );
  });

  it('gemma: user/model turns, system folded into the first user turn', () => {
    expect(TEMPLATES.gemma(conversation)).toBe(
      '<bos><start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\nHello!<end_of_turn>\n' +
        '<start_of_turn>user\nName a color.<end_of_turn>\n<start_of_turn>model\n',
    );
  });

  it('a system message with no user turn after it still reaches a system-less family', () => {
    expect(TEMPLATES.mistral([{ role: 'system', content: 'Only rules.' }])).toBe(
      '<s>[INST] Only rules. [/INST]',
    );
  });
});

describe('innerPrompt (for models that template prompt + system_prompt themselves)', () => {
  it('is the bare user text for one turn', () => {
    expect(innerPrompt(TEMPLATES.llama2, [{ role: 'user', content: 'Hi' }], 'S')).toBe('Hi');
  });

  it('carries earlier turns inside the server template for several turns', () => {
    expect(innerPrompt(TEMPLATES.llama2, conversation, 'Be brief.')).toBe(
      'Hi [/INST] Hello! </s><s>[INST] Name a color.',
    );
  });

  it('is undefined when the conversation starts with an assistant turn', () => {
    expect(innerPrompt(TEMPLATES.llama3, [{ role: 'assistant', content: 'Hi' }], '')).toBeUndefined();
  });
});
