// Send a local file as a model input: any Blob, File, ArrayBuffer, typed array or ReadableStream in
// `input` is uploaded through the files API (or inlined with fileEncoding: 'data-uri').
import { readFile } from 'node:fs/promises';
import { Replicate } from 'replikit';

const replicate = new Replicate();
const audio = new Blob([await readFile(process.argv[2] ?? 'speech.wav')], { type: 'audio/wav' });

const transcript = await replicate.run(
  'vaibhavs10/incredibly-fast-whisper:3ab86df6c8f54c11309d4d1f930ac292bad43ace52d10c80d87eb258b3c9f79c',
  {
    input: { audio, task: 'transcribe' },
  },
);
console.log(transcript);

// Files can also be managed directly.
const file = await replicate.files.create(audio, { filename: 'speech.wav', metadata: { source: 'example' } });
console.log(file.id, file.urls.get);
await replicate.files.delete(file.id);
