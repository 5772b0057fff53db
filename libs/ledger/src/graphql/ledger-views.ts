import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ValidationError } from '#platform/errors/app-errors';
import {
  Connection,
  decodeCursor,
  encodeCursor,
  pageSize,
  type ConnectionShape,
  type PageArgs,
} from '#platform/graphql/connection';
import type { LedgerService, StoredCheckpoint, StoredEntry } from '../ledger.js';

/**
 * The GraphQL shapes of a ledger and the reads behind them, the same for the partner node's
 * ledger and the federation's (each app exposes them under its own query names and roles).
 * Hashes are standard base64 (as in C2SP checkpoints).
 */
@ObjectType({ description: 'A signed tree head of a ledger (C2SP checkpoint in a signed note).' })
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

@ObjectType({ description: 'The current state of a ledger.' })
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
  @Field({ description: 'The leaf, RFC 8785 canonical JSON {"at","data","kind"}, exactly as hashed.' })
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
  @Field({ description: 'Root of the tree of treeSize entries, base64.' })
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

export const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

export function checkpointView(c: StoredCheckpoint): LedgerCheckpoint {
  return {
    size: c.size,
    rootHash: b64(c.rootHash),
    note: c.note,
    signerName: c.signer.name,
    signerKid: c.signer.publicJwk.kid,
    createdAt: c.createdAt,
  };
}

export function entryView(e: StoredEntry): LedgerEntry {
  return { seq: e.seq, kind: e.kind, appendedAt: e.appendedAt, entry: e.entry, leafHash: b64(e.leafHash) };
}

/** A page of `items` fetched with one extra item (to know whether there is a next page). */
export function connectionOf<T>(
  items: T[],
  size: number,
  cursorOf: (item: T) => unknown[],
): ConnectionShape<T> {
  const page = items.slice(0, size);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(cursorOf(node)) }));
  return {
    edges,
    nodes: page,
    pageInfo: { hasNextPage: items.length > size, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

function cursorNumber(after: string | undefined): number | undefined {
  if (!after) return undefined;
  const [value] = decodeCursor(after, 1);
  if (!Number.isSafeInteger(value))
    throw new ValidationError('after', 'is not a cursor returned by this list');
  return value as number;
}

/** The reads of a ledger as GraphQL/HTTP views: pages of entries and checkpoints, proofs. */
export class LedgerReader {
  constructor(private readonly ledger: LedgerService) {}

  async entries(args: PageArgs): Promise<ConnectionShape<LedgerEntry>> {
    const size = pageSize(args.first);
    const after = cursorNumber(args.after);
    const rows = await this.ledger.entries(after === undefined ? 0 : after + 1, size + 1);
    return connectionOf(rows.map(entryView), size, (e) => [e.seq]);
  }

  async checkpoints(args: PageArgs): Promise<ConnectionShape<LedgerCheckpoint>> {
    const size = pageSize(args.first);
    const rows = await this.ledger.checkpoints(size + 1, cursorNumber(args.after));
    return connectionOf(rows.map(checkpointView), size, (c) => [c.size]);
  }

  /**
   * An entry with its inclusion proof in the tree of `treeSize` entries; by default the latest
   * checkpoint that contains it (so that the root is signed), else the current head.
   */
  async entryWithProof(seq: number, treeSize?: number): Promise<LedgerEntryProof> {
    const entry = await this.ledger.entry(seq); // NOT_FOUND beyond the ledger
    let size = treeSize;
    if (size === undefined) {
      const latest = await this.ledger.latestCheckpoint();
      size = latest && latest.size > seq ? latest.size : undefined;
    }
    const proof = await this.ledger.inclusionProof(seq, size);
    const checkpoint = await this.ledger.checkpointAt(proof.treeSize);
    return {
      entry: entryView(entry),
      proof: {
        treeSize: proof.treeSize,
        rootHash: b64(proof.rootHash),
        hashes: proof.proof.map(b64),
        checkpoint: checkpoint ? checkpointView(checkpoint) : null,
      },
    };
  }

  async consistencyProof(from: number, to?: number): Promise<LedgerConsistencyProof> {
    const proof = await this.ledger.consistencyProof(from, to);
    return {
      fromSize: proof.fromSize,
      toSize: proof.toSize,
      fromRoot: b64(proof.fromRoot),
      toRoot: b64(proof.toRoot),
      hashes: proof.proof.map(b64),
    };
  }

  async head(checkpointKey: string | null): Promise<LedgerHead> {
    const [head, latest, pending] = await Promise.all([
      this.ledger.head(),
      this.ledger.latestCheckpoint(),
      this.ledger.pendingCount(),
    ]);
    return {
      origin: this.ledger.options.origin,
      size: head.size,
      rootHash: b64(head.rootHash),
      pending,
      latestCheckpoint: latest ? checkpointView(latest) : null,
      checkpointKey,
    };
  }
}
