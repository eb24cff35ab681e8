#!/usr/bin/env node
// The `replikit` executable: Ctrl-C aborts the command (and cancels its prediction), then the exit code is set.
import process from 'node:process';
import { main } from './main.js';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort(new DOMException('Interrupted.', 'AbortError')));
process.exitCode = await main(process.argv.slice(2), process, controller.signal);
