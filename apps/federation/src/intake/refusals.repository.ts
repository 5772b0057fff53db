import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed } from '#platform/database/named-queries';
import { ValidationError } from '#platform/errors/app-errors';
import { paginate } from '#platform/graphql/connection';
import { Refusal } from './refusal.entity.js';
import type { RefusalConnection, RefusalsArgs } from './refusals.resolver.js';
import { REFUSAL_QUERIES } from './refusals.queries.js';

/** A refused message as recorded (never its payload). */
export interface RefusalRecord {
  kind: string;
  reason: string;
  issuer: string | null;
  kid: string | null;
  jti: string | null;
  route: string;
  message: string;
}

/**
 * The writes of `refusal` (owned by the intake module), by name: the intake's and the relay's.
 * The statements are in refusals.queries.ts and, generated, in queries/intake.sql.
 */
@Injectable()
export class RefusalsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One row for this refusal; the message cut at 500 characters. */
  async record(refusal: RefusalRecord): Promise<void> {
    await runNamed(this.dataSource, REFUSAL_QUERIES, 'recordRefusal', [
      refusal.kind,
      refusal.reason,
      refusal.issuer,
      refusal.kid,
      refusal.jti,
      refusal.route,
      refusal.message.slice(0, 500),
    ]);
  }

  /** An anonymous refusal, counted in its kind, reason, route and minute; the message cut at 500 characters. */
  async recordAnonymous(
    refusal: Pick<RefusalRecord, 'kind' | 'reason' | 'route' | 'message'>,
  ): Promise<void> {
    await runNamed(this.dataSource, REFUSAL_QUERIES, 'recordAnonymousRefusal', [
      refusal.kind,
      refusal.reason,
      refusal.route,
      refusal.message.slice(0, 500),
    ]);
  }

  /** Refusals, newest first, of a reason, an issuer and a period (from before to). */
  page(args: RefusalsArgs): Promise<RefusalConnection> {
    const query = this.dataSource.getRepository(Refusal).createQueryBuilder('r');
    if (args.reason) query.andWhere('r.reason = :reason', { reason: args.reason });
    if (args.issuer) query.andWhere('r.issuer = :issuer', { issuer: args.issuer });
    if (args.from && args.to && args.from >= args.to) throw new ValidationError('from', 'must be before to');
    if (args.from) query.andWhere('r.refused_at >= :from', { from: args.from });
    if (args.to) query.andWhere('r.refused_at < :to', { to: args.to });
    return paginate(
      query,
      {
        column: 'r.refused_at',
        value: (r) => r.refusedAt,
        direction: 'DESC',
        idColumn: 'r.id',
        id: (r) => r.id,
      },
      args,
    );
  }

  /** The reasons refusals were recorded under. */
  async reasons(): Promise<string[]> {
    const rows: { reason: string }[] = await this.dataSource.query(
      `SELECT DISTINCT reason FROM refusal ORDER BY reason`,
    );
    return rows.map((r) => r.reason);
  }
}
