import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { runNamed } from '#platform/database/named-queries';
import { RELAY_LOG_QUERIES } from './relay-log.queries.js';

/** One relayed message as logged (metadata only: never a payload, never a subject). */
export interface RelayLogRecord {
  kind: 'history' | 'envelope' | 'withdrawal';
  requestId: string;
  from: string;
  to: string;
  messageId: string | null;
  status: string;
  reason: string | null;
  durationMs: number;
}

/** A pair's traffic over a period, as counted. */
export interface RelayPairTrafficRow {
  from_partner: string;
  to_partner: string;
  history: number;
  envelope: number;
  withdrawal: number;
  failed: number;
  last_at: Date;
}

/** `relay_log` (the relay's table). The statements are in relay-log.queries.ts and in queries/relay.sql. */
@Injectable()
export class RelayLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async log(record: RelayLogRecord): Promise<void> {
    await runNamed(this.dataSource, RELAY_LOG_QUERIES, 'logRelayed', [
      record.kind,
      record.requestId,
      record.from,
      record.to,
      record.messageId,
      record.status,
      record.reason,
      record.durationMs,
    ]);
  }

  /** Per ordered pair, in [from, to): counts by kind, and those whose status is not among `carried`. */
  trafficPerPair(from: Date, to: Date, carried: readonly string[]): Promise<RelayPairTrafficRow[]> {
    return runNamed(this.dataSource, RELAY_LOG_QUERIES, 'trafficPerPair', [from, to, [...carried]]);
  }
}
