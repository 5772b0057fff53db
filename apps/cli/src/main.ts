#!/usr/bin/env node
import 'reflect-metadata';
import { runConcordiaCli } from './concordia-cli.js';

// The CLI talks to a terminal: the JSON logs stay off unless LOG_LEVEL asks for them, except for
// the servers it starts (`start`, `federation start`), which log as main.js does.
const [first, second] = process.argv.slice(2);
const server = first === 'start' || (first === 'federation' && second === 'start');
process.env.LOG_LEVEL ??= server ? 'info' : 'silent';
process.env.SERVICE_NAME ??= server ? (first === 'start' ? 'partner-node' : 'federation') : 'concordia-cli';

runConcordiaCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
