/**
 * The main job: `npm run demo`. Starts a partner node on embedded defaults (PGlite in memory, no
 * Redis needed), fills it with realistic demo data through the product itself, checks it answers
 * over GraphQL, prints the endpoint and ready-to-use logins, and keeps running (Ctrl+C stops it).
 *
 *   npm run demo -- --once            run the scenario, print the summary, exit (non-zero on failure)
 *   npm run demo -- --customers 5000  a bigger customer base (default 1500)
 *
 * With DATABASE_URL set, the demo uses that PostgreSQL server instead: it creates (and recreates on
 * each run) a database of its own, `concordia_demo_<partner>`, next to the one in the URL. REDIS_URL
 * is used when set.
 */
import 'reflect-metadata';

// The demo prints its own readable summary; the JSON logs would only interleave with it.
process.env.LOG_LEVEL ??= 'error';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { bootstrapNode } from '../apps/partner-node/src/bootstrap.js';
import { loadPartnerNodeConfig } from '../apps/partner-node/src/config.js';
import type { DemoPartnerProfile } from '../apps/partner-node/src/demo/demo-population.js';
import { seedDemoNode, type StepReporter } from '../apps/partner-node/src/demo/demo-seed.js';

const { values: args } = parseArgs({
  options: {
    once: { type: 'boolean', default: false },
    customers: { type: 'string', default: '1500' },
    port: { type: 'string', default: '4000' },
  },
});

const started = performance.now();
let failed = false;

const step: StepReporter = async (name, run, describe) => {
  const t0 = performance.now();
  process.stdout.write(`  … ${name}\n`);
  try {
    const result = await run();
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    process.stdout.write(`  ✓ ${describe ? describe(result) : name} (${seconds} s)\n`);
    return result;
  } catch (error) {
    failed = true;
    process.stdout.write(`  ✗ ${name}: ${(error as Error).message}\n`);
    throw error;
  }
};

/** A fresh database on the server of DATABASE_URL, or the embedded in-memory one. */
async function databaseFor(partnerId: string): Promise<Record<string, string>> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { DATA_DIR: `memory://demo-${partnerId}` };
  const name = `concordia_demo_${partnerId.replace(/-/g, '_')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { DATABASE_URL: url.toString() };
}

async function graphql(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data!;
}

async function main(): Promise<void> {
  const profile: DemoPartnerProfile = {
    partnerId: 'retailer',
    kind: 'electronics-retailer',
    customers: Number(args.customers),
    seed: 1001,
  };
  if (!Number.isInteger(profile.customers) || profile.customers < 10) {
    throw new Error('--customers must be a whole number of at least 10');
  }
  console.log(`Concordia demo: partner node "${profile.partnerId}" (${profile.kind})`);
  console.log(
    process.env.DATABASE_URL
      ? '  database: PostgreSQL server from DATABASE_URL'
      : '  database: embedded PGlite, in memory',
  );
  console.log(process.env.REDIS_URL ? '  redis: from REDIS_URL' : '  redis: not needed');

  const database = await databaseFor(profile.partnerId);
  const config = loadPartnerNodeConfig({
    ...process.env,
    ...database,
    PARTNER_ID: profile.partnerId,
    PORT: args.port,
    AUTH_TOKEN_TTL_SECONDS: process.env.AUTH_TOKEN_TTL_SECONDS ?? '28800',
  });
  const { app, url } = await step(
    'start the node and run migrations',
    () => bootstrapNode(config),
    (n) => `node up at ${n.url}`,
  );
  const seeded = await seedDemoNode(app, profile, step);
  const agent = seeded.users.find((u) => u.role === 'agent')!;

  await step(
    'check: search and a customer timeline through GraphQL over HTTP',
    async () => {
      const found = (
        await graphql(
          url,
          agent.token,
          `
            {
              searchCustomers(query: "martin", first: 5) {
                id
                displayName
              }
            }
          `,
        )
      ).searchCustomers as { id: string; displayName: string }[];
      if (found.length === 0) throw new Error('search found nobody');
      const timeline = (await graphql(
        url,
        agent.token,
        `
          query ($id: ID!) {
            customerTimeline(customerId: $id, first: 10) {
              edges {
                node {
                  kind
                  title
                }
              }
            }
          }
        `,
        { id: found[0].id },
      )) as { customerTimeline: { edges: unknown[] } };
      return { name: found[0].displayName, items: timeline.customerTimeline.edges.length };
    },
    (r) => `search finds "${r.name}", whose timeline shows ${r.items} item(s)`,
  );

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`
Demo ready in ${seconds} s: ${seeded.customers} customers, ${seeded.orders} order lines, ${seeded.careCases} care cases, ${seeded.interactions} interactions, ${seeded.leads} leads.

GraphQL endpoint:  ${url}/graphql   (GraphiQL in a browser)
Health:            ${url}/health

Logins (password login: mutation { login(input: {email, password}) { token } }):`);
  for (const user of seeded.users) {
    console.log(`  ${user.role.padEnd(10)} ${user.email.padEnd(32)} password ${user.password}`);
  }
  console.log(`
Ready-to-use bearer tokens (valid ${Math.round(config.auth.tokenTtlSeconds / 3600)} h):`);
  for (const user of seeded.users) console.log(`  ${user.role.padEnd(10)} ${user.token}`);
  console.log(`
Try:
  curl -s ${url}/graphql -H 'content-type: application/json' -H 'authorization: Bearer <agent token>' \\
    -d '{"query":"{ searchCustomers(query: \\"martin\\", first: 3) { displayName emails { address } } }"}'
`);

  if (args.once) {
    await app.close();
    return;
  }
  console.log('The node keeps running; Ctrl+C stops it.');
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  if (!failed) console.error(error);
  process.exit(1);
});
