import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { paginate, type ConnectionShape, type PageArgs } from '#platform/graphql/connection';
import { PullAnswer, SharedAccess, SharePurge } from './sharing.entities.js';

/**
 * What the sharing module's logs show the compliance officer and the admin: pulls that look like
 * fishing, who saw partners' data, and the purges of a withdrawn consent's copies.
 */
@Injectable()
export class SharingLogsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Pulls answered for partners whose customer was created there shortly before; newest first. */
  pullAlerts(args: PageArgs): Promise<ConnectionShape<PullAnswer>> {
    const qb = this.dataSource.getRepository(PullAnswer).createQueryBuilder('p').where('p.alert');
    return paginate(
      qb,
      {
        column: 'p.received_at',
        value: (p) => p.receivedAt,
        direction: 'DESC',
        idColumn: 'p.request_id',
        id: (p) => p.requestId,
      },
      args,
    );
  }

  /** Accesses to partners' shared items (of one customer, or all); newest first. */
  sharedAccesses(args: PageArgs & { customerId?: string }): Promise<ConnectionShape<SharedAccess>> {
    const qb = this.dataSource.getRepository(SharedAccess).createQueryBuilder('a');
    if (args.customerId) qb.where('a.customer_id = :customerId', { customerId: args.customerId });
    return paginate(
      qb,
      {
        column: 'a.accessed_at',
        value: (a) => a.accessedAt,
        direction: 'DESC',
        idColumn: 'a.id',
        id: (a) => a.id,
      },
      args,
    );
  }

  /** The purges of a withdrawn consent's copies, per recipient. */
  sharePurges(consentId: string): Promise<SharePurge[]> {
    return this.dataSource
      .getRepository(SharePurge)
      .find({ where: { consentId }, order: { recipient: 'ASC' } });
  }
}
