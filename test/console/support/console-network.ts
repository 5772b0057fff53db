/**
 * The network the browser tests run against: the demo's federation and three partner nodes
 * (scripts/demo/network.ts) on the machine's PostgreSQL and Redis, each node serving the built
 * console, filled by the demo's own steps (scripts/demo/steps.ts: onboarding and agreements,
 * customer bases, consents, the care desk's shared timeline) — the same data path as `npm run demo`,
 * on a small scale. It answers the base URLs, every user's credentials and the well-known customer.
 *
 * Used through serve.ts (a child process started by Playwright's global setup, see global-setup.ts),
 * because the Nest apps need the compiled code (decorator metadata): run `npm run build` first.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import {
  careCasesOf,
  consentChoicesOf,
  customersOf,
  DEMO_PARTNERS,
  personOfPool,
} from '../../../apps/partner-node/src/demo/demo-population.js';
import type { Role } from '../../../apps/partner-node/src/users/role.js';
import { deleteKeysUnder } from '#platform/queue/redis-keys';
import { startDemoNetwork, type DemoNetwork } from '../../../scripts/demo/network.js';
import { runSteps } from '../../../scripts/demo/report.js';
import { DEMO_STEPS, type DemoContext } from '../../../scripts/demo/steps.js';

export interface ConsoleUser {
  role: `${Role}`;
  email: string;
  password: string;
}

export interface ConsoleNode {
  partnerId: string;
  name: string;
  /** The node's base URL: the console at `/`, GraphQL at `/graphql`, sign-in at `/auth/*`. */
  url: string;
  users: ConsoleUser[];
}

/** What the browser tests read (written as JSON by serve.ts). */
export interface ConsoleNetworkInfo {
  federation: { url: string; operator: { email: string; password: string } };
  nodes: ConsoleNode[];
  /** A fourth node, started with its users but not onboarded: it applies from its admin screen. */
  applicant: ConsoleNode;
  /**
   * A customer of all three partners who consented (care and marketing, all partners) at the two
   * holders, so the desk node's timeline shows history shared by both; `customerIds` by partner.
   */
  customer: {
    deskPartnerId: string;
    firstName: string;
    lastName: string;
    email: string;
    customerIds: Record<string, string>;
    consentIds: Record<string, string>;
  };
  /**
   * For the compliance journey's erasure: another customer, whose care history a holder shared with
   * the desk node (so erasing it at the holder brings a purge receipt back), leaving `customer`
   * intact for the other journeys.
   */
  erasable: { holderPartnerId: string; customerId: string; firstName: string; lastName: string } | null;
}

export interface ConsoleNetwork {
  info: ConsoleNetworkInfo;
  /** Stops every service, drops the databases and deletes the queues' Redis keys. */
  close(): Promise<void>;
}

/** The node that is not a member yet (no customers: it costs a database and a Nest app, no data). */
const APPLICANT = {
  partnerId: 'travel',
  name: 'Brightway Travel',
  kind: 'electronics-retailer',
  seed: 4004,
} as const;

/** The demo steps that build the data set (merges, withdrawal and ledger checks are not needed). */
const STEPS = new Set([1, 2, 3, 5]);

function consoleNode(node: DemoNetwork['nodes'][number]): ConsoleNode {
  return {
    partnerId: node.profile.partnerId,
    name: node.name,
    url: node.url,
    users: node.users.map(({ role, email, password }) => ({ role, email, password })),
  };
}

