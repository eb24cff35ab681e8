import { defineConfig } from 'tsup';

// One JavaScript file per source file, not bundles: an app's bundler then drops every module it does not
// reach (`sideEffects: false`), where shared chunks would carry each other's top-level code (schemas, tables)
// into bundles that use none of it. Declarations come from `tsc -p tsconfig.build.json`.
export default defineConfig({
  entry: ['src/**/*.ts'],
  format: 'esm',
  target: 'es2023',
  platform: 'neutral',
  bundle: false,
  dts: false,
  clean: true,
  sourcemap: true,
});
