/** `--help` text of every command. */
export const HELP: Record<string, string> = {
  main: `replikit — Replicate from the command line

Usage: replikit <command> [options]

Commands:
  run <model> -i key=value …     run a model and print its output
  stream <model> -i key=value …  run a model, printing output events as they arrive (run --stream)
  chat <model> "message"         chat with a language model (streams the answer)
  predictions list|get|cancel    list, show or cancel predictions
  tokens <file|->                estimate the tokens of a text
  cost <id> | --model m …        cost of a prediction, or an estimate before a call

Options for every command:
  --json        machine-readable output
  --fake        use the embedded fake Replicate (no token, no network)
  -h, --help    help for the command

Environment: REPLICATE_API_TOKEN. Exit codes: 0 ok, 1 prediction failed, 2 usage, 3 API error.`,
  run: `Usage: replikit run <model> [-i key=value …] [--stream] [--wait N] [--cancel-after 5m] [--json]

  <model>             owner/name, owner/name:version, a version id or deployments/owner/name
  -i key=value        an input; JSON values keep their type (-i steps=4); key=@path uploads a file
  --stream            print output events as they arrive
  --wait N            seconds to hold the create request open (1-60)
  --cancel-after D    let Replicate cancel it after D ('90s', '5m', '1h30m'; at least 5 s)
  --json              print the whole final prediction as JSON`,
  stream: `Usage: replikit stream <model> [-i key=value …] [--json]

  The same as replikit run --stream: output events printed as they arrive (--json: one event per line).`,
  chat: `Usage: replikit chat <model> "message" [--system text] [--max-tokens N] [--json]

  Streams the answer of a chat model (OpenAI-style mapping of messages and max_tokens).
  --json prints the whole chat.completion object instead.`,
  predictions: `Usage: replikit predictions list [--limit 20] | get <id> | cancel <id> [--json]`,
  tokens: `Usage: replikit tokens <file|-> [--model owner/name] [--json]

  Estimates the tokens of the text with the model's tokenizer family (no vocabulary needed).`,
  cost: `Usage: replikit cost <prediction-id> [--hardware sku] [--json]
       replikit cost --model m [--input-tokens N] [--output-tokens N] [--images N] [--seconds N] [--hardware sku]

  The USD cost of a finished prediction, or an estimate before a call.`,
};
