/**
 * The orders module's facts other modules' set-based statements join (plain subqueries the planner
 * flattens, so the plans are the ones over the table).
 */

/** Each order's customer, as a relation (id, customer_id) for the violations report's checks of sent records. */
export const ORDER_OWNERS = `(SELECT id, customer_id FROM customer_order)`;

/** Orders as sales: customer, status, time, currency and total (a campaign's revenue). */
export const ORDER_SALES_FACTS = `(SELECT customer_id, status, ordered_at, currency, total FROM customer_order)`;
