/**
 * The orders module's facts other modules' set-based statements join (plain subqueries the planner
 * flattens, so the plans are the ones over the table).
 */

/** Orders as sales: customer, status, time, currency and total (a campaign's revenue). */
export const ORDER_SALES_FACTS = `(SELECT customer_id, status, ordered_at, currency, total FROM customer_order)`;
