#!/usr/bin/env node
import 'reflect-metadata';
import { runCli } from './commands.js';

// The CLI talks to a terminal: the node's JSON logs stay off unless LOG_LEVEL asks for them.
process.env.LOG_LEVEL ??= 'silent';
process.env.SERVICE_NAME ??= 'partner-node-cli';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
