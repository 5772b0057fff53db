import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '#platform/graphql/connection';

/** GraphQL shapes of the ledger. Hashes are standard base64 (as in C2SP checkpoints). */
@ObjectType({ description: 'A signed tree head of this node’s ledger (C2SP checkpoint in a signed note).' })
export class LedgerCheckpoint {
  @Field(() => Int)
  size: number;
  @Field()
  rootHash: string;
  @Field({ description: 'The signed note, verifiable with standard transparency-log tooling.' })
  note: string;
  @Field()
  signerName: string;
  @Field({ description: 'RFC 7638 thumbprint of the Ed25519 key that signed it.' })
  signerKid: string;
  @Field()
  createdAt: Date;
}

@ObjectType()
export class LedgerCheckpointConnection extends Connection(LedgerCheckpoint) {}

@ObjectType({ description: 'The current state of the ledger.' })
export class LedgerHead {
  @Field()
  origin: string;
  @Field(() => Int)
  size: number;
  @Field()
  rootHash: string;
  @Field(() => Int, { description: 'Entries committed but not yet sequenced (group-commit queue).' })
  pending: number;
  @Field(() => LedgerCheckpoint, { nullable: true })
  latestCheckpoint: LedgerCheckpoint | null;
  @Field(() => String, { nullable: true, description: 'C2SP verifier key of the checkpoint signer.' })
  checkpointKey: string | null;
}

@ObjectType({ description: 'One ledger entry: its leaf is canonical JSON {"at","data","kind"}.' })
export class LedgerEntry {
  @Field(() => Int)
  seq: number;
  @Field()
  kind: string;
  @Field()
  appendedAt: Date;
  @Field({ description: 'The leaf, RFC 8785 canonical JSON, exactly as hashed.' })
  entry: string;
  @Field({ description: 'SHA-256(0x00 ‖ entry), base64.' })
  leafHash: string;
}

@ObjectType()
export class LedgerEntryConnection extends Connection(LedgerEntry) {}

@ObjectType({ description: 'RFC 9162 inclusion proof of an entry in the tree of size treeSize.' })
export class LedgerInclusionProof {
  @Field(() => Int)
  treeSize: number;
  @Field()
  rootHash: string;
  @Field(() => [String], { description: 'PATH(seq, D[treeSize]), deepest sibling first, base64.' })
  hashes: string[];
  @Field(() => LedgerCheckpoint, {
    nullable: true,
    description: 'The signed checkpoint of that size, if any.',
  })
  checkpoint: LedgerCheckpoint | null;
}

@ObjectType()
export class LedgerEntryProof {
  @Field(() => LedgerEntry)
  entry: LedgerEntry;
  @Field(() => LedgerInclusionProof)
  proof: LedgerInclusionProof;
}

@ObjectType({ description: 'RFC 9162 consistency proof between two tree sizes.' })
export class LedgerConsistencyProof {
  @Field(() => Int)
  fromSize: number;
  @Field(() => Int)
  toSize: number;
  @Field()
  fromRoot: string;
  @Field()
  toRoot: string;
  @Field(() => [String])
  hashes: string[];
}

export enum LedgerAlertKind {
  FEDERATION_CHECKPOINT_INCONSISTENT = 'federation_checkpoint_inconsistent',
}
registerEnumType(LedgerAlertKind, { name: 'LedgerAlertKind' });

export enum FederationCheckpointStatus {
  FIRST = 'first',
  CONSISTENT = 'consistent',
  INCONSISTENT = 'inconsistent',
}
registerEnumType(FederationCheckpointStatus, { name: 'FederationCheckpointStatus' });

@ObjectType({ description: 'A federation checkpoint this node has seen, and the verdict of its check.' })
export class FederationCheckpoint {
  @Field(() => ID)
  id: string;
  @Field()
  origin: string;
  @Field(() => Int)
  size: number;
  @Field()
  rootHash: string;
  @Field()
  note: string;
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
