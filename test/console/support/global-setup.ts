/**
 * Playwright's global setup: starts the browser tests' network once (serve.ts, compiled, in a child
 * process), waits for its JSON description, and hands its path to the tests through
 * CONSOLE_NETWORK_INFO (read with `consoleNetwork()` of network-info.ts). The returned teardown
 * stops the network, which drops its databases.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const SERVER = resolve('dist/test/console/support/serve.js');
const STARTUP_MS = 8 * 60_000;

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(SERVER)) {
    throw new Error(`${SERVER} is missing: run "npm run build" before the browser tests`);
  }
  const dir = resolve('.data/e2e');
  mkdirSync(dir, { recursive: true });
  const info = join(dir, `console-network-${process.pid}.json`);
  rmSync(info, { force: true });
  const child = spawn(process.execPath, [SERVER, info], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const deadline = Date.now() + STARTUP_MS;
  let stopped: number | null | undefined;
  void exited.then((code) => (stopped = code));
  while (!existsSync(info)) {
    if (stopped !== undefined) throw new Error(`the console test network stopped (exit code ${stopped})`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error('the console test network did not start within 8 minutes');
    }
    await new Promise((resume) => setTimeout(resume, 250));
  }
  process.env.CONSOLE_NETWORK_INFO = info;
  return async () => {
    if (stopped === undefined) {
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(info, { force: true });
  };
}
