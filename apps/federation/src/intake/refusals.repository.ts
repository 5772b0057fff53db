import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed } from '#platform/database/named-queries';
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
}
