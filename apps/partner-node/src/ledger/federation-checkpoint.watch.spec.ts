import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { LedgerService } from '#ledger';
import {
  SimulatedPartner,
  startTestFederation,
  type TestFederation,
} from '../../../federation/src/testing/test-federation.js';
import { startTestNode, type TestNode } from '../testing/test-node.js';
import { Role } from '../users/role.js';
import { JOB_QUEUE, type JobQueue } from '#platform/queue/job-queue';
import { FEDERATION_CHECKPOINT_QUEUE, FederationCheckpointWatch } from './federation-checkpoint.watch.js';

interface Seen {
  ledgerFederationCheckpoints: { nodes: { size: number; status: string; rootHash: string }[] };
  ledgerAlerts: { nodes: { kind: string; message: string; federationCheckpointId: string | null }[] };
}
const SEEN = `{
  ledgerFederationCheckpoints { nodes { size status rootHash } }
  ledgerAlerts { nodes { kind message federationCheckpointId } }
}`;

/**
 * A partner node watching the federation ledger (both on real PostgreSQL and Redis): it records
 * the federation's checkpoints on schedule, checks each against the last one with a consistency
 * proof, and alerts when the federation rewrites its history or serves a checkpoint that does
 * not verify against the keys the node pinned.
 */
describe('federation checkpoints seen by a partner node', () => {
  let fed: TestFederation;
  let node: TestNode;
  let compliance: string;
  let watch: FederationCheckpointWatch;

  const seen = async (): Promise<Seen> => {
    const result = await node.gql<Seen>(SEEN, {}, compliance);
    expect(result.errors).toBeUndefined();
    return result.data!;
  };
  const checkpoint = async () => {
    const result = await fed.gql<{ signFederationLedgerCheckpoint: { size: number } }>(
      `mutation { signFederationLedgerCheckpoint { size } }`,
      {},
      fed.operatorToken,
    );
    return result.data!.signFederationLedgerCheckpoint.size;
  };
  const admit = async (id: string) =>
    fed.approve((await fed.client.apply(new SimulatedPartner(id).application())).applicationId);
  /** What someone who owns the federation's database can do: bypass the append-only triggers. */
  const asDatabaseOwner = (
    work: (q: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<void>,
  ) =>
    fed.app.get(DataSource).transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await work((sql, params) => m.query(sql, params));
    });

  beforeAll(async () => {
    fed = await startTestFederation('fedwatch_fed', { LEDGER_CHECKPOINT_INTERVAL_SECONDS: '0' });
    node = await startTestNode('fedwatch_node', {
      FEDERATION_URL: fed.url,
      LEDGER_FEDERATION_CHECK_INTERVAL_SECONDS: '1',
    });
    compliance = await node.tokenFor(Role.COMPLIANCE);
    watch = node.app.get(FederationCheckpointWatch);
  });
  afterAll(async () => {
    await node?.close();
    await fed?.close();
  });

  it('records the first checkpoint on schedule, then consistent ones', async () => {
    await admit('alice-bank');
    const first = await checkpoint();
    const until = Date.now() + 20_000;
    while ((await seen()).ledgerFederationCheckpoints.nodes.length === 0) {
      if (Date.now() > until) throw new Error('the scheduled check recorded nothing');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await seen()).ledgerFederationCheckpoints.nodes).toEqual([
      expect.objectContaining({ size: first, status: 'FIRST' }),
    ]);

    await admit('bob-shop');
    const second = await checkpoint();
    expect(second).toBeGreaterThan(first);
    expect(await watch.check()).toMatchObject({ size: second, status: 'consistent' });
    expect(await watch.check()).toBeNull(); // nothing new
    expect((await seen()).ledgerAlerts.nodes).toEqual([]);
    // From here on the test runs the checks itself, one at a time.
    await node.app
      .get<JobQueue>(JOB_QUEUE)
      .unschedule(FEDERATION_CHECKPOINT_QUEUE, 'federation-checkpoint-check');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a run already started finishes
  });

  it('alerts when the federation rewrites its history, even under a valid signature', async () => {
    const ledger = fed.app.get(LedgerService);
    const entries = await ledger.entries(0, 1000);
    // Rewrite entry 0 (alice's admission), rebuild the whole tree and sign it: every signature is
    // valid, only the node's stored checkpoint can tell.
    await asDatabaseOwner(async (q) => {
      for (const table of ['ledger_entry', 'ledger_node', 'ledger_checkpoint'])
        await q(`DELETE FROM ${table}`);
      await q(`UPDATE ledger_head SET size = 0, frontier = ''::bytea`);
    });
    await fed.app.get(DataSource).transaction(async (m) => {
      for (const [i, e] of entries.entries()) {
        const data = JSON.parse(e.entry).data as Record<string, unknown>;
        await ledger.append(m, e.kind, i === 0 ? { ...data, validUntil: 1 } : data);
      }
      await ledger.append(m, 'membership.renewed', { subject: 'bob-shop' });
    });
    const rewritten = await checkpoint();

    const recorded = await watch.check();
    expect(recorded).toMatchObject({ size: rewritten, status: 'inconsistent' });
    const { ledgerAlerts, ledgerFederationCheckpoints } = await seen();
    expect(ledgerAlerts.nodes).toEqual([
      {
        kind: 'FEDERATION_CHECKPOINT_INCONSISTENT',
        message: expect.stringMatching(/not consistent/),
        federationCheckpointId: recorded!.id,
      },
    ]);
    expect(ledgerFederationCheckpoints.nodes[0]).toMatchObject({ size: rewritten, status: 'INCONSISTENT' });
    const agent = await node.tokenFor(Role.AGENT);
    expect((await node.gql(SEEN, {}, agent)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('alerts when a checkpoint does not verify against the pinned federation key', async () => {
    await admit('carol-store');
    const size = await checkpoint();
    await asDatabaseOwner(async (q) => {
      // Flip one bit of the signature (after its 4-byte key id) of the newest checkpoint.
      const [row] = (await q(`SELECT note FROM ledger_checkpoint WHERE size = $1`, [size])) as {
        note: string;
      }[];
      const note = row!.note;
      const cut = note.lastIndexOf(' ') + 1;
      const signature = Buffer.from(note.slice(cut, -1), 'base64');
      signature[10] = signature[10]! ^ 1;
      await q(`UPDATE ledger_checkpoint SET note = $2 WHERE size = $1`, [
        size,
        `${note.slice(0, cut)}${signature.toString('base64')}\n`,
      ]);
    });
    expect(await watch.check()).toBeNull();
    const { ledgerAlerts, ledgerFederationCheckpoints } = await seen();
    expect(ledgerAlerts.nodes[0]).toEqual({
      kind: 'FEDERATION_CHECKPOINT_UNVERIFIED',
      message: expect.stringMatching(/refused \(SIGNATURE_INVALID\)/),
      federationCheckpointId: null,
    });
    expect(ledgerFederationCheckpoints.nodes.map((c) => c.size)).not.toContain(size);
    // The same failure again raises no second alert.
    await watch.check();
    expect((await seen()).ledgerAlerts.nodes).toHaveLength(2);
  });
});
