import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { jwsHash, type Jwks } from '#protocol';
import { messageHashes, parseLeaf, type ExportedEntry, type ExportedMessage } from '#ledger';
import { LedgerKeyring } from '../ledger/ledger-keyring.js';
import { MembershipEvidenceRepository } from '../network/membership-evidence.repository.js';

export type EvidenceKind = 'share' | 'membership-statement' | 'purge-receipt';

/**
 * The signed messages that prove sharing at this node after the records are gone (table
 * `share_evidence`, kept through purges): received `recordsRoot` envelopes, the membership
 * statements that vouched for their signers' keys when they were relied on, and purge receipts.
 * Ledger entries name them by jwsHash; ledger exports carry them for `audit verify`.
 */
@Injectable()
export class ShareEvidenceService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keyring: LedgerKeyring,
    private readonly membership: MembershipEvidenceRepository,
  ) {}

  onModuleInit(): void {
    this.keyring.setEvidenceSource({
      messages: (entries) => this.messagesFor(entries),
      keys: () => this.federationKeys(),
    });
  }

  /** Keeps a signed message (idempotent); returns its jwsHash, the name ledger entries give it. */
  async keep(m: EntityManager, kind: EvidenceKind, jws: string): Promise<string> {
    const hash = jwsHash(jws);
    await m.query(
      `INSERT INTO share_evidence (hash, kind, jws) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING`,
      [hash, kind, jws],
    );
    return hash;
  }

  /**
   * Keeps the membership statement that binds `partnerId`'s keys now (the directory's, or this
   * node's own), so that an auditor can check a signature with the key as it was vouched for at
   * the time. Undefined when none is known (a node not admitted yet).
   */
  async keepStatementOf(m: EntityManager, partnerId: string, self: boolean): Promise<string | undefined> {
    const statement = await this.membership.statementOf(partnerId, self, m);
    return statement ? this.keep(m, 'membership-statement', statement) : undefined;
  }

  /**
   * The kept messages that exported entries name by hash, in entry order: a statement before the
   * messages it vouches for, and each statement once per export (the verifier remembers the keys).
   */
  async messagesFor(entries: readonly ExportedEntry[]): Promise<ExportedMessage[]> {
    const named: { seq: number; field: string; hash: string }[] = [];
    for (const entry of entries) {
      if (!entry.kind.startsWith('share.')) continue;
      for (const [field, hash] of messageHashes(parseLeaf(entry.entry).data)) {
        named.push({ seq: entry.seq, field, hash });
      }
    }
    if (named.length === 0) return [];
    const rows: { hash: string; kind: EvidenceKind; jws: string }[] = await this.dataSource.query(
      `SELECT hash, kind, jws FROM share_evidence WHERE hash = ANY ($1::text[])`,
      [[...new Set(named.map((n) => n.hash))]],
    );
    const byHash = new Map(rows.map((r) => [r.hash, r]));
    const carried = new Set<string>();
    const messages: ExportedMessage[] = [];
    const bySeq = new Map<number, typeof named>();
    for (const n of named) bySeq.set(n.seq, [...(bySeq.get(n.seq) ?? []), n]);
    for (const [seq, list] of bySeq) {
      const ordered = list
        .map((n) => ({ ...n, row: byHash.get(n.hash) }))
        .filter((n) => n.row !== undefined)
        .sort((a, b) => rank(a.row!.kind) - rank(b.row!.kind));
      for (const { field, hash, row } of ordered) {
        if (row!.kind === 'membership-statement' && carried.has(hash)) continue;
        carried.add(hash);
        messages.push({ seq, field, jws: row!.jws });
      }
    }
    return messages;
  }

  /** The federation's keys as pinned by this node (they verify the carried membership statements). */
  federationKeys(): Promise<Jwks> {
    return this.membership.pinnedFederationKeys();
  }
}

function rank(kind: EvidenceKind): number {
  return kind === 'membership-statement' ? 0 : 1;
}
