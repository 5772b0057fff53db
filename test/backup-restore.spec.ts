import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from '@jest/globals';
import { AccessTokens } from '#platform/auth/access-tokens';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase } from '#platform/testing/test-database';
import { verifyExport } from '#ledger';
import { bootstrapNode, type RunningNode } from '../apps/partner-node/src/bootstrap.js';
import { loadPartnerNodeConfig } from '../apps/partner-node/src/config.js';
import { NodeLedgerService } from '../apps/partner-node/src/ledger/node-ledger.service.js';
import { ok } from '../apps/partner-node/src/testing/network.js';
import {
  startTestNode,
  type GqlResponse,
  type TestNode,
} from '../apps/partner-node/src/testing/test-node.js';
import { Role } from '../apps/partner-node/src/users/role.js';
import { UsersService } from '../apps/partner-node/src/users/users.service.js';

/**
 * The backup procedure of docs/operations.md, end to end: `pg_dump --format=custom` of a running
 * node, `pg_restore --clean --if-exists` into another database, a new process on it with the same
 * KEY_ENCRYPTION_SECRET. The restored node holds the same customers, the same ledger (same size and
 * root; its export verifies offline), the same keys, and its sealed signing key still opens: it
 * signs a new checkpoint that verifies.
 */
const run = promisify(execFile);
const SECRET = 'the backup test key encryption secret, 32+ characters';

let source: TestNode | undefined;
let restoredDb: TestDatabase | undefined;
let restored: RunningNode | undefined;
let dumpDir: string | undefined;

afterAll(async () => {
  await restored?.app.close();
  await restoredDb?.drop();
  await source?.close();
  if (dumpDir) await rm(dumpDir, { recursive: true, force: true });
});

async function gqlAt<T>(url: string, query: string, token: string, variables?: object): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return ok((await response.json()) as GqlResponse<T>);
}

const STATE = `{
  customers(first: 200) { nodes { id firstName } }
  ledgerHead { size rootHash }
  nodeKeys { kid use status publicJwk }
}`;
interface State {
  customers: { nodes: { id: string; firstName: string }[] };
  ledgerHead: { size: number; rootHash: string };
  nodeKeys: { kid: string; use: string; status: string; publicJwk: string }[];
}

describe('backup and restore with pg_dump', () => {
  it('restores customers, ledger and sealed keys into a working node', async () => {
    source = await startTestNode('restore_src', { KEY_ENCRYPTION_SECRET: SECRET });
    const admin = await source.tokenFor(Role.ADMIN, Role.COMPLIANCE);
    const ids: string[] = [];
    for (const firstName of ['Ada', 'Grace', 'Alan']) {
      const created = await gqlAt<{ createCustomer: { id: string } }>(
        source.url,
        `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
        admin,
        { input: { firstName, lastName: 'Restore' } },
      );
      ids.push(created.createCustomer.id);
    }
    // An erasure is a ledger entry; a checkpoint is signed with the node's sealed key.
    await gqlAt(
      source.url,
      `mutation($id: ID!) { eraseCustomer(customerId: $id, reason: "backup test") { id } }`,
      admin,
      {
        id: ids[2],
      },
    );
    await source.app.get(NodeLedgerService).checkpointNow();
    const before = await gqlAt<State>(source.url, STATE, admin);
    expect(before.ledgerHead.size).toBeGreaterThan(0);

    dumpDir = await mkdtemp(join(tmpdir(), 'concordia-dump-'));
    const dump = join(dumpDir, 'node.dump');
    await run('pg_dump', ['--format=custom', `--file=${dump}`, source.db.url]);
    restoredDb = await createTestDatabase('restore_dst');
    await run('pg_restore', ['--clean', '--if-exists', '--no-owner', `--dbname=${restoredDb.url}`, dump]);
    await source.app.close(); // the original process is gone; its database stays for comparison

    restored = await bootstrapNode(
      loadPartnerNodeConfig({
        NODE_ENV: 'test',
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: restoredDb.url,
        DATABASE_POOL_SIZE: '5',
        REDIS_URL: TEST_REDIS_URL,
        PARTNER_ID: source.config.partnerId,
        KEY_ENCRYPTION_SECRET: SECRET,
      }),
    );
    const [user] = await restored.app.get(UsersService).list();
    const { token } = await restored.app.get(AccessTokens).issue({ id: user!.id, roles: user!.roles });
    const after = await gqlAt<State>(restored.url, STATE, token);
    expect(after).toEqual(before);

    // The restored node goes on: a new entry, a checkpoint signed with the restored (unsealed) key,
    // and the whole ledger, before and after the restore, verifies offline.
    await gqlAt(
      restored.url,
      `mutation($id: ID!) { eraseCustomer(customerId: $id, reason: "after restore") { id } }`,
      token,
      {
        id: ids[1],
      },
    );
    expect(await restored.app.get(NodeLedgerService).checkpointNow()).not.toBeNull();
    const exported = await gqlAt<{ exportLedger: string }>(restored.url, `{ exportLedger }`, token);
    // Checkpoints are trusted only under the signing key the node had before the backup.
    const signing = before.nodeKeys.find((k) => k.use === 'SIGNING' && k.status === 'ACTIVE')!;
    const report = verifyExport(JSON.parse(exported.exportLedger), {
      trustedKeys: { keys: [JSON.parse(signing.publicJwk) as never] },
    });
    expect(report.entries).toBeGreaterThan(before.ledgerHead.size);
    expect(report.checkpoints).toBeGreaterThanOrEqual(2);
  });
});
