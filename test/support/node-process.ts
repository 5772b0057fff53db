import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { waitFor } from '../../apps/partner-node/src/testing/network.js';

/**
 * A partner node as a real OS process (`node dist/apps/partner-node/src/main.js`, built by
 * `npm run build`), for the tests that kill one with SIGKILL. Its env is the whole configuration.
 */
export const NODE_MAIN = resolve('dist/apps/partner-node/src/main.js');

export function nodeMainMissing(): string | undefined {
  return existsSync(NODE_MAIN) ? undefined : `${NODE_MAIN} is missing: run \`npm run build\` first`;
}

export class NodeProcess {
  private child: ChildProcess | undefined;
  private stderr = '';

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [NODE_MAIN], {
      env: { PATH: process.env.PATH ?? '', ...this.env, HOST: '127.0.0.1', PORT: String(this.port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.child = child;
    await waitFor(
      `${this.name} to answer /health`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${this.name} exited ${child.exitCode}: ${this.stderr}`);
        return fetch(`${this.url}/health`).then(
          () => true,
          () => false,
        );
      },
      60_000,
    );
  }

  /** kill -9: no shutdown hook, open transactions and connections simply vanish. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM and wait (the node closes its queues and pools). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
