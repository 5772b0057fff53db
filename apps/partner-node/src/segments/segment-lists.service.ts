import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ValidationError } from '#platform/errors/app-errors';
import { CustomerReferencesRepository } from '../customers/customer-references.repository.js';
import { externalIdsOfCsv } from './member-csv.js';
import { Segment, SegmentKind } from './segment.entity.js';
import {
  MAX_MEMBER_CSV_LINES,
  type CsvLineError,
  type ImportSegmentMembersInput,
  type SegmentListEditInput,
} from './segments.dto.js';
import { SegmentsService } from './segments.service.js';

/**
 * The member lists of STATIC segments, edited by hand: customers added by id or by the external
 * ids of a CSV (all or nothing), removed by id. The customers named are resolved by their owner
 * (CustomerReferencesRepository); each edit is one write of SegmentsService, with the list's size
 * recorded in it.
 */
@Injectable()
export class SegmentListsService {
  constructor(
    @InjectRepository(Segment) private readonly segments: Repository<Segment>,
    private readonly segmentsService: SegmentsService,
    private readonly customerRefs: CustomerReferencesRepository,
  ) {}

  /** Adds customers to a STATIC segment (already present ones are kept as they are). */
  async addMembers(input: SegmentListEditInput): Promise<Segment> {
    await this.staticSegment(input.segmentId);
    const ids = [...new Set(input.customerIds)];
    await this.segmentsService.inWrite(async (m) => {
      await m.query(`SELECT 1 FROM segment WHERE id = $1 FOR UPDATE`, [input.segmentId]);
      const live = await this.customerRefs.liveIdsAmong(ids, m);
      const missing = input.customerIds.findIndex((id) => !live.has(id));
      if (missing >= 0) throw new ValidationError(`customerIds[${missing}]`, 'no such customer');
      await m.query(
        `INSERT INTO segment_member (segment_id, customer_id, added_at)
         SELECT $1, unnest($2::uuid[]), now() ON CONFLICT DO NOTHING`,
        [input.segmentId, ids],
      );
      await this.segmentsService.recordSize(m, input.segmentId);
    });
    return this.segmentsService.get(input.segmentId);
  }

  /**
   * Adds the customers named by external id in a CSV to a STATIC segment: all or nothing. Every
   * refused line (malformed, unknown or deleted customer) is reported with its number, and then
   * nothing is written.
   */
  async importMembers(
    input: ImportSegmentMembersInput,
  ): Promise<{ segment: Segment; added: number; errors: CsvLineError[] }> {
    await this.staticSegment(input.segmentId);
    const parsed = externalIdsOfCsv(input.csv, MAX_MEMBER_CSV_LINES);
    if (parsed.tooLong) throw new ValidationError('csv', `must have at most ${MAX_MEMBER_CSV_LINES} lines`);
    const errors = [...parsed.errors];
    const ids = [...new Set(parsed.rows.map((r) => r.externalId))];
    const found = ids.length ? await this.customerRefs.liveByExternalIds(ids) : [];
    const byExternal = new Map(found.map((r) => [r.external_id, r.id]));
    for (const row of parsed.rows) {
      if (!byExternal.has(row.externalId)) {
        errors.push({ line: row.line, message: `no customer with external id ${row.externalId}` });
      }
    }
    errors.sort((a, b) => a.line - b.line);
    if (errors.length > 0 || found.length === 0) {
      if (errors.length === 0) throw new ValidationError('csv', 'names no customer');
      return { segment: await this.segmentsService.get(input.segmentId), added: 0, errors };
    }
    let added = 0;
    await this.segmentsService.inWrite(async (m) => {
      await m.query(`SELECT 1 FROM segment WHERE id = $1 FOR UPDATE`, [input.segmentId]);
      const inserted: unknown[] = await m.query(
        `INSERT INTO segment_member (segment_id, customer_id, added_at)
         SELECT $1, unnest($2::uuid[]), now() ON CONFLICT DO NOTHING RETURNING customer_id`,
        [input.segmentId, [...byExternal.values()]],
      );
      added = inserted.length;
      await this.segmentsService.recordSize(m, input.segmentId);
    });
    return { segment: await this.segmentsService.get(input.segmentId), added, errors: [] };
  }

  /** Removes customers from a STATIC segment (absent ones are ignored). */
  async removeMembers(input: SegmentListEditInput): Promise<Segment> {
    await this.staticSegment(input.segmentId);
    await this.segmentsService.inWrite(async (m) => {
      await m.query(`SELECT 1 FROM segment WHERE id = $1 FOR UPDATE`, [input.segmentId]);
      await m.query(`DELETE FROM segment_member WHERE segment_id = $1 AND customer_id = ANY($2::uuid[])`, [
        input.segmentId,
        input.customerIds,
      ]);
      await this.segmentsService.recordSize(m, input.segmentId);
    });
    return this.segmentsService.get(input.segmentId);
  }

  private async staticSegment(id: string): Promise<Segment> {
    const segment = await this.segments.findOneBy({ id });
    if (!segment) throw new ValidationError('segmentId', `no segment ${id}`);
    if (segment.kind !== SegmentKind.STATIC) {
      throw new ValidationError('segmentId', 'members of a RULE segment come from its rule; edit the rule');
    }
    return segment;
  }
}
