import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sales per calendar month (UTC), currency and status, kept by the orders module for the
 * statistics page: `order_sales_month` sums whole orders (count, total) and
 * `order_category_sales_month` sums order lines per product category (orders having a line of the
 * category, quantity, line totals). At a million customers the page's sales queries scanned and
 * joined millions of orders and lines on each load; these tables hold a few rows per month.
 *
 * Both tables are additive parts, not one row per key: a write adds rows (never updates one), a
 * key's figure is the sum of its rows, and OrdersService compacts them. Updating one row per key
 * instead would make every order write of a month wait for the others' commits on that row (an
 * order import holds its transaction for seconds) and let two writers deadlock on two rows.
 *
 * Kept by triggers, in the writer's transaction. Why triggers: orders are written by the
 * GraphQL service (TypeORM), by the CSV import in set-based SQL, by the erasure's cascading
 * delete, and in bulk SQL by seeds and benches; the database is the one place that sees all of
 * them, so the sums stay exact whoever writes. They are statement triggers over transition
 * tables so that a bulk statement is summed once, not row by row, except one row trigger: an
 * order's lines are deleted by cascade after the order row is gone, so what they counted is
 * taken off just before the order row goes (`order_sales_before_delete`), while they are still
 * there.
 *
 * The line triggers need the orders' current month, currency and status, so they count only the
 * lines of orders that still exist; the order triggers move the lines' sums when an order changes
 * month, currency or status. Each statement is one step: a statement writing both orders and
 * their lines (a writable CTE) is not supported.
 *
 * Also customer_order_counted_ordered_idx: counted orders by date with customer, total and
 * currency, so that the RFM distribution reads a year of them from the index alone.
 */