export async function startConsoleNetwork(options: {
  databaseAdminUrl: string;
  redisUrl: string;
  consoleDist: string;
  customers?: number;
  /** Extra environment of the services (e.g. CONSOLE_IDLE_TIMEOUT_SECONDS for a journey). */
  env?: Record<string, string>;
}): Promise<ConsoleNetwork> {
  const suffix = randomBytes(3).toString('hex');
  const redisPrefix = `concordia-test:console-${suffix}`;
  const network = await startDemoNetwork({
    customers: options.customers ?? 120,
    host: '127.0.0.1',
    port: 0,
    databaseUrl: options.databaseAdminUrl,
    redisUrl: options.redisUrl,
    databasePrefix: `cc_console_${suffix}`,
    redisPrefix,
    env: { ...options.env, CONSOLE_DIST: options.consoleDist },
    applicants: [APPLICANT],
  });
  const dropDatabases = async () => {
    const admin = new pg.Client({ connectionString: options.databaseAdminUrl });
    await admin.connect();
    try {
      for (const name of network.databases)
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
  };
  const close = async () => {
    await network.close();
    await dropDatabases();
    // The services ran as the demo's (not NODE_ENV=test, whose queues clean up after themselves).
    await deleteKeysUnder(options.redisUrl, redisPrefix);
  };
  try {
    const context: DemoContext = {
      network,
      now: new Date(),
      outDir: '',
      seeded: new Map(),
      agreements: new Map(),
      consents: new Map(),
    };
    const ok = await runSteps(
      DEMO_STEPS.filter((step) => STEPS.has(step.number)),
      context,
    );
    if (!ok || !context.featured) throw new Error('the demo steps did not build the data set (see above)');
    const { person, desk, holders } = context.featured;
    const who = personOfPool(person);
    const erasable = await shareAnotherCustomer(context, person);
    const all = [desk, ...holders];
    return {
      close,
      info: {
        federation: {
          url: network.federation.url,
          operator: {
            email: network.federation.operator.email,
            password: network.federation.operator.password,
          },
        },
        nodes: network.nodes.map(consoleNode),
        applicant: consoleNode(network.applicants[0]!),
        customer: {
          deskPartnerId: desk.profile.partnerId,
          firstName: who.firstName,
          lastName: who.lastName,
          email: who.email,
          customerIds: Object.fromEntries(
            all.map((n) => [
              n.profile.partnerId,
              context.seeded.get(n.profile.partnerId)!.customerIds.get(person)!,
            ]),
          ),
          consentIds: Object.fromEntries(
            holders.map((n) => [
              n.profile.partnerId,
              context.consents.get(n.profile.partnerId)!.get(person)!,
            ]),
          ),
        },
        erasable,
      },
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * A second customer of the desk and of a holder, who agreed to everything at the holder and has a
 * care history there: the desk's agent opens a case and reads the shared history (one pull, as
 * demo step 5 does), so the holder records a share to the desk.
 */
async function shareAnotherCustomer(
  context: DemoContext,
  featured: number,
): Promise<ConsoleNetworkInfo['erasable']> {
  const { desk, holders } = context.featured!;
  const partners = DEMO_PARTNERS.map((p) => p.partnerId);
  for (const holder of holders) {
    const held = new Set(customersOf(holder.profile));
    const withCare = new Set(careCasesOf(holder.profile, context.now).map((c) => c.person));
    const choices = consentChoicesOf(holder.profile, partners);
    const person = customersOf(desk.profile).find(
      (p) => p !== featured && held.has(p) && withCare.has(p) && choices.get(p)?.answer === 'full',
    );
    if (person === undefined) continue;
    const deskCustomerId = context.seeded.get(desk.profile.partnerId)!.customerIds.get(person)!;
    const agent = 'agent' as Role;
    const { createCareCase } = await desk.gql<{ createCareCase: { id: string } }>(
      agent,
      `mutation($input: CreateCareCaseInput!) { createCareCase(input: $input) { id } }`,
      { input: { customerId: deskCustomerId, subject: 'Invoice question' } },
    );
    await desk.gql(
      agent,
      `query($id: ID!, $reason: SharedHistoryReasonInput) {
         customerTimeline(customerId: $id, first: 5, includeShared: true, reason: $reason) { nodes { origin } } }`,
      { id: deskCustomerId, reason: { careCaseId: createCareCase.id } },
    );
    const who = personOfPool(person);
    return {
      holderPartnerId: holder.profile.partnerId,
      customerId: context.seeded.get(holder.profile.partnerId)!.customerIds.get(person)!,
      firstName: who.firstName,
      lastName: who.lastName,
    };
  }
  return null;
}
