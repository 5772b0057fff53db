/**
 * Starts the browser tests' network (console-network.ts) and writes what the tests need as JSON to
 * the file named by the first argument; stops it and drops its databases on SIGTERM or SIGINT.
 * Started by global-setup.ts as `node dist/test/console/support/serve.js <file>`.
 */
import 'reflect-metadata';

process.env.LOG_LEVEL ??= 'error';
import { writeFileSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { startConsoleNetwork } from './console-network.js';

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: serve.js <info.json>');
  const network = await startConsoleNetwork({
    databaseAdminUrl: process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    consoleDist: resolve(process.env.CONSOLE_DIST ?? 'apps/console/dist'),
    customers: Number(process.env.CONSOLE_E2E_CUSTOMERS) || undefined,
    // The console's session settings reach the nodes (e.g. a short access token for a journey).
    env: {
      // Outboxes swept every 2 s, merges synchronised every second: the journeys wait for neither.
      SHARING_SWEEP_MS: '2000',
      SEGMENT_MERGE_SYNC_MS: '1000',
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          (entry): entry is [string, string] =>
            /^CONSOLE_(ACCESS_TOKEN_TTL|IDLE_TIMEOUT|SESSION_MAX)_SECONDS$/.test(entry[0]) &&
            entry[1] !== undefined,
        ),
      ),
    },
  });
  writeFileSync(`${out}.tmp`, JSON.stringify(network.info, null, 2));
  renameSync(`${out}.tmp`, out);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    network.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  // The parent (Playwright) going away also stops the network.
  process.on('disconnect', stop);
}

main().catch((error: unknown) => {
  console.error(`console test network failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
