import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Jwks, OkpPublicJwk } from '#protocol';
import { runNamed, type Queryable } from '#platform/database/named-queries';
import { MEMBERSHIP_EVIDENCE_QUERIES } from './membership-evidence.queries.js';

/**
 * What vouches for members' keys, read by the sharing module's evidence (network_membership and
 * directory_member, owned by the network module): the statements are in
 * membership-evidence.queries.ts and, generated, in queries/network.sql.
 */
@Injectable()
export class MembershipEvidenceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * The membership statement that binds a member's keys now: this node's own (`self`), or the
   * directory's for `partnerId`. Undefined when none is known (a node not admitted yet). Runs on
   * `runner` when inside a transaction.
   */
  async statementOf(
    partnerId: string,
    self: boolean,
    runner: Queryable = this.dataSource,
  ): Promise<string | undefined> {
    const rows = self
      ? await runNamed<{ statement: string | null }, 'ownStatement'>(
          runner,
          MEMBERSHIP_EVIDENCE_QUERIES,
          'ownStatement',
        )
      : await runNamed<{ statement: string | null }, 'memberStatement'>(
          runner,
          MEMBERSHIP_EVIDENCE_QUERIES,
          'memberStatement',
          [partnerId],
        );
    return rows[0]?.statement ?? undefined;
  }

  /** The federation's keys as pinned by this node (none before admission). */
  async pinnedFederationKeys(): Promise<Jwks> {
    const rows = await runNamed<{ federation_jwks: { keys: OkpPublicJwk[] } }, 'pinnedFederationKeys'>(
      this.dataSource,
      MEMBERSHIP_EVIDENCE_QUERIES,
      'pinnedFederationKeys',
    );
    return { keys: rows[0]?.federation_jwks.keys ?? [] };
  }
}
