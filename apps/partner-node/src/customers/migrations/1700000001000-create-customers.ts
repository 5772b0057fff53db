import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Customers with their e-mails and phones. Search is served by a trigram index on a generated,
 * lower-cased "first last" column, a prefix index on e-mails, and a reversed-number index on
 * phones (suffix match: "01 23 45 67 89" finds +33123456789). Lists page by keyset over partial
 * indexes of the live (not soft-deleted) rows.
 */
export class CreateCustomers1700000001000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE customer (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        first_name text NOT NULL CHECK (char_length(first_name) BETWEEN 1 AND 200),
        last_name text NOT NULL CHECK (char_length(last_name) BETWEEN 1 AND 200),
        address_line1 text CHECK (char_length(address_line1) <= 200),
        address_line2 text CHECK (char_length(address_line2) <= 200),
        address_postal_code text CHECK (char_length(address_postal_code) <= 20),
        address_city text CHECK (char_length(address_city) <= 200),
        address_region text CHECK (char_length(address_region) <= 200),
        address_country text CHECK (address_country ~ '^[A-Z]{2}$'),
        language text CHECK (char_length(language) <= 35),
        lifecycle_stage text NOT NULL DEFAULT 'lead'
          CHECK (lifecycle_stage IN ('lead','prospect','customer','churned')),
        owner_id uuid REFERENCES app_user(id) ON DELETE SET NULL,
        tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 50),
        attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object'),
        external_id text CHECK (char_length(external_id) BETWEEN 1 AND 200),
        search_text text GENERATED ALWAYS AS (lower(first_name || ' ' || last_name)) STORED,
        -- Millisecond precision: the keyset cursors carry JavaScript dates, which have no microseconds.
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX customer_external_id_key ON customer (external_id) WHERE external_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX customer_search_text_trgm ON customer USING gin (search_text gin_trgm_ops)`);
    await q.query(`CREATE INDEX customer_tags_gin ON customer USING gin (tags)`);
    await q.query(`CREATE INDEX customer_owner_id_idx ON customer (owner_id)`);
    await q.query(
      `CREATE INDEX customer_created_at_idx ON customer (created_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(
      `CREATE INDEX customer_updated_at_idx ON customer (updated_at, id) WHERE deleted_at IS NULL`,
    );
    await q.query(`CREATE INDEX customer_last_name_idx ON customer (last_name, id) WHERE deleted_at IS NULL`);
    await q.query(
      `CREATE INDEX customer_deleted_at_idx ON customer (deleted_at) WHERE deleted_at IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE customer_email (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customer(id) ON DELETE CASCADE,
        address text NOT NULL CHECK (address = lower(btrim(address)) AND char_length(address) BETWEEN 3 AND 254),
        is_primary boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (customer_id, address)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX customer_email_one_primary ON customer_email (customer_id) WHERE is_primary`,
    );
    await q.query(`CREATE INDEX customer_email_address_idx ON customer_email (address text_pattern_ops)`);

    await q.query(`
      CREATE TABLE customer_phone (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES customer(id) ON DELETE CASCADE,
        number text NOT NULL CHECK (number ~ '^\\+[1-9][0-9]{7,14}$'),
        is_primary boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (customer_id, number)
      )`);
    await q.query(
      `CREATE UNIQUE INDEX customer_phone_one_primary ON customer_phone (customer_id) WHERE is_primary`,
    );
    await q.query(`CREATE INDEX customer_phone_number_idx ON customer_phone (number)`);
    await q.query(
      `CREATE INDEX customer_phone_reversed_idx ON customer_phone (reverse(number) text_pattern_ops)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE customer_phone`);
    await q.query(`DROP TABLE customer_email`);
    await q.query(`DROP TABLE customer`);
  }
}
