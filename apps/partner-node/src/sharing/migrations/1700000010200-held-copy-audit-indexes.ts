import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two indexes of the held copies (`shared_record`) for the violations report (issue 17), which then
 * reads only the copies that may fail a check instead of checking every copy held:
 * - `shared_record_audit_kind_idx`: the copies by kind (agreement, origin partner, signature status,
 *   category) and reception time: the report reads the few kinds (one index descent each, see
 *   HELD_COPY_KINDS), checks each against its agreement once, and reads the copies of a kind that
 *   fails, or of one that passes those received outside the agreement's validity;
 * - `shared_record_audit_retention_idx`: the copies by agreement and retention span (how long a copy
 *   is kept: its retention end − its reception), for the copies kept longer than their agreement
 *   allows. `shared_record_retention_span` is NULL when either time is infinite (subtracting
 *   an infinite timestamp is an error, which would refuse the copy): the report reads those too.
 * Each is one more B-tree entry per copy received (there were six).
 */
export class HeldCopyAuditIndexes1700000010200 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION shared_record_retention_span(retention_ends_at timestamptz, received_at timestamptz)
        RETURNS interval LANGUAGE sql IMMUTABLE PARALLEL SAFE
        AS $$ SELECT CASE WHEN isfinite(retention_ends_at) AND isfinite(received_at)
                          THEN retention_ends_at - received_at END $$`);
    await q.query(`
      CREATE INDEX shared_record_audit_kind_idx
        ON shared_record (agreement_id, origin_partner_id, signature_status, category, received_at)`);
    await q.query(`
      CREATE INDEX shared_record_audit_retention_idx
        ON shared_record (agreement_id, shared_record_retention_span(retention_ends_at, received_at))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX shared_record_audit_retention_idx`);
    await q.query(`DROP INDEX shared_record_audit_kind_idx`);
    await q.query(`DROP FUNCTION shared_record_retention_span(timestamptz, timestamptz)`);
  }
}
