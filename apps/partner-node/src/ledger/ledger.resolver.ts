import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Allow } from '#platform/auth/allow.decorator';
import { LedgerPageArgs } from './ledger.dto.js';
import { Role } from '../users/role.js';
import {
  LedgerCheckpoint,
  LedgerCheckpointConnection,
  LedgerConsistencyProof,
  LedgerEntryConnection,
  LedgerEntryProof,
  LedgerHeadView as LedgerHead,
} from '#ledger';
import { FederationCheckpointConnection, LedgerAlertConnection } from './ledger.types.js';
import { NodeLedgerService } from './node-ledger.service.js';

/** The ledger for compliance officers and admins: read, prove, export; nothing can be changed. */
@Allow(Role.COMPLIANCE, Role.ADMIN)
@Resolver()
export class LedgerResolver {
  constructor(private readonly ledger: NodeLedgerService) {}

  @Query(() => LedgerHead, { description: 'Size, root and latest signed checkpoint of this node’s ledger.' })
  ledgerHead(): Promise<LedgerHead> {
    return this.ledger.head();
  }

  @Query(() => LedgerEntryConnection, { description: 'Entries in ledger order.' })
  ledgerEntries(@Args() page: LedgerPageArgs): Promise<LedgerEntryConnection> {
    return this.ledger.entries(page);
  }

  @Query(() => LedgerEntryProof, {
    description:
      'One entry with its RFC 9162 inclusion proof in the tree of treeSize entries (default: the latest checkpoint that holds it, else the current size).',
  })
  ledgerEntry(
    @Args('seq', { type: () => Int }) seq: number,
    @Args('treeSize', { type: () => Int, nullable: true }) treeSize?: number,
  ): Promise<LedgerEntryProof> {
    return this.ledger.entryWithProof(seq, treeSize ?? undefined);
  }

  @Query(() => LedgerCheckpointConnection, { description: 'Signed checkpoints, newest first.' })
  ledgerCheckpoints(@Args() page: LedgerPageArgs): Promise<LedgerCheckpointConnection> {
    return this.ledger.checkpoints(page);
  }

  @Query(() => LedgerConsistencyProof, {
    description:
      'RFC 9162 consistency proof between the trees of sizes from and to (default: the current size).',
  })
  ledgerConsistencyProof(
    @Args('from', { type: () => Int }) from: number,
    @Args('to', { type: () => Int, nullable: true }) to?: number,
  ): Promise<LedgerConsistencyProof> {
    return this.ledger.consistencyProof(from, to ?? undefined);
  }

  @Query(() => String, {
    description:
      'A self-contained export (JSON text) of entries [fromSeq, toSize) with checkpoints, proofs and keys, for `audit verify`. Signs a checkpoint of the current head first.',
  })
  exportLedger(
    @Args('fromSeq', { type: () => Int, nullable: true }) fromSeq?: number,
    @Args('toSize', { type: () => Int, nullable: true }) toSize?: number,
  ): Promise<string> {
    return this.ledger.exportLedger(fromSeq ?? undefined, toSize ?? undefined);
  }

  @Query(() => LedgerAlertConnection, {
    description: 'Ledger alerts (inconsistent federation checkpoints…), newest first.',
  })
  ledgerAlerts(@Args() page: LedgerPageArgs): Promise<LedgerAlertConnection> {
    return this.ledger.alerts(page);
  }

  @Query(() => FederationCheckpointConnection, {
    description:
      'The federation’s checkpoints this node has seen, with the verdict of each check, newest first.',
  })
  ledgerFederationCheckpoints(@Args() page: LedgerPageArgs): Promise<FederationCheckpointConnection> {
    return this.ledger.federationCheckpoints(page);
  }

  @Mutation(() => LedgerCheckpoint, {
    nullable: true,
    description:
      'Signs a checkpoint of the current head now (unless nothing is new); returns the latest checkpoint.',
  })
  createLedgerCheckpoint(): Promise<LedgerCheckpoint | null> {
    return this.ledger.checkpointNow();
  }
}
