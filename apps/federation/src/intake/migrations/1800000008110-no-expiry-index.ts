import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * received_message is read by (issuer, jti) only (its primary key): the index on expires_at, which
 * no statement reads, is no longer written with every message taken (issue 17).
 */
export class NoExpiryIndex1800000008110 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX received_message_expires_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX received_message_expires_idx ON received_message (expires_at)`);
  }
}
