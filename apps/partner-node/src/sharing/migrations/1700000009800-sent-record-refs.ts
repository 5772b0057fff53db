import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `share_sent_ref`: the record refs of each delivered envelope (`share_delivery.records`), typed,
 * with the envelope's recipient, agreement and time and the customer each record belongs to
 * (`owner_customer_id`), so that the violations report checks sent records with comparisons on one
 * row (issue 17). One row per group of refs that every check sees alike: same envelope, consent,
 * category, kind and owner, their record ids in `record_ids` (a customer's records travel
 * together: a pull answer is one customer's history, a push batch a window of changes), so the
 * report checks groups and lists the records of the groups that fail. Before, it unnested every envelope's jsonb array and joined every ref with
 * the record tables by id as text: at 1,000,000 refs a 110 MB hash table of the interactions, and
 * half of the report's time.
 *
 * Kept by triggers, in the writer's transaction, like the outbox: envelopes are marked delivered
 * by the push job, inserted delivered by a pull answer, and written by raw SQL in tests, benches
 * and by hand; the database sees them all, so the refs stay a faithful copy of the delivered
 * envelopes whoever writes them (a delivery's refs are rewritten when its records, recipient,
 * agreement, times or status change, and go with it).
 *
 * The owner is the record's `customer_id` read in the transaction that marks the envelope
 * delivered (the record tables' owners are interaction, care_case and customer_order: like the
 * outbox triggers, this migration names them, no module's code does). It then follows the record:
 * when a record changes customer (an order re-imported under another customer), its refs take the
 * new owner, so the report still compares the consent's subject with the record's current owner,
 * as when it joined the record tables. A deleted record keeps its last owner (before, a deleted
 * record dropped out of that check: a record sent under another subject's consent stays reported
 * after it is erased). A ref to a record that did not exist when sent has no owner, and that check
 * says nothing of it (as before).
 *
 * Record and consent ids are uuids (the node only writes uuids): a ref whose id is not one makes
 * the statement that delivers it fail with PostgreSQL's error naming the value.
 */
const REF_COLUMNS = `envelope_id, recipient, agreement_id, sent_at, consent_id, category, kind, owner_customer_id, record_ids`;

/** The refs of the delivered envelopes among `deliveries` (a relation of share_delivery rows), grouped. */
const refsOf = (deliveries: string) => `
  SELECT d.id, d.recipient, d.agreement_id, COALESCE(d.sealed_at, d.delivered_at, d.created_at),
         (e->>'consentId')::uuid, e->>'category', e->>'kind',
         COALESCE(i.customer_id, cc.customer_id, od.customer_id), array_agg(ref.id ORDER BY ref.id)
    FROM ${deliveries} d
   CROSS JOIN LATERAL jsonb_array_elements(d.records) e
   CROSS JOIN LATERAL (SELECT (e->>'id')::uuid AS id) ref
    LEFT JOIN interaction i ON e->>'kind' = 'interaction' AND i.id = ref.id
    LEFT JOIN care_case cc ON e->>'kind' = 'care_case' AND cc.id = ref.id
    LEFT JOIN customer_order od ON e->>'kind' = 'order' AND od.id = ref.id
   WHERE d.status = 'delivered'
   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`;

/** What a ref copies from its envelope: when any of it changes, the envelope's refs are rewritten. */
const COPIED = (d: string) =>
  `(${d}.status, ${d}.records, ${d}.recipient, ${d}.agreement_id, ${d}.sealed_at, ${d}.delivered_at, ${d}.created_at)`;

/** `statement` in the trigger: planned for its rows when `many`, from the cached plan otherwise. */
const planned = (statement: string) =>
  `IF many THEN EXECUTE $sql$${statement}$sql$; ELSE ${statement}; END IF;`;

export class SentRecordRefs1700000009800 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE share_sent_ref (
        envelope_id uuid NOT NULL,
        recipient text NOT NULL,
        agreement_id text NOT NULL,
        sent_at timestamptz NOT NULL,
        consent_id uuid,
        category text,
        kind text,
        owner_customer_id uuid,
        record_ids uuid[] NOT NULL
      )`);
    await q.query(`CREATE INDEX share_sent_ref_envelope_idx ON share_sent_ref (envelope_id)`);

    // Statement triggers over transition tables: a bulk statement's refs in one set-based insert.
    // PL/pgSQL caches a plan that assumes one row per transition table: right for the push job's
    // one envelope at a time, quadratic for a bulk statement (2,000 envelopes marked delivered at
    // once: 0.8-16 s instead of 0.3-0.6 s). So a statement of several rows runs as dynamic SQL,
    // planned for the rows it has (planning each time would cost the push job ~0.8 ms an envelope).
    await q.query(`
      CREATE FUNCTION share_sent_refs_after_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        many boolean;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          SELECT count(*) > 1 INTO many FROM new_deliveries;
          ${planned(`INSERT INTO share_sent_ref (${REF_COLUMNS}) ${refsOf('new_deliveries')}`)}
        ELSIF TG_OP = 'UPDATE' THEN
          SELECT count(*) > 1 INTO many FROM new_deliveries;
          ${planned(`DELETE FROM share_sent_ref r USING old_deliveries o JOIN new_deliveries n ON n.id = o.id
           WHERE r.envelope_id = o.id AND o.status = 'delivered' AND ${COPIED('o')} IS DISTINCT FROM ${COPIED('n')}`)}
          ${planned(
            `INSERT INTO share_sent_ref (${REF_COLUMNS}) ${refsOf(`(
            SELECT n.* FROM new_deliveries n JOIN old_deliveries o ON o.id = n.id
             WHERE ${COPIED('o')} IS DISTINCT FROM ${COPIED('n')})`)}`,
          )}
        ELSE
          SELECT count(*) > 1 INTO many FROM old_deliveries;
          ${planned(`DELETE FROM share_sent_ref r USING old_deliveries o WHERE r.envelope_id = o.id AND o.status = 'delivered'`)}
        END IF;
        RETURN NULL;
      END $$`);
    for (const event of ['INSERT', 'UPDATE', 'DELETE'] as const) {
      const tables = [
        event !== 'INSERT' ? 'OLD TABLE AS old_deliveries' : '',
        event !== 'DELETE' ? 'NEW TABLE AS new_deliveries' : '',
      ].join(' ');
      await q.query(
        `CREATE TRIGGER share_sent_refs_after_${event.toLowerCase()} AFTER ${event} ON share_delivery
           REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION share_sent_refs_after_deliveries()`,
      );
    }
    await q.query(`
      CREATE FUNCTION share_sent_refs_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM share_sent_ref;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER share_sent_refs_after_truncate AFTER TRUNCATE ON share_delivery
         FOR EACH STATEMENT EXECUTE FUNCTION share_sent_refs_truncated()`,
    );

    // A record that changes customer: its refs follow (the envelopes naming it, by the GIN index
    // on share_delivery.records): a group of that record alone takes the new owner, another one
    // gives the record up to a group of its own. TG_ARGV[0] is the record kind of the table.
    await q.query(`
      CREATE FUNCTION share_sent_refs_owner_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        g record;
      BEGIN
        FOR g IN
          SELECT r.ctid AS row_id, r.*, cardinality(array_positions(r.record_ids, NEW.id)) AS refs
            FROM share_sent_ref r JOIN share_delivery d ON d.id = r.envelope_id
           WHERE d.records @> jsonb_build_array(jsonb_build_object('kind', TG_ARGV[0], 'id', NEW.id::text))
             AND r.kind = TG_ARGV[0] AND NEW.id = ANY (r.record_ids)
             FOR UPDATE OF r
        LOOP
          IF g.refs = cardinality(g.record_ids) THEN
            UPDATE share_sent_ref SET owner_customer_id = NEW.customer_id WHERE ctid = g.row_id;
          ELSE
            UPDATE share_sent_ref SET record_ids = array_remove(record_ids, NEW.id) WHERE ctid = g.row_id;
            INSERT INTO share_sent_ref (${REF_COLUMNS})
            VALUES (g.envelope_id, g.recipient, g.agreement_id, g.sent_at, g.consent_id, g.category, g.kind,
                    NEW.customer_id, array_fill(NEW.id, ARRAY[g.refs]));
          END IF;
        END LOOP;
        RETURN NULL;
      END $$`);
    for (const [table, kind] of [
      ['interaction', 'interaction'],
      ['care_case', 'care_case'],
      ['customer_order', 'order'],
    ] as const) {
      await q.query(
        `CREATE TRIGGER ${table}_share_sent_owner AFTER UPDATE OF customer_id ON ${table}
           FOR EACH ROW WHEN (OLD.customer_id IS DISTINCT FROM NEW.customer_id)
           EXECUTE FUNCTION share_sent_refs_owner_changed('${kind}')`,
      );
    }

    // Backfill from the envelopes delivered so far.
    await q.query(`INSERT INTO share_sent_ref (${REF_COLUMNS}) ${refsOf('share_delivery')}`);
    await q.query(`ANALYZE share_sent_ref`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['interaction', 'care_case', 'customer_order']) {
      await q.query(`DROP TRIGGER ${table}_share_sent_owner ON ${table}`);
    }
    await q.query(`DROP FUNCTION share_sent_refs_owner_changed()`);
    await q.query(`DROP TRIGGER share_sent_refs_after_truncate ON share_delivery`);
    await q.query(`DROP FUNCTION share_sent_refs_truncated()`);
    for (const event of ['insert', 'update', 'delete']) {
      await q.query(`DROP TRIGGER share_sent_refs_after_${event} ON share_delivery`);
    }
    await q.query(`DROP FUNCTION share_sent_refs_after_deliveries()`);
    await q.query(`DROP TABLE share_sent_ref`);
  }
}
