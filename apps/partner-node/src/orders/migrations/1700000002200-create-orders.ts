import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders and their lines. Amounts are numeric(14,2); the database re-checks what the server
 * computed (line total = quantity × unit price, total = subtotal − discount + shipping + tax).
 * Indexes: (customer_id, ordered_at, id) for the timeline and RFM analyses, (ordered_at, id) and
 * (total, id) for the lists, unique number and unique external id (when set).
 */
export class CreateOrders1700000002200 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE customer_order_number_seq`);
    await q.query(`
      CREATE TABLE customer_order (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number text NOT NULL CHECK (char_length(number) BETWEEN 1 AND 50),
        external_id text CHECK (char_length(external_id) BETWEEN 1 AND 200),
        customer_id uuid NOT NULL REFERENCES customer(id),
        ordered_at timestamptz(3) NOT NULL DEFAULT now(),
        status text NOT NULL CHECK (status IN ('pending','paid','shipped','delivered','cancelled','returned')),
        channel text NOT NULL CHECK (channel IN ('web','store','phone','marketplace','partner')),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        subtotal numeric(14,2) NOT NULL CHECK (subtotal >= 0),
        discount numeric(14,2) NOT NULL DEFAULT 0 CHECK (discount >= 0 AND discount <= subtotal),
        shipping numeric(14,2) NOT NULL DEFAULT 0 CHECK (shipping >= 0),
        tax numeric(14,2) NOT NULL DEFAULT 0 CHECK (tax >= 0),
        total numeric(14,2) NOT NULL CHECK (total = subtotal - discount + shipping + tax),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX customer_order_number_key ON customer_order (number)`);
    await q.query(
      `CREATE UNIQUE INDEX customer_order_external_id_key ON customer_order (external_id) WHERE external_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX customer_order_customer_ordered_idx ON customer_order (customer_id, ordered_at, id)`,
    );
    await q.query(`CREATE INDEX customer_order_ordered_idx ON customer_order (ordered_at, id)`);
    await q.query(`CREATE INDEX customer_order_total_idx ON customer_order (total, id)`);

    await q.query(`
      CREATE TABLE order_line (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        order_id uuid NOT NULL REFERENCES customer_order(id) ON DELETE CASCADE,
        position int NOT NULL CHECK (position >= 0),
        sku text NOT NULL CHECK (char_length(sku) BETWEEN 1 AND 64),
        product_name text NOT NULL CHECK (char_length(product_name) BETWEEN 1 AND 200),
        product_category text CHECK (char_length(product_category) BETWEEN 1 AND 100),
        quantity int NOT NULL CHECK (quantity > 0),
        unit_price numeric(14,2) NOT NULL CHECK (unit_price >= 0),
        line_total numeric(14,2) NOT NULL CHECK (line_total = quantity * unit_price),
        UNIQUE (order_id, position)
      )`);
    await q.query(`CREATE INDEX order_line_sku_idx ON order_line (sku)`);
    await q.query(`CREATE INDEX order_line_category_idx ON order_line (product_category)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE order_line`);
    await q.query(`DROP TABLE customer_order`);
    await q.query(`DROP SEQUENCE customer_order_number_seq`);
  }
}
