import { Field, ID, ObjectType, PickType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '#platform/graphql/connection';
import { LedgerCheckpoint } from '#ledger';

/** GraphQL shapes of the node's own ledger tables; those shared with the federation's are in #ledger. */
export enum LedgerAlertKind {
  FEDERATION_CHECKPOINT_INCONSISTENT = 'federation_checkpoint_inconsistent',
  /** The federation served a checkpoint that does not verify against its pinned keys. */
  FEDERATION_CHECKPOINT_UNVERIFIED = 'federation_checkpoint_unverified',
}
registerEnumType(LedgerAlertKind, { name: 'LedgerAlertKind' });

export enum FederationCheckpointStatus {
  FIRST = 'first',
  CONSISTENT = 'consistent',
  INCONSISTENT = 'inconsistent',
}
registerEnumType(FederationCheckpointStatus, { name: 'FederationCheckpointStatus' });

@ObjectType({ description: 'A federation checkpoint this node has seen, and the verdict of its check.' })
export class FederationCheckpoint extends PickType(LedgerCheckpoint, ['size', 'rootHash', 'note'] as const) {
  @Field(() => ID)
  id: string;
  @Field()
  origin: string;
  @Field(() => FederationCheckpointStatus)
  status: FederationCheckpointStatus;
  @Field()
  receivedAt: Date;
}

@ObjectType()
export class FederationCheckpointConnection extends Connection(FederationCheckpoint) {}

@ObjectType({ description: 'Something a compliance officer must look at. Holds no personal data.' })
export class LedgerAlert {
  @Field(() => ID)
  id: string;
  @Field(() => LedgerAlertKind)
  kind: LedgerAlertKind;
  @Field()
  message: string;
  @Field(() => ID, { nullable: true })
  federationCheckpointId: string | null;
  @Field()
  createdAt: Date;
}

@ObjectType()
export class LedgerAlertConnection extends Connection(LedgerAlert) {}
