/**
 * The main job: `npm run demo`. Starts a whole Concordia network in one process — the federation
 * and three partner nodes (a consumer-electronics retailer, a telecom operator, an insurer), each
 * on its own embedded PostgreSQL (PGlite, in memory), with an in-process queue (no Redis) — and
 * plays the scenario of scripts/demo/steps.ts through the product's own APIs: onboarding and
 * agreements, overlapping customer bases, consents, two marketers' segments merged (overlap by
 * country, small cells suppressed, a campaign on the consented intersection), the care desk's
 * merged timeline, a withdrawal with purge receipts, the federation's and the nodes' ledgers
 * verified offline. Then it keeps the network running and prints each node's web console URL
 * (`http://127.0.0.1:400x/`, built by `npm run build`), the operator's console at the federation
 * and every GraphQL endpoint, with each demo user's e-mail and password (for the console's
 * sign-in) and a ready-to-use bearer token (Ctrl+C stops it).
 *
 *   npm run demo -- --once            run the scenario and exit (non-zero if a step failed)
 *   npm run demo -- --customers 5000  customers per partner (default 2000)
 *   npm run demo -- --port 0          free ports (default: nodes on 4001-4003, federation on 4100)
 *
 * With DATABASE_URL set it uses that PostgreSQL server instead: it (re)creates a database per
 * service next to the one in the URL, `concordia_demo_<federation|retailer|telecom|insurer>`.
 * With REDIS_URL set the nodes' queues are BullMQ on that Redis, under `concordia-demo:<partner>`.
 */
// First: on embedded defaults, PostgreSQL's initdb starts in a worker while the rest loads.
import './demo/warm-up.js';
import 'reflect-metadata';

// The demo prints its own readable summary; the JSON logs would only interleave with it.
process.env.LOG_LEVEL ??= 'error';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Role } from '../apps/partner-node/src/users/role.js';
import { DEMO_TOKEN_TTL_SECONDS, startDemoNetwork, type DemoNetwork } from './demo/network.js';
import { print, runSteps } from './demo/report.js';
import { DEMO_STEPS, type DemoContext } from './demo/steps.js';

/**
 * A snappy network (the nodes' settings; the variables, when set, win). Outboxes and withdrawals
 * are swept every second (default five; the least the node accepts): the embedded database has no
 * LISTEN/NOTIFY, so a withdrawal's purges wait for a sweep, and a sweep with nothing to do costs a
 * few statements per node. Segment merges: the nodes check the federation for their merges'
 * progress every second (default 30).
 */
const DEMO_NODE_SETTINGS = {
  SHARING_SWEEP_MS: process.env.SHARING_SWEEP_MS || '1000',
  SEGMENT_MERGE_SYNC_MS: process.env.SEGMENT_MERGE_SYNC_MS || '1000',
};

const { values: args } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    customers: { type: 'string', default: '2000' },
    port: { type: 'string', default: '4000' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});

function printEndpoints(network: DemoNetwork): void {
  const hours = Math.round(DEMO_TOKEN_TTL_SECONDS / 3600);
  print(`
The web console of each node (sign in with the e-mail and password of one of its users below):
`);
  for (const node of network.nodes) {
    print(`  ${node.profile.partnerId.padEnd(12)} ${node.url}/   (${node.name})`);
  }
  print(`
The operator's web console at the federation (sign in with the operator's e-mail and password below):

  federation   ${network.federation.url}/

The network is running. GraphQL endpoints (GraphiQL in a browser; send "authorization: Bearer <token>"):

  federation   ${network.federation.url}/graphql
    operator   ${network.federation.operator.email}  password ${network.federation.operator.password}
               ${network.federation.operator.token}`);
  for (const node of network.nodes) {
    print(`
  ${node.profile.partnerId.padEnd(12)} ${node.url}/graphql   (${node.name}; health: ${node.url}/health)`);
    for (const role of [Role.AGENT, Role.MARKETER, Role.COMPLIANCE, Role.ADMIN]) {
      const user = node.users.find((u) => u.role === role)!;
      print(`    ${role.padEnd(10)} ${user.email}  password ${user.password}`);
      print(`               ${user.token}`);
    }
  }
  const telecom = network.node('telecom');
  print(`
Tokens are valid ${hours} h. Try, as the telecom's agent:
  curl -s ${telecom.url}/graphql -H 'content-type: application/json' \\
    -H 'authorization: Bearer ${telecom.token(Role.AGENT).slice(0, 16)}…' \\
    -d '{"query":"{ searchCustomers(query: \\"martin\\", first: 3) { id displayName } }"}'
`);
}

async function main(): Promise<number> {
  const customers = Number(args.customers);
  const port = Number(args.port);
  if (!Number.isInteger(customers) || customers < 50 || customers > 200_000) {
    throw new Error('--customers must be a whole number from 50 to 200000');
  }
  if (!Number.isInteger(port) || port < 0 || port > 65_000)
    throw new Error('--port must be 0 or a port number');
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const redisUrl = process.env.REDIS_URL || undefined;
  const started = performance.now();
  print('Concordia demo: a federation and three partner nodes (retailer, telecom operator, insurer)');
  print(
    `  database: ${databaseUrl ? 'PostgreSQL server from DATABASE_URL (databases concordia_demo_*)' : 'embedded PGlite, in memory, one per service'}`,
  );
  print(
    `  queues:   ${redisUrl ? 'BullMQ on REDIS_URL (prefix concordia-demo:)' : 'in process (no Redis needed)'}`,
  );
  print(`  size:     ${customers.toLocaleString('en')} customers per partner, fixed seed`);

  print('\nStarting the network');
  const network = await startDemoNetwork({
    customers,
    host: args.host,
    port,
    databaseUrl,
    redisUrl,
    env: DEMO_NODE_SETTINGS,
  });
  const context: DemoContext = {
    network,
    now: new Date(),
    outDir: resolve('.data/demo'),
    seeded: new Map(),
    agreements: new Map(),
    consents: new Map(),
  };
  const ok = await runSteps(DEMO_STEPS, context);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  print(`\n${ok ? 'Scenario done' : 'Scenario FAILED'} in ${seconds} s.`);
  printEndpoints(network);

  if (args.once) {
    await network.close();
    return ok ? 0 : 1;
  }
  print('The network keeps running; Ctrl+C stops it.');
  await new Promise<void>((done) => {
    const stop = () => void network.close().finally(done);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
