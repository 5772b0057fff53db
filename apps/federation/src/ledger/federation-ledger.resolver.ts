import { Args, ArgsType, Field, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { IsBase64, IsInt, IsOptional, Min } from 'class-validator';
import {
  LedgerCheckpoint,
  LedgerCheckpointConnection,
  LedgerConsistencyProof,
  LedgerEntryConnection,
  LedgerEntryProof,
  LedgerHeadView,
} from '#ledger';
import { Allow } from '#platform/auth/allow.decorator';
import { FederationRole } from '../operators/role.js';
import { FederationLedgerService } from './federation-ledger.service.js';
import { PageArgs } from '#platform/graphql/connection';

@ArgsType()
export class LedgerProofArgs {
  @Field(() => Int, { nullable: true, description: 'The entry, by position (from 0).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  seq?: number;

  @Field({ nullable: true, description: 'The entry, by its leaf hash (base64).' })
  @IsOptional()
  @IsBase64()
  leafHash?: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Tree size (default: the latest checkpoint that holds the entry).',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  treeSize?: number;
}

/** The federation ledger for operators and compliance officers: read, prove, export, checkpoint. */
@Allow(FederationRole.OPERATOR, FederationRole.COMPLIANCE)
@Resolver()
export class FederationLedgerResolver {
  constructor(private readonly ledger: FederationLedgerService) {}

  @Query(() => LedgerHeadView, {
    description: 'Size, root and latest signed checkpoint of the federation ledger.',
  })
  federationLedgerHead(): Promise<LedgerHeadView> {
    return this.ledger.head();
  }

  @Query(() => LedgerEntryConnection, { description: 'Federation ledger entries in ledger order.' })
  federationLedgerEntries(@Args() page: PageArgs): Promise<LedgerEntryConnection> {
    return this.ledger.reader.entries(page);
  }

  @Query(() => LedgerEntryProof, {
    description: 'One entry (by seq or leaf hash) with its RFC 9162 inclusion proof in the tree of treeSize.',
  })
  federationLedgerEntry(@Args() args: LedgerProofArgs): Promise<LedgerEntryProof> {
    return this.ledger.inclusionProof({
      seq: args.seq ?? undefined,
      leafHash: args.leafHash ?? undefined,
      treeSize: args.treeSize ?? undefined,
    });
  }

  @Query(() => LedgerCheckpointConnection, { description: 'Signed checkpoints, newest first.' })
  federationLedgerCheckpoints(@Args() page: PageArgs): Promise<LedgerCheckpointConnection> {
    return this.ledger.reader.checkpoints(page);
  }

  @Query(() => LedgerConsistencyProof, {
    description:
      'RFC 9162 consistency proof between the trees of sizes from and to (default: the current size).',
  })
  federationLedgerConsistencyProof(
    @Args('from', { type: () => Int }) from: number,
    @Args('to', { type: () => Int, nullable: true }) to?: number,
  ): Promise<LedgerConsistencyProof> {
    return this.ledger.reader.consistencyProof(from, to ?? undefined);
  }

  @Query(() => String, {
    description:
      'A self-contained export (JSON text) of entries [fromSeq, toSize) with checkpoints, proofs, the signed messages the entries name and the keys, for `audit verify`. Signs a checkpoint first.',
  })
  async exportFederationLedger(
    @Args('fromSeq', { type: () => Int, nullable: true }) fromSeq?: number,
    @Args('toSize', { type: () => Int, nullable: true }) toSize?: number,
  ): Promise<string> {
    return JSON.stringify(await this.ledger.export(fromSeq ?? undefined, toSize ?? undefined));
  }

  @Allow(FederationRole.OPERATOR)
  @Mutation(() => LedgerCheckpoint, {
    nullable: true,
    description:
      'Sequences queued entries and signs a checkpoint now (unless nothing is new); returns the latest.',
  })
  signFederationLedgerCheckpoint(): Promise<LedgerCheckpoint | null> {
    return this.ledger.checkpointNow();
  }
}
