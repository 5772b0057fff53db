import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { nowSeconds } from '#protocol';
import type { DirectoryEntry } from '#federation-client';
import { NotFoundError } from '#platform/errors/app-errors';
import type { FederationConfig } from '../config.js';
import { FEDERATION_CONFIG } from '../config.token.js';
import { FederationKeysService } from '../keys/federation-keys.service.js';
import { Member, MemberKey } from './member.entity.js';
import { directoryKeys, seconds, statementRefreshDue } from './membership-rules.js';
import { MembershipStatements } from './membership-statements.js';

/**
 * The public directory: each member with its signed statement and its keys. A statement near its
 * end is re-issued on the way (so that a member's statement never lapses while it is read).
 */
@Injectable()
export class DirectoryService {
  constructor(
    @Inject(FEDERATION_CONFIG) private readonly config: FederationConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: FederationKeysService,
    private readonly statements: MembershipStatements,
  ) {}

  async directory(): Promise<DirectoryEntry[]> {
    const members = await this.dataSource.getRepository(Member).find({ order: { partnerId: 'ASC' } });
    return this.entries(members);
  }

  async entry(partnerId: string): Promise<DirectoryEntry> {
    const member = await this.dataSource.getRepository(Member).findOneBy({ partnerId });
    if (!member) throw new NotFoundError('Member', partnerId);
    const [entry] = await this.entries([member]);
    return entry!;
  }

  private async entries(members: Member[]): Promise<DirectoryEntry[]> {
    const ids = members.map((m) => m.partnerId);
    let keys = ids.length ? await this.keysOf(ids) : [];
    const now = nowSeconds();
    let refreshed = false;
    for (const member of members) {
      const mine = keys.filter((k) => k.partnerId === member.partnerId);
      const planned = this.statements.plannedExpiry(member, mine, now);
      if (statementRefreshDue(member, planned, now, this.config.statementTtlSeconds)) {
        const signingKey = await this.keys.signingKey();
        await this.dataSource.transaction((m) => this.statements.issue(m, member.partnerId, signingKey, now));
        refreshed = true;
      }
    }
    if (refreshed) {
      members = await this.dataSource.getRepository(Member).findBy({ partnerId: In(ids) });
      members.sort((a, b) => a.partnerId.localeCompare(b.partnerId));
      keys = await this.keysOf(ids);
    }
    return members.map((member) => ({
      partnerId: member.partnerId,
      name: member.name,
      endpoint: member.endpoint,
      status: member.status,
      statement: member.statement,
      validUntil: seconds(member.validUntil),
      keys: directoryKeys(
        keys.filter((k) => k.partnerId === member.partnerId),
        now,
      ),
    }));
  }

  private keysOf(ids: string[]): Promise<MemberKey[]> {
    return this.dataSource
      .getRepository(MemberKey)
      .find({ where: { partnerId: In(ids) }, order: { addedAt: 'ASC', kid: 'ASC' } });
  }
}
