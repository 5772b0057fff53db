/**
 * A test federation in a process of its own, for benches that measure the node's and the
 * federation's CPU apart (consents-bulk.bench.ts): started on its own fresh database, it answers
 * its parent over IPC with its URL, the operator's token and its database URL, then with its CPU
 * use on demand, and closes (dropping its database) when asked.
 */
import 'reflect-metadata';
import { startTestFederation } from '../apps/federation/src/testing/test-federation.js';

export interface FederationProcessReady {
  kind: 'ready';
  url: string;
  operatorToken: string;
  databaseUrl: string;
}

const label = process.argv[2] ?? 'bench_fed';

async function main(): Promise<void> {
  const federation = await startTestFederation(label);
  process.on('message', (message: { kind: string }) => {
    if (message.kind === 'cpu') process.send!({ kind: 'cpu', usage: process.cpuUsage() });
    if (message.kind === 'close') {
      void federation.close().then(() => process.exit(0));
    }
  });
  const ready: FederationProcessReady = {
    kind: 'ready',
    url: federation.url,
    operatorToken: federation.operatorToken,
    databaseUrl: federation.db.url,
  };
  process.send!(ready);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