export class OrderSalesByMonth1700000009300 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE order_sales_month (
        month date NOT NULL,
        currency text NOT NULL,
        status text NOT NULL,
        orders bigint NOT NULL,
        revenue numeric NOT NULL
      )`);
    await q.query(`CREATE INDEX order_sales_month_key_idx ON order_sales_month (currency, month)`);
    await q.query(`
      CREATE TABLE order_category_sales_month (
        month date NOT NULL,
        currency text NOT NULL,
        status text NOT NULL,
        category text,
        orders bigint NOT NULL,
        quantity bigint NOT NULL,
        revenue numeric NOT NULL
      )`);
    await q.query(
      `CREATE INDEX order_category_sales_month_key_idx ON order_category_sales_month (currency, month)`,
    );
    await q.query(`
      CREATE FUNCTION order_sales_month_of(at timestamptz) RETURNS date
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN date_trunc('month', at AT TIME ZONE 'UTC')::date`);

    // The rows a statement wrote or removed, as the dynamic SQL below reads them: an INSERT has
    // no old rows, a DELETE no new ones (a transition table exists only for its events).
    await q.query(`
      CREATE FUNCTION order_sales_changed_rows(source text, transition text) RETURNS text
        LANGUAGE sql IMMUTABLE
        RETURN CASE WHEN transition IS NULL THEN format('SELECT * FROM %I WHERE false', source)
                    ELSE format('SELECT * FROM %I', transition) END`);

    // Orders: whole-order sums from the transition tables; when an order changes month, currency
    // or status, its lines' sums move from the old key to the new one.
    await q.query(`
      CREATE FUNCTION order_sales_after_orders() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        added text := order_sales_changed_rows('customer_order', CASE WHEN TG_OP <> 'DELETE' THEN 'new_orders' END);
        removed text := order_sales_changed_rows('customer_order', CASE WHEN TG_OP <> 'INSERT' THEN 'old_orders' END);
      BEGIN
        EXECUTE format($sql$
          INSERT INTO order_sales_month (month, currency, status, orders, revenue)
          SELECT month, currency, status, sum(orders), sum(revenue)
            FROM (SELECT order_sales_month_of(ordered_at) AS month, currency, status, 1 AS orders, total AS revenue
                    FROM (%s) a
                  UNION ALL
                  SELECT order_sales_month_of(ordered_at), currency, status, -1, -total FROM (%s) r) d
           GROUP BY 1, 2, 3 HAVING sum(orders) <> 0 OR sum(revenue) <> 0$sql$, added, removed);
        IF TG_OP = 'UPDATE' THEN
          WITH moved AS (
                 SELECT n.id, order_sales_month_of(o.ordered_at) AS old_month, o.currency AS old_currency,
                        o.status AS old_status, order_sales_month_of(n.ordered_at) AS new_month,
                        n.currency AS new_currency, n.status AS new_status
                   FROM old_orders o JOIN new_orders n ON n.id = o.id
                  WHERE (order_sales_month_of(o.ordered_at), o.currency, o.status)
                        IS DISTINCT FROM (order_sales_month_of(n.ordered_at), n.currency, n.status)),
               lines AS (
                 SELECT l.order_id, l.product_category AS category, sum(l.quantity) AS quantity, sum(l.line_total) AS revenue
                   FROM order_line l JOIN moved m ON m.id = l.order_id GROUP BY 1, 2)
          INSERT INTO order_category_sales_month (month, currency, status, category, orders, quantity, revenue)
          SELECT month, currency, status, category, sum(orders), sum(quantity), sum(revenue)
            FROM (SELECT m.new_month AS month, m.new_currency AS currency, m.new_status AS status, l.category,
                         1 AS orders, l.quantity, l.revenue
                    FROM moved m JOIN lines l ON l.order_id = m.id
                  UNION ALL
                  SELECT m.old_month, m.old_currency, m.old_status, l.category, -1, -l.quantity, -l.revenue
                    FROM moved m JOIN lines l ON l.order_id = m.id) d
           GROUP BY 1, 2, 3, 4 HAVING sum(orders) <> 0 OR sum(quantity) <> 0 OR sum(revenue) <> 0;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE FUNCTION order_sales_before_order_delete() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO order_category_sales_month (month, currency, status, category, orders, quantity, revenue)
        SELECT order_sales_month_of(OLD.ordered_at), OLD.currency, OLD.status, product_category,
               -1, -sum(quantity), -sum(line_total)
          FROM order_line WHERE order_id = OLD.id GROUP BY product_category;
        RETURN OLD;
      END $$`);

    // Lines: per (order, category), the quantity and money added minus removed; the order counts
    // in a category while it has a line of it, so the lines it has now (after the statement)
    // tell whether it had one before. '' stands for "no category" in the joins (a category is at
    // least one character), as NULL would not match itself.
    await q.query(`
      CREATE FUNCTION order_sales_after_lines() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        added text := order_sales_changed_rows('order_line', CASE WHEN TG_OP <> 'DELETE' THEN 'new_lines' END);
        removed text := order_sales_changed_rows('order_line', CASE WHEN TG_OP <> 'INSERT' THEN 'old_lines' END);
      BEGIN
        EXECUTE format($sql$
          WITH added AS (
                 SELECT order_id, coalesce(product_category, '') AS category, count(*) AS lines,
                        sum(quantity) AS quantity, sum(line_total) AS revenue
                   FROM (%s) a GROUP BY 1, 2),
               removed AS (
                 SELECT order_id, coalesce(product_category, '') AS category, count(*) AS lines,
                        sum(quantity) AS quantity, sum(line_total) AS revenue
                   FROM (%s) r GROUP BY 1, 2),
               changed AS (
                 SELECT order_id, category, coalesce(a.lines, 0) - coalesce(r.lines, 0) AS lines,
                        coalesce(a.quantity, 0) - coalesce(r.quantity, 0) AS quantity,
                        coalesce(a.revenue, 0) - coalesce(r.revenue, 0) AS revenue
                   FROM added a FULL JOIN removed r USING (order_id, category)),
               now_ AS (
                 SELECT l.order_id, coalesce(l.product_category, '') AS category, count(*) AS lines
                   FROM order_line l WHERE l.order_id IN (SELECT order_id FROM changed) GROUP BY 1, 2)
          INSERT INTO order_category_sales_month (month, currency, status, category, orders, quantity, revenue)
          SELECT order_sales_month_of(o.ordered_at), o.currency, o.status, nullif(c.category, ''),
                 sum((coalesce(n.lines, 0) > 0)::int - (coalesce(n.lines, 0) - c.lines > 0)::int),
                 sum(c.quantity), sum(c.revenue)
            FROM changed c
            JOIN customer_order o ON o.id = c.order_id
            LEFT JOIN now_ n ON n.order_id = c.order_id AND n.category = c.category
           GROUP BY 1, 2, 3, 4
          HAVING sum((coalesce(n.lines, 0) > 0)::int - (coalesce(n.lines, 0) - c.lines > 0)::int) <> 0
              OR sum(c.quantity) <> 0 OR sum(c.revenue) <> 0$sql$, added, removed);
        RETURN NULL;
      END $$`);

    // TRUNCATE has no transition tables: it empties the sums of what it emptied.
    await q.query(`
      CREATE FUNCTION order_sales_after_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'customer_order' THEN DELETE FROM order_sales_month; END IF;
        DELETE FROM order_category_sales_month;
        RETURN NULL;
      END $$`);

    for (const event of ['INSERT', 'UPDATE', 'DELETE'] as const) {
      const tables = [
        event !== 'INSERT' ? 'OLD TABLE AS old_orders' : '',
        event !== 'DELETE' ? 'NEW TABLE AS new_orders' : '',
      ].join(' ');
      await q.query(
        `CREATE TRIGGER order_sales_after_${event.toLowerCase()} AFTER ${event} ON customer_order
           REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION order_sales_after_orders()`,
      );
      const lineTables = tables.replace(/_orders/g, '_lines');
      await q.query(
        `CREATE TRIGGER order_sales_after_${event.toLowerCase()} AFTER ${event} ON order_line
           REFERENCING ${lineTables} FOR EACH STATEMENT EXECUTE FUNCTION order_sales_after_lines()`,
      );
    }
    await q.query(
      `CREATE TRIGGER order_sales_before_delete BEFORE DELETE ON customer_order
         FOR EACH ROW EXECUTE FUNCTION order_sales_before_order_delete()`,
    );
    for (const table of ['customer_order', 'order_line']) {
      await q.query(
        `CREATE TRIGGER order_sales_after_truncate AFTER TRUNCATE ON ${table}
           FOR EACH STATEMENT EXECUTE FUNCTION order_sales_after_truncate()`,
      );
    }

    // The RFM distribution's scan: a year of counted orders (libs/segments COUNTED_ORDER_STATUSES)
    // with what it sums, without reading the orders' rows.
    await q.query(
      `CREATE INDEX customer_order_counted_ordered_idx ON customer_order (ordered_at) INCLUDE (customer_id, total, currency)
         WHERE status IN ('paid', 'shipped', 'delivered')`,
    );

    // Backfill from the orders there are.
    await q.query(`
      INSERT INTO order_sales_month (month, currency, status, orders, revenue)
      SELECT order_sales_month_of(ordered_at), currency, status, count(*), sum(total)
        FROM customer_order GROUP BY 1, 2, 3`);
    await q.query(`
      INSERT INTO order_category_sales_month (month, currency, status, category, orders, quantity, revenue)
      SELECT order_sales_month_of(o.ordered_at), o.currency, o.status, l.product_category,
             count(DISTINCT o.id), sum(l.quantity), sum(l.line_total)
        FROM customer_order o JOIN order_line l ON l.order_id = o.id GROUP BY 1, 2, 3, 4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX customer_order_counted_ordered_idx`);
    for (const table of ['customer_order', 'order_line']) {
      for (const name of ['insert', 'update', 'delete', 'truncate']) {
        await q.query(`DROP TRIGGER order_sales_after_${name} ON ${table}`);
      }
    }
    await q.query(`DROP TRIGGER order_sales_before_delete ON customer_order`);
    await q.query(`DROP FUNCTION order_sales_after_truncate()`);
    await q.query(`DROP FUNCTION order_sales_after_lines()`);
    await q.query(`DROP FUNCTION order_sales_before_order_delete()`);
    await q.query(`DROP FUNCTION order_sales_after_orders()`);
    await q.query(`DROP FUNCTION order_sales_changed_rows(text, text)`);
    await q.query(`DROP FUNCTION order_sales_month_of(timestamptz)`);
    await q.query(`DROP TABLE order_category_sales_month`);
    await q.query(`DROP TABLE order_sales_month`);
  }
}
