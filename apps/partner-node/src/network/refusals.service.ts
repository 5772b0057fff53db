import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ANONYMOUS_REFUSAL_REASONS, isProtocolError, peekJwsIds } from '#protocol';
import { DirectoryRefusalError, type RefusalReason } from '#federation-client';
import { RefusedMessageError } from '#platform/errors/app-errors';
import { paginate, type ConnectionShape, type PageArgs } from '#platform/graphql/connection';
import { getLogger } from '#platform/logging/logger';
import { NodeRefusal } from './network.entities.js';

/** The stable code of a refusal: protocol code, directory rule, or our own. */
export function refusalReason(error: unknown): RefusalReason | undefined {
  if (isProtocolError(error)) return error.code;
  if (error instanceof DirectoryRefusalError) return error.code;
  if (error instanceof RefusedMessageError) return error.reason;
  return undefined;
}

/** Records refused incoming protocol messages (table `refusal`); never their content. */
@Injectable()
export class RefusalsService {
  private readonly logger = getLogger().child({ context: 'refusals' });

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Records the refusal of `jws` and returns the error to throw: a RefusedMessageError carrying the
   * code. Errors that are not refusals (bugs, outages) are returned unchanged and not recorded.
   * `inbound`: a request anyone can send (the protocol endpoint), whose anonymous refusals are
   * aggregated; what the node fetched itself (directory, statements) is always one row each.
   */
  async refuse(
    error: unknown,
    kind: string,
    source: string,
    jws: unknown,
    options: { inbound?: boolean } = {},
  ): Promise<unknown> {
    const reason = refusalReason(error);
    if (!reason) return error;
    const message = error instanceof Error ? error.message : String(error);
    await this.record({ kind, reason, source, message, inbound: options.inbound, ...peekJwsIds(jws) });
    return error instanceof RefusedMessageError
      ? error
      : new RefusedMessageError(reason, `${kind} refused: ${message}`, { kind, source });
  }

  async record(refusal: {
    kind: string;
    reason: string;
    source: string;
    message: string;
    issuer?: string | null;
    kid?: string | null;
    jti?: string | null;
    inbound?: boolean;
  }): Promise<void> {
    const row = [
      refusal.kind.slice(0, 64),
      refusal.reason.slice(0, 64),
      refusal.source.slice(0, 64),
      refusal.issuer ?? null,
      refusal.kid ?? null,
      refusal.jti ?? null,
      refusal.message.slice(0, 500),
    ];
    try {
      if (refusal.inbound && ANONYMOUS_REFUSAL_REASONS.has(refusal.reason)) {
        // Anyone can send these by the thousand: one row per kind, reason, source and minute.
        await this.dataSource.query(
          `INSERT INTO refusal (kind, reason, source, issuer, kid, jti, message, window_start)
           VALUES ($1, $2, $3, NULL, NULL, NULL, $4, date_trunc('minute', now()))
           ON CONFLICT (kind, reason, source, window_start) WHERE window_start IS NOT NULL
           DO UPDATE SET count = refusal.count + 1, created_at = now()`,
          [row[0], row[1], row[2], row[6]],
        );
      } else {
        await this.dataSource.query(
          `INSERT INTO refusal (kind, reason, source, issuer, kid, jti, message) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          row,
        );
      }
    } catch (error) {
      this.logger.error({ reason: refusal.reason, err: String(error) }, 'refusal could not be recorded');
    }
    this.logger.warn(
      { kind: refusal.kind, reason: refusal.reason, source: refusal.source, issuer: refusal.issuer },
      'protocol message refused',
    );
  }

  list(args: PageArgs): Promise<ConnectionShape<NodeRefusal>> {
    return paginate(
      this.dataSource.getRepository(NodeRefusal).createQueryBuilder('r'),
      {
        column: 'r.created_at',
        value: (r) => r.createdAt,
        direction: 'DESC',
        idColumn: 'r.id',
        id: (r) => r.id,
      },
      args,
    );
  }
}
