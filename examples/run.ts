// Run an image model and save its outputs. `npx tsx examples/run.ts` (or node >= 22.18 after `npm run build`).
import { writeFile } from 'node:fs/promises';
import { type FileOutput, PredictionFailedError, Replicate } from 'replikit';

const replicate = new Replicate(); // REPLICATE_API_TOKEN from the environment

try {
  const output = await replicate.run<FileOutput[]>('black-forest-labs/flux-schnell', {
    input: { prompt: 'a red fox in the snow, watercolor', num_outputs: 2 },
    cancelAfter: '2m', // Replicate cancels it if it runs longer
    onProgress: ({ status, fraction }) => console.log(status, fraction ?? ''),
  });
  for (const [index, file] of output.entries()) {
    await writeFile(`fox-${index}.webp`, new Uint8Array(await file.arrayBuffer()));
    console.log('saved', String(file));
  }
} catch (error) {
  if (error instanceof PredictionFailedError) console.error('the model failed:', error.error, error.logs);
  else throw error;
}
