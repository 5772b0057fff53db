import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Push latency: every statement that adds outbox rows also sends NOTIFY share_outbox. PostgreSQL
 * delivers a notification only when its transaction commits (and folds identical ones of one
 * transaction into one), so a listener hears exactly "committed outbox rows are waiting", never
 * about rows that may still roll back. The payload is empty: the outbox table stays the source of
 * truth, and the sweep remains the safety net for a listener that was not connected.
 */
export class NotifyShareOutbox1700000007100 implements MigrationInterface {
  name = 'NotifyShareOutbox1700000007100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION share_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('share_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER share_outbox_notify AFTER INSERT ON share_outbox
        FOR EACH STATEMENT EXECUTE FUNCTION share_outbox_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER share_outbox_notify ON share_outbox`);
    await q.query(`DROP FUNCTION share_outbox_notify()`);
  }
}
