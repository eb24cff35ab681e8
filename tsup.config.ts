import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    webhooks: 'src/entries/webhooks.ts',
    openai: 'src/entries/openai.ts',
    tokens: 'src/entries/tokens.ts',
    pricing: 'src/entries/pricing.ts',
    testing: 'src/entries/testing.ts',
    cli: 'src/cli/bin.ts',
  },
  format: 'esm',
  target: 'es2023',
  platform: 'neutral',
  dts: true,
  clean: true,
  sourcemap: true,
  splitting: true,
  treeshake: true,
  // Keep `node:http` (the fake's optional server) as written: bundlers for Workers and browsers, and Deno,
  // need the prefix to know it is a Node built-in.
  removeNodeProtocol: false,
  external: [/^node:/],
});
