import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { DataSource } from 'typeorm';
import type { TestFederation } from '../../apps/federation/src/testing/test-federation.js';
import { AgreementsService } from '../../apps/partner-node/src/agreements/agreements.service.js';
import { NetworkService } from '../../apps/partner-node/src/network/network.service.js';
import type { GqlResponse, TestNode } from '../../apps/partner-node/src/testing/test-node.js';
import { Role } from '../../apps/partner-node/src/users/role.js';

/** Helpers of the network tests: members, a customer-care agreement, a consenting customer, Redis. */

export function ok<T>(result: GqlResponse<T>): T {
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result.data!;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Applies for membership with each node, approves it, and refreshes every directory. */
export async function joinNetwork(federation: TestFederation, nodes: readonly TestNode[]): Promise<void> {
  for (const node of nodes) {
    const applied = ok(
      await node.gql<{ applyForMembership: { applicationId: string } }>(
        `mutation($input: ApplyForMembershipInput!) { applyForMembership(input: $input) { applicationId } }`,
        { input: { name: node.config.partnerId, endpoint: `${node.url}/concordia` } },
        await node.tokenFor(Role.ADMIN),
      ),
    );
    await federation.approve(applied.applyForMembership.applicationId);
  }
  for (const node of nodes) await node.app.get(NetworkService).refreshDirectory();
}

/**
 * holder → recipient customer-care agreement (accepted), one customer known to both by the same
 * e-mail, and the holder's registered consent for that customer. Returns the two customer ids.
 */
export async function consentingCustomer(
  holder: TestNode,
  recipient: TestNode,
  email: string,
): Promise<{ holderCustomer: string; recipientCustomer: string; consentId: string }> {
  const holderAdmin = await holder.tokenFor(Role.ADMIN);
  const { agreementId } = ok(
    await holder.gql<{ proposeAgreement: { agreementId: string } }>(
      `mutation($input: ProposeAgreementInput!) { proposeAgreement(input: $input) { agreementId } }`,
      {
        input: {
          partnerId: recipient.config.partnerId,
          purposes: ['CUSTOMER_CARE'],
          categories: ['CARE_HISTORY', 'ORDERS'],
          direction: 'OUTBOUND',
          retentionDays: 30,
          minCohortSize: 10,
          validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        },
      },
      holderAdmin,
    ),
  ).proposeAgreement;
  await recipient.app.get(AgreementsService).refresh();
  ok(
    await recipient.gql(
      `mutation($id: ID!) { acceptAgreement(agreementId: $id) { state } }`,
      { id: agreementId },
      await recipient.tokenFor(Role.ADMIN),
    ),
  );
  await holder.app.get(AgreementsService).refresh();
  const [holderCustomer, recipientCustomer] = await Promise.all(
    [holder, recipient].map(async (node) => {
      const db = node.app.get(DataSource);
      const [row]: { id: string }[] = await db.query(
        `INSERT INTO customer (first_name, last_name) VALUES ('Ada', 'Lovelace') RETURNING id`,
      );
      await db.query(`INSERT INTO customer_email (customer_id, address, is_primary) VALUES ($1, $2, true)`, [
        row!.id,
        email,
      ]);
      return row!.id;
    }),
  );
  const notice = ok(
    await holder.gql<{ createPrivacyNotice: { id: string } }>(
      `mutation($input: CreatePrivacyNoticeInput!) { createPrivacyNotice(input: $input) { id } }`,
      {
        input: {
          noticeKey: 'care-sharing',
          version: '1',
          language: 'en',
          title: 'Sharing your care history',
          body: 'We share your customer-care history with our partner when you agree.',
        },
      },
      holderAdmin,
    ),
  ).createPrivacyNotice.id;
  ok(
    await holder.gql(
      `mutation($id: ID!) { publishPrivacyNotice(id: $id) { status } }`,
      { id: notice },
      holderAdmin,
    ),
  );
  const given = ok(
    await holder.gql<{ giveConsent: { id: string; registrationStatus: string } }>(
      `mutation($input: GiveConsentInput!) { giveConsent(input: $input) { id registrationStatus } }`,
      {
        input: {
          customerId: holderCustomer,
          purposes: ['CUSTOMER_CARE'],
          categories: ['CARE_HISTORY', 'ORDERS'],
          recipients: [recipient.config.partnerId],
          validUntil: new Date(Date.now() + 180 * 86_400_000).toISOString(),
          collectionMethod: 'WEB_FORM',
          privacyNoticeId: notice,
          jurisdiction: 'FR',
        },
      },
      holderAdmin,
    ),
  ).giveConsent;
  if (given.registrationStatus !== 'REGISTERED') throw new Error(`consent ${given.registrationStatus}`);
  return { holderCustomer: holderCustomer!, recipientCustomer: recipientCustomer!, consentId: given.id };
}

/** A free TCP port on 127.0.0.1 (for a server that this test starts itself). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.on('connect', () => socket.write('PING\r\n'));
  });
}

/**
 * A redis-server of the test's own, empty, without persistence, on 127.0.0.1:`port`: so that it
 * can be killed (-9) and restarted empty without touching the machine's Redis.
 */
export class OwnRedis {
  private process: ChildProcess | undefined;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    this.process = child;
    await waitFor('redis-server to answer', async () => pingRedis(this.port), 10_000);
  }

  /** kill -9: no shutdown, everything in memory is gone. */
  async kill(): Promise<void> {
    const child = this.process;
    this.process = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
