/** Each care case's customer, as a relation (id, customer_id) for the violations report's checks of sent records. */
export const CARE_CASE_OWNERS = `(SELECT id, customer_id FROM care_case)`;
